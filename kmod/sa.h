/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_SA_H
#define _ESPTUN_SA_H

#include <linux/atomic.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <crypto/aead.h>

#include "device.h"
#include "selector.h"

struct esptun_replay;

enum esptun_alg_kind {
	ESPTUN_ALG_AEAD,
	ESPTUN_ALG_ENC,
	ESPTUN_ALG_AUTH,
};

/* An algorithm esptun accepts, with the ESP facts its name implies. */
struct esptun_alg {
	const char *name;
	enum esptun_alg_kind kind;
	u8 blocksize;		/* payload alignment (RFC 4303 2.4) */
	u8 ivlen;		/* explicit IV bytes on the wire */
	u8 keylens[3];		/* accepted key lengths, 0 = unused slot */
	u16 max_icv_bits;	/* digest size for HMAC, 128 for GCM */
};

struct esptun_lifetime {
	u64 soft_bytes, hard_bytes;
	u64 soft_packets, hard_packets;
	u64 soft_seconds, hard_seconds;
};

/* What a request asks for; keys point into the request and are wiped there. */
struct esptun_sa_config {
	u8 dir;
	u32 spi;
	u32 flags;
	u32 icv_bits;
	u32 replay_window;
	u64 seq;
	const struct esptun_alg *cipher;	/* AEAD or ENC */
	const struct esptun_alg *auth;		/* NULL for AEAD */
	const u8 *enc_key;
	unsigned int enc_keylen;
	const u8 *auth_key;
	unsigned int auth_keylen;
	struct esptun_lifetime lft;
	struct esptun_selector sel;
};

/* Bits of esptun_sa.state, each set once. */
enum {
	ESPTUN_SA_SOFT_EXPIRED,
	ESPTUN_SA_HARD_EXPIRED,	/* carries nothing more, reaper unlinks it */
	ESPTUN_SA_SEQ_WARNED,
};

struct esptun_sa_stats {
	atomic64_t packets;
	atomic64_t bytes;
	atomic64_t replay_drops;
	atomic64_t icv_failures;
	atomic64_t other_drops;
	atomic64_t last_used;		/* CLOCK_BOOTTIME ns of the last packet */
	atomic64_t selector_drops;
};

struct esptun_sa {
	struct hlist_node node;		/* SPI table, inbound only */
	refcount_t refcnt;
	struct net_device *dev;		/* held while the SA exists */
	struct crypto_aead *aead;
	u32 spi;
	u8 dir;
	u8 ivlen;
	u8 icvlen;
	u8 blocksize;
	int cb_cpu;			/* where its crypto completes, parallel.c */
	/* Whether its next request may run in place instead, parallel.c. */
	atomic_t inflight;		/* requests submitted, not yet freed */
	atomic_t in_place;		/* of which run in place */
	unsigned long last_submit;	/* jiffies */
	u32 flags;
	const struct esptun_alg *cipher;
	const struct esptun_alg *auth;
	struct esptun_lifetime lft;
	struct esptun_selector sel;
	u64 add_time;			/* CLOCK_BOOTTIME seconds */
	u64 order;			/* inbound: esptun_dev.in_order when added */
	unsigned long state;
	struct timer_list timer;	/* lifetime in seconds */
	atomic64_t seq;			/* outbound: last number used */
	struct esptun_replay *replay;	/* inbound only */
	struct esptun_sa_stats stats;
	struct rcu_work free_work;
};

static inline bool esptun_sa_esn(const struct esptun_sa *sa)
{
	return sa->flags & ESPTUN_SA_F_ESN;
}

const struct esptun_alg *esptun_alg_find(const char *name, enum esptun_alg_kind kind);
struct esptun_sa *esptun_sa_create(const struct esptun_sa_config *cfg);
void esptun_sa_put(struct esptun_sa *sa);
int esptun_sa_install(struct esptun_dev *tun, struct esptun_sa *sa,
		      struct netlink_ext_ack *extack);
int esptun_sa_remove(struct esptun_dev *tun, u8 dir, u32 spi);
void esptun_sa_flush(struct esptun_dev *tun);
u64 esptun_sa_seq(const struct esptun_sa *sa);
struct esptun_sa *esptun_sa_hold_out(struct esptun_dev *tun, struct sk_buff *skb,
				     struct esptun_flow *flow);
void esptun_sa_leave_netns(struct esptun_dev *tun);
void esptun_sa_join_netns(struct esptun_dev *tun);
bool esptun_sa_sent(struct net *net, u32 spi, sa_family_t family, const void *saddr,
		    const void *daddr);
bool esptun_sa_account(struct esptun_sa *sa, unsigned int bytes);
void esptun_sa_set_lifetime(struct esptun_sa *sa, const struct esptun_lifetime *lft);
void esptun_sa_seq_warn(struct esptun_sa *sa);
int esptun_sa_init(void);
void esptun_sa_uninit(void);

#endif /* _ESPTUN_SA_H */
