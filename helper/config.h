/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's INI configuration (default /etc/esptun/esptun.conf): one
 * section per tunnel device. See esptun(8) and README.md for every key.
 */
#ifndef ESPTUN_CONFIG_H
#define ESPTUN_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/proposal.h"

struct creds;

#define CONFIG_DEFAULT_PATH "/etc/esptun/esptun.conf"
#define CONFIG_PSK_MAX 256
#define CONFIG_ID_MAX 255
/* The largest fragment-size: the largest IKE message (ISAKMP_MAX_MSG) in one datagram. */
#define CONFIG_FRAGMENT_MAX 4096
/*
 * Subnets per local-ts or remote-ts list, and sub-tunnels (their cross
 * product) per tunnel: the module holds 16 outbound SAs per device, one
 * per selector, so 16 pairs fit with a rekey's new SA replacing its old one.
 */
#define CONFIG_TS_MAX 8
#define CONFIG_PAIRS_MAX 16
#define CONFIG_PATH_MAX 1024

/* Identification types (RFC 2407 4.6.2.1). */
enum {
	ID_IPV4_ADDR = 1,
	ID_FQDN = 2,
	ID_USER_FQDN = 3,
	ID_IPV4_ADDR_SUBNET = 4,
	ID_IPV6_ADDR = 5,
	ID_IPV6_ADDR_SUBNET = 6,
	ID_IPV4_ADDR_RANGE = 7,
	ID_IPV6_ADDR_RANGE = 8,
	ID_DER_ASN1_DN = 9,
	ID_KEY_ID = 11,
};

struct ike_id {
	uint8_t type; /* 0: not configured */
	uint8_t data[CONFIG_ID_MAX];
	size_t len;
};

/*
 * A traffic selector: the subnet ADDR/PREFIX (host bits zero); family 0 when
 * unset (any). PROTO (0: any) and PORT (host order, 0: any; only with a
 * protocol that has ports) narrow it further: 10.1.0.0/16[tcp/80].
 */
struct traffic_sel {
	int family;
	uint8_t addr[16];
	unsigned int prefix;
	uint8_t proto;
	uint16_t port;
};

enum dpd_action { DPD_CLEAR, DPD_RESTART };

/* IKE fragmentation (the Cisco-style FRAGMENTATION vendor ID and payload 132). */
enum frag_policy {
	FRAG_YES,   /* announce it; split what exceeds fragment-size when the peer announced it */
	FRAG_NO,    /* neither announce nor split (fragments received are still reassembled) */
	FRAG_FORCE, /* split what exceeds fragment-size even when the peer did not announce it */
};

/* UDP encapsulation of ESP (NAT traversal, RFC 3947 / RFC 3948). */
enum encap_policy {
	ENCAP_AUTO,   /* when a NAT is detected */
	ENCAP_ALWAYS, /* even without NAT: our NAT-D hash is made not to match */
	ENCAP_NEVER,  /* no NAT-T vendor ID: plain ESP, IKE on port 500 only */
};

struct tunnel_cfg {
	struct tunnel_cfg *next;
	char name[IFNAMSIZ];	       /* the esptun device */
	int family;		       /* AF_INET or AF_INET6 */
	uint8_t local[16], remote[16]; /* network order */
	int remote_line;	       /* where remote is set in the file, for messages */
	bool aggressive;
	int auth;	     /* enum ike_auth: psk or rsa */
	struct creds *creds; /* auth = rsa: certificate, key, CAs, CRLs (creds.h) */
	uint8_t psk[CONFIG_PSK_MAX];
	size_t psk_len;
	struct ike_id local_id, remote_id;
	/*
	 * Quick Mode selectors: one sub-tunnel (Quick Mode, ESP SA pair) per
	 * (local, remote) of the lists, config_pair(). An empty list (unset)
	 * is one selector of family 0: any address.
	 */
	struct traffic_sel local_ts[CONFIG_TS_MAX], remote_ts[CONFIG_TS_MAX];
	size_t n_local_ts, n_remote_ts;
	bool routes;		    /* routes = auto: a route into the device per remote-ts */
	struct traffic_sel address; /* the device's inner address/prefix; family 0: none */
	struct ike_prop ike[PROP_MAX];
	size_t n_ike;
	struct esp_prop esp[PROP_MAX];
	size_t n_esp;
	uint32_t ike_lifetime, lifetime; /* seconds */
	uint32_t lifetime_kb;		 /* KiB an ESP SA may carry, 0: no limit */
	uint32_t ike_lifetime_kb;	 /* KiB of IKE messages an IKE SA may protect, 0: none */
	uint32_t dpd_delay, dpd_timeout; /* seconds, 0: no DPD */
	enum dpd_action dpd_action;
	enum encap_policy encap;
	uint32_t nat_keepalive; /* seconds between NAT keepalives, 0: none */
	enum frag_policy fragmentation;
	uint32_t fragment_size; /* bytes of IKE datagram (UDP payload), 0: by address family */
	uint32_t esp_timeout;	/* seconds our ESP may go unheard before it is called blocked */
	bool initiate;		/* start = initiate */
};

struct config {
	struct tunnel_cfg *tunnels;
	/*
	 * Daemon-wide keys, before the first [device] section. keylog-dir: an
	 * absolute path, "" when off; keylog.c opens it (the parser touches no
	 * file for it), and names KEYLOG_LINE in its errors.
	 */
	char keylog_dir[CONFIG_PATH_MAX];
	int keylog_line;
};

/* Whether T authenticates with certificates and signatures (auth = rsa or ecdsa), not a PSK. */
static inline bool config_signs(const struct tunnel_cfg *t)
{
	return t->auth == IKE_AUTH_RSA_SIG || t->auth >= IKE_AUTH_ECDSA_256;
}

/* How many sub-tunnels T has: one per (local-ts, remote-ts) pair, an unset list counting one. */
static inline size_t config_pairs(const struct tunnel_cfg *t)
{
	return (t->n_local_ts ? t->n_local_ts : 1) * (t->n_remote_ts ? t->n_remote_ts : 1);
}

/* Sub-tunnel I (< config_pairs(T)) of T: its local and remote selectors. */
static inline void config_pair(const struct tunnel_cfg *t, size_t i,
			       const struct traffic_sel **local, const struct traffic_sel **remote)
{
	static const struct traffic_sel any; /* an unset list's one selector */
	size_t n_remote = t->n_remote_ts ? t->n_remote_ts : 1;

	*local = t->n_local_ts ? &t->local_ts[i / n_remote] : &any;
	*remote = t->n_remote_ts ? &t->remote_ts[i % n_remote] : &any;
}

/* S without its leading and trailing white space (S is cut short in place). */
char *config_trim(char *s);
/* config_id.c: local-id / remote-id V as an ID (strongSwan's syntax, typed or not). */
int config_id(const char *v, struct ike_id *id, char *err, size_t err_len);
bool config_id_equal(const struct ike_id *a, const struct ike_id *b);
/* config_ts.c: a comma-separated list of subnets into OUT (CONFIG_TS_MAX), *N of them. */
int config_ts_list(const char *v, struct traffic_sel *out, size_t *n, char *err, size_t err_len);
/* An address with its prefix, host bits allowed (address = 10.9.0.1/30). */
int config_address(const char *v, struct traffic_sel *out, char *err, size_t err_len);
bool config_ts_equal(const struct traffic_sel *a, size_t n_a, const struct traffic_sel *b,
		     size_t n_b);

/*
 * Parse TEXT (the contents of the file named FILE, used in messages).
 * Returns 0, or -1 with "FILE:LINE: reason" in ERR and CFG empty. Who may
 * read an inline psk is checked by config_load, which has the file.
 */
int config_parse(const char *file, const char *text, struct config *cfg, char *err, size_t err_len);

/*
 * Read and parse PATH, a regular file; with an inline psk, one that only
 * its owner, root or the daemon's user, may read. Returns 0 or -1 with ERR set.
 */
int config_load(const char *path, struct config *cfg, char *err, size_t err_len);

/* Free every tunnel, wiping the keys. */
void config_free(struct config *cfg);

/* The tunnel of device NAME, or NULL. */
const struct tunnel_cfg *config_find(const struct config *cfg, const char *name);

/* What reloading the configuration OLD as NEW means for the tunnel NAME (in either). */
enum tunnel_change {
	TUNNEL_UNCHANGED, /* every parsed setting is equal: its SAs stay */
	TUNNEL_CHANGED,	  /* negotiated anew with the new settings */
	TUNNEL_ADDED,
	TUNNEL_REMOVED, /* its SAs are deleted; the device stays */
};
enum tunnel_change config_change(const struct config *old, const struct config *new,
				 const char *name);

#endif
