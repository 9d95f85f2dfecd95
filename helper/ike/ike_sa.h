/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE SAs (phase 1) and their Quick Mode exchanges (phase 2): state, the
 * per-daemon context with its I/O callbacks, the bookkeeping (the SA
 * table, encryption, sending: ike_sa.c) and the exchanges, which are
 * main_mode.c and aggressive_mode.c (what they share in phase1.c),
 * quick_mode.c, informational.c and dpd.c. Above them dispatch.c (whose
 * interface is dispatch.h) hands each datagram and timer to the exchanges
 * and answers repeated requests.
 *
 * The protocol code does no I/O: it calls ctx->send() for every datagram
 * and ctx->install() for every negotiated pair of ESP SAs, and is driven
 * by ike_input() and ike_tick(). Tests run two contexts back to back.
 */
#ifndef ESPTUN_IKE_SA_H
#define ESPTUN_IKE_SA_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../config.h"
#include "crypto.h"
#include "isakmp.h"
#include "keys.h"
#include "proposal.h"
#include "timer.h"

#define IKE_NONCE_LEN 32
#define IKE_NONCE_MAX 256
#define IKE_RETRANSMIT_MS 2000
#define IKE_RETRANSMIT_TRIES 5
/* A phase 1 that has not completed by then is given up, whoever waits for whom. */
#define IKE_NEGOTIATION_MS 90000
/*
 * Half-open responder SAs (ike_sa_half_open): at most this many per source
 * address and in all, the oldest making room for a new one, and each
 * given up after IKE_HALF_OPEN_MS. Established SAs do not count.
 */
#define IKE_HALF_OPEN_PER_PEER 16
#define IKE_HALF_OPEN_MAX 512
#define IKE_HALF_OPEN_MS 30000
#define IKE_MAX_KEYMAT (36 + 64) /* AES-256 key + salt, or the largest cipher + HMAC key */

/* Quick Mode message IDs remembered per IKE SA, to refuse a replayed QM1. */
#define IKE_MSGIDS_KEPT 64

/* Which halves of a pair child_sa.dirs asks the kernel to add. */
#define CHILD_IN 1
#define CHILD_OUT 2

/* Where the device sends ESP: the peer's address, and the UDP ports when encapsulated. */
struct ike_endpoint {
	struct sockaddr_storage peer; /* its port is the UDP destination port */
	bool udp;		      /* RFC 3948 ESP-in-UDP */
	uint16_t sport;		      /* our NAT-T port, with UDP */
	const char *nat;	      /* what NAT detection found, for the log and esptun show */
};

/*
 * The traffic selector pair a Quick Mode agreed (RFC 2407 4.6.2 ID
 * payloads, narrowed as selector.c allows), from our side. The outbound SA
 * carries LOCAL -> REMOTE, the inbound one REMOTE -> LOCAL, and the kernel
 * drops what lies outside (RFC 4301 5.2). ANY: 0.0.0.0/0 <-> 0.0.0.0/0 or
 * ::/0 <-> ::/0 with no protocol, which gets no kernel selector at all.
 */
struct child_sel {
	bool any;
	int family;
	uint8_t local[16], remote[16];
	uint8_t local_len, remote_len; /* prefix lengths */
	uint8_t proto;		       /* IP protocol, 0: any */
	/* Host order, 0: any; only with TCP, UDP, SCTP or UDP-Lite. */
	uint16_t local_port, remote_port;
};

/* A pair of ESP SAs ready for the kernel. KEY_* hold the cipher key, then the HMAC key. */
struct child_sa {
	const struct tunnel_cfg *cfg;
	struct ike_endpoint ep;
	struct child_sel sel;
	unsigned int dirs; /* CHILD_IN, CHILD_OUT or both: the inbound half always first */
	struct esp_prop prop;
	struct esp_kernel_alg alg;
	uint32_t spi_in, spi_out;
	uint8_t key_in[IKE_MAX_KEYMAT], key_out[IKE_MAX_KEYMAT];
	uint32_t life_s;     /* the shorter of ours and the peer's */
	uint32_t soft_s;     /* the kernel's soft limit (SOFT_EXPIRE): when the late side rekeys */
	uint32_t life_kb;    /* the shorter of ours and the peer's; 0: none */
	uint64_t soft_bytes; /* the kernel's soft byte limit: rekey_soft_bytes() */
};

/* A chained hash table of IKE SAs (index.c); each SA has a struct ike_link in each. */
struct ike_index {
	struct ike_sa **buckets;
	size_t n_buckets;
};

struct ike_link {
	struct ike_sa *next, **pprev; /* pprev NULL: not in the table */
	size_t hash;
};

/* Our inbound SPIs, in the kernel or being negotiated, by value (spi_set.c). */
struct ike_spis {
	struct quick_mode **buckets;
	size_t n_buckets, count;
};

struct ike_ctx {
	struct ike_sa *sas; /* newest first */
	struct ike_index by_tunnel, by_cookie;
	uint64_t index_key; /* keys the cookie hash (index.c) */
	/* Responder SAs made by a first message, oldest first (ike_sa_make_room). */
	struct ike_sa *half_open, **half_open_tail;
	struct ike_spis spis;
	struct ike_timers timers;
	const struct config *cfg;
	uint64_t now_ms;	  /* set by the caller before every ike_input()/ike_tick() */
	uint16_t port, natt_port; /* our IKE and NAT-T UDP ports (0: 500 and 4500) */
	/*
	 * Send BUF to TO from our IKE port, or with NATT from our NAT-T port
	 * behind the 4-byte non-ESP marker (RFC 3948 2.2) the caller adds.
	 */
	int (*send)(void *arg, const struct sockaddr_storage *to, bool natt, const uint8_t *buf,
		    size_t len);
	/* A NAT keepalive (RFC 3948 2.3): the single byte 0xFF from our NAT-T port. */
	int (*keepalive)(void *arg, const struct sockaddr_storage *to);
	int (*install)(void *arg, const struct child_sa *child);
	/* The peer moved (RFC 3947 4): point CFG's device at EP. Optional. */
	int (*endpoint)(void *arg, const struct tunnel_cfg *cfg, const struct ike_endpoint *ep);
	/* Delete both SAs of a pair from the kernel; only the inbound one when SPI_OUT is 0. */
	int (*remove)(void *arg, const struct tunnel_cfg *cfg, uint32_t spi_in, uint32_t spi_out);
	/*
	 * Optional: the packets ESP SA SPI (inbound when IN) has carried so far,
	 * for DPD (traffic from the peer proves it alive) and path.c (is our
	 * ESP heard?). 0, or -1 when unknown.
	 */
	int (*esp_packets)(void *arg, const struct tunnel_cfg *cfg, bool in, uint32_t spi,
			   uint64_t *packets);
	/*
	 * Optional: when ESP SA SPI (inbound when IN) last carried a packet,
	 * on now_ms's clock, 0 if never: for path.c, which asks only when the
	 * peer probes. 0, or -1 when unknown.
	 */
	int (*esp_last)(void *arg, const struct tunnel_cfg *cfg, bool in, uint32_t spi,
			uint64_t *ms);
	/*
	 * Optional: what stands in CFG's way, in words a user acts on, for
	 * esptun show (the log has it too); NULL when that is over.
	 */
	void (*problem)(void *arg, const struct tunnel_cfg *cfg, const char *text);
	/* Optional: whether CFG is administratively down (esptun down): a peer may not start it. */
	bool (*admin_down)(void *arg, const struct tunnel_cfg *cfg);
	/*
	 * Optional: SA's phase-1 keys exist now (its cookies, SA->keys), for
	 * keylog-dir. Nothing else in the protocol code hands a key out.
	 */
	void (*phase1_keys)(void *arg, const struct ike_sa *sa);
	/*
	 * Optional: CFG's report (report.h) may have changed. Said for every
	 * datagram handed to one of its SAs and every timer visit of one
	 * (dispatch.c), an SA made or freed, and a pair the kernel expired, so
	 * that the daemon rewrites only the status files of tunnels named.
	 */
	void (*changed)(void *arg, const struct tunnel_cfg *cfg);
	void *arg;
	/* The datagram ike_input() is handling: its source, and whether it came to the NAT-T port. */
	const struct sockaddr_storage *rx_from;
	bool rx_natt;
};

/* What is waiting for an answer, or the last answer to repeat on a duplicate request. */
struct retransmit {
	uint8_t *buf; /* allocated to fit: an established tunnel keeps two of them */
	size_t len;
	const char *name; /* MM1 ... for the log */
	int tries;
	uint64_t next_ms; /* 0: no timer (the reply is only repeated on a duplicate) */
	uint32_t timeout_ms;
	uint8_t last_in[32]; /* SHA-256 of the request this answers (dispatch.c) */
	bool have_last_in;
};

/* Phase 1, Main or Aggressive Mode. */
enum mm_state {
	MM_I_MM1_SENT,
	MM_I_MM3_SENT,
	MM_I_MM5_SENT,
	MM_R_MM2_SENT,
	MM_R_MM4_SENT,
	AM_I_AM1_SENT,
	AM_R_AM2_SENT,
	MM_ESTABLISHED,
	MM_DEAD,
};

enum qm_state {
	QM_I_QM1_SENT,
	QM_I_QM3_SENT, /* a rekey: our inbound SA is in, the outbound waits (rekey.c) */
	QM_R_QM2_SENT,
	QM_DONE,
};

struct quick_mode {
	struct quick_mode *next;
	uint32_t msgid;
	unsigned int
		pair; /* the sub-tunnel, config_pair(): ours, or the first holding the peer's */
	bool initiator;
	enum qm_state state;
	uint8_t iv[IKE_MAX_BLOCK];
	struct esp_prop prop;
	uint32_t spi_i, spi_r; /* the initiator's and the responder's inbound SPIs */
	struct quick_mode *spi_next, **spi_pprev; /* ours in ctx->spis, or pprev NULL */
	struct ike_spis *spis;
	uint32_t spi_in, spi_out; /* the same from our side, once installed */
	bool installed;		  /* the inbound half (at least) is in the kernel */
	bool out_active;	  /* ours is the device's outbound SA (a newer pair replaces it) */
	/* Rekeying (rekey.c): times on ctx->now_ms, 0 when not set. */
	uint64_t rekey_ms; /* start a new Quick Mode for this pair */
	uint64_t hard_ms;  /* the kernel removes the pair by itself */
	uint64_t added_ms; /* its inbound SA went into the kernel: the lifetimes count from there */
	uint64_t delete_ms; /* DELETE our inbound SPI, remove it: after the grace period */
	bool delete_sent;   /* that DELETE went already (twins.c): only the removal is left */
	uint64_t switch_ms; /* QM_I_QM3_SENT: switch to the new outbound SA by then at the latest */
	bool rekeyed;	    /* a rekey started, or a newer pair supersedes it: never again */
	bool rekey_ours;    /* we started its rekey: we delete it once the new pair is in */
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	struct ike_dh *dh; /* PFS */
	uint8_t gxy[IKE_MAX_DH];
	size_t gxy_len;
	uint8_t idci[40], idcr[40]; /* ID payload bodies, when the exchange carries them */
	size_t idci_len, idcr_len;
	struct child_sel sel; /* what both sides agreed, once QM1 (responder) or QM2 is taken */
	bool out_kept; /* superseded by a pair of another selector: its outbound SA stays in */
	struct retransmit rt;
	uint64_t started_ms; /* QM1 went or came */
	uint64_t done_ms;
	uint32_t heard; /* initiator: the IKE SA's dpd.heard as QM1 went out */
};

/* NAT-T versions by the vendor ID announcing them, in order of preference. */
enum natt_version {
	NATT_NONE,
	NATT_DRAFT_02,	 /* MD5("draft-ietf-ipsec-nat-t-ike-02") */
	NATT_DRAFT_02_N, /* MD5("draft-ietf-ipsec-nat-t-ike-02\n"), a widespread typo */
	NATT_DRAFT_03,
	NATT_RFC, /* RFC 3947 */
};

/* NAT traversal (RFC 3947) of one IKE SA: nat.c. */
struct natt {
	enum natt_version version; /* the peer's best announced one we also speak */
	bool local_nat;		   /* our address or port is translated on the way */
	bool remote_nat;	   /* the peer's is */
	bool forced;		   /* encap = always: our NAT-D hash was made not to match */
	bool floated;		   /* IKE runs on the NAT-T ports with the non-ESP marker */
	uint64_t keepalive_ms;	   /* when the next NAT keepalive is due; 0: none */
};

/* Dead Peer Detection (RFC 3706) of one IKE SA. */
struct dpd {
	uint64_t alive_ms;    /* the last sign of life: authenticated IKE traffic, an ACK, ESP */
	uint32_t heard;	      /* authenticated IKE messages from the peer (dpd_alive) */
	uint64_t esp_packets; /* inbound ESP packets counted at the last check */
	uint32_t seq;	      /* of the last R-U-THERE sent */
	uint32_t first_seq;   /* of the first unanswered one */
	uint64_t probe_ms;    /* when the first unanswered one went out; 0: none */
	uint64_t next_ms;     /* when to send the next one while unanswered */
	unsigned int probes;  /* R-U-THEREs sent, for tests and the log */
	uint32_t peer_seq;    /* of the peer's last R-U-THERE we answered */
	bool have_peer_seq;
};

/* Does our ESP reach the peer (path.c)? Times on ctx->now_ms, 0 when unset. */
struct esp_path {
	uint64_t check_ms;	     /* the next judgement without a probe */
	uint64_t unheard_ms;	     /* the peer's first R-U-THERE just after we sent */
	uint64_t last_unheard_ms;    /* and its last one */
	uint64_t peer_probe_ms;	     /* the peer's last R-U-THERE */
	unsigned int unheard_probes; /* R-U-THEREs from the peer just after we sent */
	bool blocked;		     /* diagnosed: said in the log and to esptun show */
	uint64_t fall_back_ms;	     /* the responder's own fallback, if the initiator's fails */
};

struct ike_sa {
	struct ike_sa *next, **pprev;			  /* in ctx->sas */
	struct ike_link by_tunnel, by_cookie;		  /* index.c */
	struct ike_sa *half_open_next, **half_open_pprev; /* in ctx->half_open, or pprev NULL */
	struct ike_sa_timer timer;
	struct ike_ctx *ctx;
	const struct tunnel_cfg *cfg;
	bool initiator;
	bool aggressive;      /* phase 1 by Aggressive Mode */
	bool cookie_returned; /* responder: a message with our cookie came (am_lost_am3) */
	enum mm_state state;
	uint8_t icookie[8], rcookie[8];
	struct sockaddr_storage peer;
	struct ike_prop prop; /* the chosen transform */
	uint8_t *sai_b;	      /* body of the initiator's SA payload, for HASH_I / HASH_R */
	size_t sai_b_len;
	struct ike_dh *dh;
	uint8_t gxi[IKE_MAX_DH], gxr[IKE_MAX_DH];
	size_t gx_len;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	struct ike_keys keys;
	uint8_t peer_id[4 + CONFIG_ID_MAX]; /* the peer's ID payload body (AM1), for HASH_I */
	size_t peer_id_len;
	bool peer_dpd;		 /* the peer sent the DPD vendor ID (RFC 3706) */
	bool peer_frag;		 /* the peer sent the FRAGMENTATION vendor ID */
	bool peer_twins;	 /* the peer sent esptun's vendor ID: it settles twins as we do */
	uint16_t frag_id;	 /* of the last message we sent in fragments */
	struct frag_rx *frag_rx; /* the message being reassembled, or NULL (fragment.c) */
	struct natt nat;
	bool encap_fallback; /* ESP in UDP forced because plain ESP was blocked (path.c) */
	struct esp_path path;
	uint8_t iv[IKE_MAX_BLOCK]; /* phase-1 CBC chain; after MM6 its last block */
	struct retransmit rt;
	uint16_t peer_notify; /* the last unauthenticated error the peer sent, for the log */
	uint16_t
		our_refusal; /* the last reply we refused (e.g. AUTHENTICATION-FAILED), for the log */
	uint64_t started_ms; /* its first message went or came */
	uint64_t established_ms;
	struct dpd dpd;
	uint64_t expire_ms; /* end of the negotiation, then of the lifetime */
	uint32_t life_s;
	uint32_t life_kb; /* KiB of IKE messages it may protect, 0: no limit (reauth.c) */
	uint64_t bytes;	  /* of IKE messages it protected once established, both ways */
	/* Re-authentication (reauth.c): times on ctx->now_ms, 0 when not set. */
	uint64_t reauth_ms;  /* start negotiating this SA's successor */
	uint64_t retire_ms;  /* the successor's pair is in: delete this SA after the grace */
	bool reauth_started; /* its successor was started */
	bool reauth;	     /* this SA is a successor: it brings its pair up whoever started */
	/* Simultaneous negotiations (twins.c): times on ctx->now_ms, 0 when not set. */
	uint64_t twin_ms; /* look at the tunnel's twin IKE SAs then */
	bool twin_waited; /* the peer had its time to settle them */
	bool twin_loser;  /* a twin stays instead: delete this once the new pairs are in */
	/* Sub-tunnels (pairs.c): times on ctx->now_ms, a bit or an entry per pair. */
	uint32_t asked;				  /* to bring up once: ACQUIRE, esptun up */
	uint32_t renew;				  /* to bring up anew though present (twins.c) */
	uint64_t pair_retry_ms[CONFIG_PAIRS_MAX]; /* no new Quick Mode for it before */
	uint64_t acquire_ms[CONFIG_PAIRS_MAX];	  /* no ACQUIRE for it taken before */
	struct quick_mode *qms;
	uint32_t msgids[IKE_MSGIDS_KEPT]; /* of the last Quick Modes, a ring */
	unsigned int n_msgids;
};

/* The daemon's log on stderr: information, and what an operator should act on. */
void ike_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ike_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set by the fuzzers, which would otherwise spend their time printing. */
extern bool ike_log_quiet;
/* One line per message: "MM1 -> 192.0.2.2:500 I-SPI ... R-SPI ... [SA VID]". */
void ike_log_msg(const char *name, bool out, const struct sockaddr_storage *peer,
		 const struct isakmp_msg *m);
void ike_addr_str(const struct sockaddr_storage *a, char *buf, size_t len);
/* The log line of a message we built, before it is encrypted. */
void ike_log_built(const char *name, const struct sockaddr_storage *peer,
		   const struct isakmp_builder *b);

/*
 * Start Main or Aggressive Mode (as CFG says) as initiator towards its
 * remote address (phase1.c).
 */
struct ike_sa *ike_initiate(struct ike_ctx *ctx, const struct tunnel_cfg *cfg);
/* The same, forcing ESP in UDP (path.c's fallback) when ENCAP_FALLBACK. */
struct ike_sa *ike_initiate_encap(struct ike_ctx *ctx, const struct tunnel_cfg *cfg,
				  bool encap_fallback);
/* Log "NAME: TEXT" and tell esptun show about it (ctx->problem). */
void ike_problem(struct ike_ctx *ctx, const struct tunnel_cfg *cfg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Tell ctx->changed that CFG's report may have changed. */
void ike_changed(struct ike_ctx *ctx, const struct tunnel_cfg *cfg);
/* Lower *NEXT (ms from NOW, -1: none yet) to the deadline AT; AT 0 is none. */
void ike_timer_at(int64_t *next, uint64_t at, uint64_t now);

void ike_ctx_free(struct ike_ctx *ctx);

/* Internals shared by the exchange files. */
struct ike_sa *ike_sa_new(struct ike_ctx *ctx, const struct tunnel_cfg *cfg, bool initiator,
			  const struct sockaddr_storage *peer);
void ike_sa_free(struct ike_sa *sa);
/*
 * A responder SA that has only answered a first message (MM2, AM2 sent):
 * anyone can forge that message from a peer's address, so until the peer
 * returns our cookie it proves nothing, holds little, and is not repeated.
 */
bool ike_sa_half_open(const struct ike_sa *sa);
/*
 * An SA that stands for a negotiation with the peer: established, started
 * by us, or past its half-open state. Only these count as the tunnel's IKE
 * SA for re-authentication, INITIAL-CONTACT, esptun up and restarts.
 */
bool ike_sa_genuine(const struct ike_sa *sa);
/* "ICOOKIE/RCOOKIE" in hex, what tells SA's exchanges apart in the log; returns BUF. */
#define IKE_COOKIES_STR 34
const char *ike_cookies_str(const struct ike_sa *sa, char buf[IKE_COOKIES_STR]);
/*
 * Before a new half-open SA for FROM: free the oldest ones over the limits.
 * It walks only the SAs made by a first message (ike_sa_track_half_open),
 * and drops those that have left that state: an MM1 flood costs the
 * half-open SAs, at most IKE_HALF_OPEN_MAX, not every tunnel's.
 */
void ike_sa_make_room(struct ike_ctx *ctx, const struct sockaddr_storage *from);
/* SA, a responder SA just made by a first message, joins the walk of ike_sa_make_room. */
void ike_sa_track_half_open(struct ike_sa *sa);
/*
 * The SA a datagram names by its cookies, or NULL. It and its tunnel's
 * other SAs are then due at the next ike_tick(): what the datagram does to
 * them (a state, a pair, a DELETE) may change what their timers do.
 */
struct ike_sa *ike_sa_find(struct ike_ctx *ctx, const uint8_t icookie[8], const uint8_t rcookie[8]);

/* spi_set.c */
/* Whether SPI is one of our inbound SPIs; QM's SPI (spi_i or spi_r, by role) joins the set. */
bool spi_set_has(const struct ike_ctx *ctx, uint32_t spi);
int spi_set_add(struct ike_ctx *ctx, struct quick_mode *qm, uint32_t spi);
void spi_set_del(struct quick_mode *qm);
void spi_set_free(struct ike_ctx *ctx);

/* index.c: the IKE SAs by tunnel and by initiator cookie */
/* A new SA joins its tunnel's chain. 0, or -1 when out of memory. */
int index_add(struct ike_sa *sa);
/* SA's icookie is set: it joins that chain. */
void index_cookie_set(struct ike_sa *sa);
void index_del(struct ike_sa *sa);
void index_free(struct ike_ctx *ctx);
/* The chain where the SAs of the tunnel called NAME are, among others. */
struct ike_sa *tunnels_chain(const struct ike_ctx *ctx, const char *name);
/* SA or the first after it in its chain of tunnel CFG (or, without CFG, of the one named NAME). */
struct ike_sa *tunnels_match(struct ike_sa *sa, const struct tunnel_cfg *cfg, const char *name);
/* The same by initiator cookie. */
struct ike_sa *cookies_chain(const struct ike_ctx *ctx, const uint8_t icookie[8]);
struct ike_sa *cookies_match(struct ike_sa *sa, const uint8_t icookie[8]);
/* Each IKE SA O of tunnel CFG, newest first; the body must not free O. */
#define for_each_tunnel_sa(o, ctx, cfg)                                        \
	for (o = tunnels_match(tunnels_chain(ctx, (cfg)->name), cfg, NULL); o; \
	     o = tunnels_match(o->by_tunnel.next, cfg, NULL))
/* The same for the tunnel whose device is called NAME. */
#define for_each_named_sa(o, ctx, name)                                  \
	for (o = tunnels_match(tunnels_chain(ctx, name), NULL, name); o; \
	     o = tunnels_match(o->by_tunnel.next, NULL, name))
/* Each IKE SA O whose initiator cookie is ICOOKIE, newest first; the body must not free O. */
#define for_each_icookie_sa(o, ctx, icookie)                             \
	for (o = cookies_match(cookies_chain(ctx, icookie), icookie); o; \
	     o = cookies_match(o->by_cookie.next, icookie))
/*
 * Message IDs of Quick Modes under SA: a QM1 with one seen before
 * (among the last IKE_MSGIDS_KEPT) replays an exchange that is over.
 */
bool ike_msgid_seen(const struct ike_sa *sa, uint32_t msgid);
void ike_msgid_remember(struct ike_sa *sa, uint32_t msgid);
/* Encrypt the payloads of B in place with IV (updated), pad, set ENC and the length. */
int ike_encrypt(struct ike_sa *sa, struct isakmp_builder *b, uint8_t *iv);
/*
 * Decrypt M's body into PLAIN with a copy of IV, leaving the chained IV in
 * NEXT_IV (for the caller to commit once the message authenticates), and
 * parse the payloads. Returns 0 or a notify type.
 */
int ike_decrypt(struct ike_sa *sa, struct isakmp_msg *m, uint8_t *plain, const uint8_t *iv,
		uint8_t *next_iv);
/* The payloads after M's first (HASH), which HASH(1), HASH(2) and HASH(3) cover. */
struct chunk ike_after_hash(const struct isakmp_msg *m);
/* OUT = IP (4 or 16 bytes by FAMILY) and PORT. */
void ike_sockaddr(int family, const uint8_t *ip, uint16_t port, struct sockaddr_storage *out);
/* Where the datagram being handled came from (for the log), else the peer's address. */
const struct sockaddr_storage *ike_rx_from(const struct ike_sa *sa);
/* Whether X and Y have the same address (ports aside). */
bool ike_same_address(const struct sockaddr_storage *x, const struct sockaddr_storage *y);
/*
 * Send BUF to the peer, on the NAT-T port once floated, in fragments when
 * fragment.c says (AGAIN: a retransmission or a repeated reply).
 */
void ike_sendto(struct ike_sa *sa, const uint8_t *buf, size_t len, bool again);
/* Send B (finished, maybe encrypted) and remember it in RT; ARM starts the timer. */
void ike_send(struct ike_sa *sa, struct retransmit *rt, const struct isakmp_builder *b,
	      const char *name, bool arm);

/* phase1.c: what Main Mode and Aggressive Mode share */
/* Our proposals with the configured lifetime; returns how many. */
size_t p1_proposals(const struct tunnel_cfg *cfg, struct ike_prop *out);
/* Keep the body of the initiator's SA payload: HASH_I and HASH_R cover it. */
int p1_keep_sai_b(struct ike_sa *sa, const uint8_t *body, size_t len);
/* Whether T's remote address is FROM's. */
bool p1_cfg_has_peer(const struct tunnel_cfg *t, const struct sockaddr_storage *from);
/*
 * A responder IKE SA for the first message M (NAME: MM1 or AM1) from FROM
 * that offers SA_PL: the first offered proposal CFG allows, the shorter
 * lifetime, our cookie, the peer's vendor IDs. NULL (logged, and answered
 * with NO-PROPOSAL-CHOSEN when nothing fits) when there is no SA to keep.
 */
struct ike_sa *p1_responder_new(struct ike_ctx *ctx, const struct tunnel_cfg *cfg,
				const struct sockaddr_storage *from, const struct isakmp_msg *m,
				const struct isakmp_payload *sa_pl, const char *name);
/* The peer's KE and nonce into GX and N. Returns 0 or a notify type. */
int p1_take_ke_nonce(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *gx, uint8_t *n,
		     size_t *n_len);
/* A fresh DH key and nonce, added to B as KE and NONCE payloads. 0 or -1. */
int p1_add_ke_nonce(struct ike_sa *sa, struct isakmp_builder *b, uint8_t *gx, uint8_t *n,
		    size_t *n_len);
/* Both public values and nonces known: SKEYID*, the phase-1 IV. Keeps the DH key. 0 or -1. */
int p1_derive(struct ike_sa *sa);
/* The body of our ID payload into OUT (4 + CONFIG_ID_MAX bytes); returns its length. */
size_t p1_my_id(const struct ike_sa *sa, uint8_t *out);
/* Add our ID payload to B. */
void p1_add_id(struct ike_sa *sa, struct isakmp_builder *b);
/*
 * Add HASH_I (initiator) or HASH_R (responder), ours, to B: as a HASH
 * payload, or with auth = rsa as CERT and SIG payloads. 0 or -1.
 */
int p1_add_auth(struct ike_sa *sa, struct isakmp_builder *b);
/* The peer's ID payload against remote-id. 0 or INVALID-ID-INFORMATION / PAYLOAD-MALFORMED. */
int p1_check_id(const struct ike_sa *sa, const struct isakmp_payload *id);
/* Whether the ID payload body ID (LEN bytes) is what CFG's remote-id asks for (any when unset). */
bool p1_id_matches(const struct tunnel_cfg *cfg, const uint8_t *id, size_t len);
/*
 * The peer's HASH_I / HASH_R over its ID payload body ID, in M: its HASH
 * payload, or with auth = rsa its certificate and signature (cert_check()).
 * 0 or the notify type to answer with.
 */
int p1_check_auth(struct ike_sa *sa, const struct isakmp_msg *m, const uint8_t *id, size_t id_len);
/* cert.c: auth = rsa (RFC 2409 5.1). */
/* Add a CR payload per CA in ca (nothing with auth = psk). */
void cert_add_requests(const struct ike_sa *sa, struct isakmp_builder *b);
/* Add CERT (our certificate) and SIG (HASH of HASH_LEN bytes signed with our key). 0 or -1. */
int cert_add_signature(struct ike_sa *sa, struct isakmp_builder *b, const uint8_t *hash,
		       size_t hash_len);
/*
 * The peer's CERT and SIG in M: a certificate that chains to ca, allows
 * signatures, holds the ID payload body ID and remote-id, and whose key
 * signed HASH. 0, or the notify type, with the reason logged.
 */
int cert_check(struct ike_sa *sa, const struct isakmp_msg *m, const uint8_t *id, size_t id_len,
	       const uint8_t *hash);
/* Log a refusal of the phase-1 message NAME and answer it with an unprotected notify. */
void p1_refuse(struct ike_sa *sa, const char *name, int notify);
/* SA is established: log it, arm its re-authentication, start its sub-tunnels (pairs.c). */
void p1_established(struct ike_sa *sa);
/* Whether the initiator of SA, now established, starts the Quick Mode of the tunnel's pair. */
bool p1_starts_quick_mode(const struct ike_sa *sa);
/*
 * INITIAL-CONTACT (RFC 2407 4.6.3.3): the initiator adds it to MM5 / AM3
 * when it has no other IKE SA with the peer; the responder, once the
 * message authenticated, drops its older IKE and ESP SAs with that peer.
 */
void p1_add_initial_contact(struct ike_sa *sa, struct isakmp_builder *b);
/* COVERED: M came encrypted; the notify of a plain AM3 is not acted upon. */
void p1_take_initial_contact(struct ike_sa *sa, const struct isakmp_msg *m, bool covered);
/* Our vendor IDs (DPD, NAT-T) on a first message; note the peer's. */
void p1_add_vids(const struct ike_sa *sa, struct isakmp_builder *b);
void p1_take_vids(struct ike_sa *sa, const struct isakmp_msg *m);

/*
 * How dispatch.c hands an exchange a message M: *_find names the SA (or
 * Quick Mode) it is for, whose reply a repeat of M gets again; NULL for a
 * first message (MM1, AM1, QM1) of a new one, or one for nothing we have
 * (then dropped). *_input processes M and returns the slot of the reply
 * that answered it, for dispatch to resend on a repeat; NULL when M was
 * dropped or needs no answer.
 */

/* main_mode.c */
int mm_start(struct ike_sa *sa);
/* MM2 binds our MM1's SA to the responder's cookie. */
struct ike_sa *mm_find(struct ike_ctx *ctx, const struct sockaddr_storage *from,
		       const struct isakmp_msg *m);
struct retransmit *mm_input(struct ike_ctx *ctx, struct ike_sa *sa,
			    const struct sockaddr_storage *from, struct isakmp_msg *m);

/* aggressive_mode.c */
int am_start(struct ike_sa *sa);
/* AM2 binds our AM1's SA to the responder's cookie. */
struct ike_sa *am_find(struct ike_ctx *ctx, const struct isakmp_msg *m);
struct retransmit *am_input(struct ike_ctx *ctx, struct ike_sa *sa,
			    const struct sockaddr_storage *from, struct isakmp_msg *m);

/*
 * A message of exchange EXCHANGE under SA, which waits for AM3: the
 * initiator is established, so AM3 was lost. The message returned our
 * cookie: SA is no longer half-open, and dispatch repeats AM2 to it once,
 * which makes the initiator repeat AM3 (AM2 has no timer of its own: see
 * ike_sa_half_open).
 */
void am_lost_am3(struct ike_sa *sa, uint8_t exchange);

/* quick_mode.c */
/* Start the Quick Mode of sub-tunnel PAIR (config_pair()) as initiator. 0 or -1. */
int qm_start(struct ike_sa *sa, unsigned int pair);
void qm_switch_out(struct ike_sa *sa, struct quick_mode *qm);
struct quick_mode *qm_find(const struct ike_sa *sa, uint32_t msgid);
struct retransmit *qm_input(struct ike_sa *sa, struct quick_mode *qm, struct isakmp_msg *m);
void qm_free(struct quick_mode *qm);

/* fragment.c: IKE fragmentation (the FRAGMENTATION vendor ID, payload 132) */
void frag_add_vid(const struct ike_sa *sa, struct isakmp_builder *b);
/* Whether VID is the FRAGMENTATION vendor ID: then SA's peer supports it. */
bool frag_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid);
/*
 * M, a fragment from SA's peer: 1 when it completes its message, then in
 * WHOLE (ISAKMP_MAX_MSG bytes) of *LEN bytes; 0 when kept; -1 when dropped.
 */
int frag_input(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *whole, size_t *len);
/* Send BUF in fragments, if SA's configuration and peer call for it: whether it did. */
bool frag_send(struct ike_sa *sa, const uint8_t *buf, size_t len, bool again);
/* Drop the message SA was reassembling. */
void frag_rx_free(struct ike_sa *sa);

/* nat.c: NAT traversal (RFC 3947, RFC 3948) */
/* Our NAT-T vendor IDs: all we speak on a first message, the chosen one in a reply. */
void nat_add_vids(const struct ike_sa *sa, struct isakmp_builder *b);
/* Whether the vendor ID VID announces a NAT-T version; notes the best one in SA. */
bool nat_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid);
/* HASH(CKY-I | CKY-R | IP | Port) of ADDR with the negotiated hash. Its length, or 0. */
size_t nat_hash(const struct ike_sa *sa, const struct sockaddr_storage *addr, uint8_t *out);
/* NAT-D payloads (RFC 3947 3.2): the peer's address, then ours. 0 or -1. */
int nat_add_natd(struct ike_sa *sa, struct isakmp_builder *b);
/* The peer's NAT-D payloads in M against the datagram being handled. 0 or a notify type. */
int nat_take_natd(struct ike_sa *sa, const struct isakmp_msg *m);
/* Whether ESP goes in UDP: NAT-T agreed and a NAT detected (or faked). */
bool nat_udp(const struct ike_sa *sa);
/* Initiator, NAT detected: move IKE to the NAT-T ports (RFC 3947 4). */
void nat_float(struct ike_sa *sa);
/*
 * An authenticated message from the peer: follow it to the address and
 * port it came from (RFC 3947 4), and re-point the device when it moved.
 */
void nat_follow(struct ike_sa *sa);
/*
 * The kernel moved IFNAME's device to TO (an authenticated, newest ESP
 * packet came from there): the floated IKE SAs of that tunnel follow.
 * Returns one that moved, or NULL.
 */
struct ike_sa *nat_peer_moved(struct ike_ctx *ctx, const char *ifname,
			      const struct sockaddr_storage *to);
/* The Quick Mode encapsulation mode to offer and accept: 1, 3 or 61443. */
uint16_t nat_encap_mode(const struct ike_sa *sa);
/* Validate the NAT-OA payloads of a Quick Mode message. 0 or a notify type. */
int nat_check_oa(const struct ike_sa *sa, const struct isakmp_msg *m);
/* Where the device sends ESP for SA. */
void nat_endpoint(const struct ike_sa *sa, struct ike_endpoint *ep);
/* Send due NAT keepalives; lowers *NEXT. */
void nat_tick(struct ike_sa *sa, int64_t *next);
/* "UDP-encapsulated, local host behind NAT" and the like, for the log. */
const char *nat_describe(const struct ike_sa *sa);

/* selector.c: Quick Mode traffic selectors (ID payloads) */
#define TS_ID_MAX (4 + 2 * 16)
/* Our ID payload body for TS (unset: any address of FAMILY) into OUT; returns its length. */
size_t ts_id(const struct traffic_sel *ts, int family, uint8_t *out);
/* The ID payload body naming the single address ADDR of FAMILY. */
size_t ts_host_id(int family, const uint8_t *addr, uint8_t *out);
/*
 * Whether the peer's ID payload body ID (LEN bytes) names addresses within TS,
 * and TS's protocol and port when it has them; unset: any ID.
 */
bool ts_within(const uint8_t *id, size_t len, const struct traffic_sel *ts);
/* "10.1.0.0-10.1.255.255", "10.1.2.3" or "10.1.0.0/16[tcp/80]", for the log. */
void ts_str(const uint8_t *id, size_t len, char *buf, size_t buflen);
/*
 * The pair the initiator's and the responder's ID payload bodies IDCI and
 * IDCR name, from our side (INITIATOR: IDci is ours) into OUT. 0, or -1
 * with the reason in WHY when the kernel cannot enforce it as it stands:
 * two families, a range that is no single prefix, two protocols, a port
 * without a protocol that has ports. Widening it to fit is no option.
 */
int ts_agreed(const uint8_t *idci, size_t ci_len, const uint8_t *idcr, size_t cr_len,
	      bool initiator, struct child_sel *out, char *why, size_t why_len);
/* Whether A and B select the same packets (the kernel then replaces one SA by the other). */
bool ts_sel_equal(const struct child_sel *a, const struct child_sel *b);
/* "10.1.0.0/16 <-> 10.2.0.0/16[udp/53]", ours first, as Cisco and strongSwan log a pair. */
void ts_sel_str(const struct child_sel *s, char *buf, size_t len);

/* informational.c */
void info_input(struct ike_sa *sa, struct isakmp_msg *m, const uint8_t *buf, size_t len);
/* An unencrypted notify, for errors before keys exist. */
void info_notify_plain(struct ike_ctx *ctx, const struct sockaddr_storage *to,
		       const uint8_t icookie[8], const uint8_t rcookie[8], uint16_t type);
/* A notify payload about the ISAKMP SA: the cookies are its SPI (RFC 2408 3.14). */
void info_put_notify(struct isakmp_builder *b, const uint8_t icookie[8], const uint8_t rcookie[8],
		     uint16_t type, const uint8_t *data, size_t data_len);
/* DELETE for our inbound ESP SA SPI (RFC 2408 3.15). */
void info_delete_esp(struct ike_sa *sa, uint32_t spi);
/* An encrypted notify in a new informational exchange, with DATA when LEN > 0. */
void info_notify(struct ike_sa *sa, uint16_t type);
void info_notify_data(struct ike_sa *sa, uint16_t type, const uint8_t *data, size_t len);
/* DELETE every installed ESP SA pair (removing it from the kernel), then the IKE SA. */
void info_delete_all(struct ike_sa *sa);
/* DELETE for the IKE SA alone, established: its ESP SAs run on to their own end. */
void info_delete_ike(struct ike_sa *sa);
/*
 * info_delete_all() for every IKE SA of CFG, then free them, established or
 * not, so that none points at CFG any more. Returns how many there were.
 */
int info_delete_tunnel(struct ike_ctx *ctx, const struct tunnel_cfg *cfg);
/* HASH(1) of an informational or Quick Mode message over the bytes after it. */
int ike_hash_msgid(struct ike_sa *sa, uint32_t msgid, const struct chunk *parts, size_t n,
		   uint8_t *out);

/* dpd.c */
/* Authenticated IKE traffic from the peer: it is alive. */
void dpd_alive(struct ike_sa *sa);
/*
 * R-U-THERE with sequence number SEQ received (authenticated): whether to
 * answer it. RFC 3706 7: numbers only grow, so an older one is a replay
 * (an INFO message decrypts again as often as it is sent). *NEWER tells
 * whether it is a new probe rather than a repeat of the last one.
 */
bool dpd_peer_probe(struct ike_sa *sa, uint32_t seq, bool *newer);
/* R-U-THERE-ACK with sequence number SEQ received (authenticated). */
void dpd_ack(struct ike_sa *sa, uint32_t seq);
/*
 * Probe a quiet peer, and after dpd-timeout without an answer take
 * dpd-action (the SA is then MM_DEAD). Lowers *NEXT to the next deadline.
 */
void dpd_tick(struct ike_sa *sa, int64_t *next);
/* Remove every installed ESP SA pair of SA from the kernel, without DELETE. */
void ike_sa_clear_children(struct ike_sa *sa);

/* path.c */
/* The peer sent R-U-THERE (authenticated): does it hear our ESP? */
void path_peer_probe(struct ike_sa *sa);
/* Judge what the probes said, when due; fall back to UDP. Lowers *NEXT. */
void path_tick(struct ike_sa *sa, int64_t *next);
/* SA's newest ESP pair is in: a fallback SA retires the tunnel's older IKE SAs. */
void path_installed(struct ike_sa *sa);

#endif
