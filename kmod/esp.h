/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_ESP_H
#define _ESPTUN_ESP_H

#include <linux/llist.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/ip.h>
#include <linux/padata.h>
#include <crypto/aead.h>
#include <net/dsfield.h>

#include "compat.h"
#include "device.h"

struct esptun_sa;

/* UDP, the ESP header and the largest IV (AES-CBC). */
#define ESPTUN_MAX_HEADER (sizeof(struct udphdr) + sizeof(struct ip_esp_hdr) + 16)
/* Padding to a 16-byte block, pad length, next header, the largest ICV. */
#define ESPTUN_MAX_TRAILER (15 + 2 + 64)

/* How a request was run: what its SA counts until it is freed. */
enum esptun_crypt_path {
	ESPTUN_CRYPT_UNCOUNTED,
	ESPTUN_CRYPT_IN_PLACE,
	ESPTUN_CRYPT_SPREAD,
};

/* The most requests submitted together: a GSO packet's segments, a receive cell's run. */
#define ESPTUN_BURST 16

/*
 * One packet's crypto request. The aead_request and the scatterlist live
 * in the same allocation, behind this header. Requests of one SA may be
 * submitted together as a burst, chained by @next: spread, a burst costs
 * one hop to a crypto worker and one back, however many packets it holds.
 */
struct esptun_crypt {
	struct esptun_sa *sa;		/* referenced */
	struct sk_buff *skb;
	u64 seq;
	struct esptun_endpoints ep;	/* where the packet goes, or came from */
	u8 dsfield;			/* the inner DS field out, the outer one in */
	__be32 ad[3];			/* SPI, [seq hi,] seq lo */
	u8 iv[16] __aligned(16);
	struct aead_request *req;
	struct scatterlist *sg;
	bool encrypt;
	u8 path;			/* enum esptun_crypt_path, parallel.c */
	/* Called once the request is done, in submission order per SA, BH off. */
	void (*done)(struct esptun_crypt *c, int err);
	struct esptun_crypt *next;	/* in its burst */
	struct llist_node cell_node;	/* on a receive cell, rx_cell.c */
	struct esptun_crypt *burst;	/* the burst's first, while spread */
	int err;			/* the result, while a spread burst completes */
	atomic_t pending;		/* the first's: its burst's requests not done */
	struct padata_priv padata;	/* the first's, when spread over CPUs (parallel.c) */
};

/* The DS field (DSCP and ECN) of the IPv4 or IPv6 header at the network header. */
static inline u8 esptun_dsfield(struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP) ? ipv4_get_dsfield(ip_hdr(skb)) :
						  ipv6_get_dsfield(ipv6_hdr(skb));
}

/* With a reference on @sa; NULL when out of memory or @sa is being freed. */
struct esptun_crypt *esptun_crypt_alloc(struct esptun_sa *sa, struct sk_buff *skb,
					int nfrags, u64 seq);
int esptun_crypt_prepare(struct esptun_crypt *c, bool encrypt, unsigned int cryptlen,
			 void (*done)(struct esptun_crypt *c, int err));
void esptun_crypt_submit(struct esptun_crypt *first, unsigned int n);
int esptun_crypt_start(struct esptun_crypt *c, crypto_completion_t complete);
void esptun_crypt_free(struct esptun_crypt *c);

#if IS_ENABLED(CONFIG_PADATA)
int esptun_parallel_init(void);
void esptun_parallel_uninit(void);
int esptun_parallel_open(struct esptun_dev *tun);
void esptun_parallel_close(struct esptun_dev *tun);
bool esptun_parallel_wanted(const struct esptun_dev *tun);
bool esptun_parallel_submit(struct esptun_crypt *first, unsigned int n);
void esptun_parallel_done(struct esptun_crypt *c);
#else
/* Kernels without padata (it comes with pcrypt) do each packet's crypto in place. */
static inline int esptun_parallel_init(void) { return 0; }
static inline void esptun_parallel_uninit(void) { }
static inline int esptun_parallel_open(struct esptun_dev *tun) { return 0; }
static inline void esptun_parallel_close(struct esptun_dev *tun) { }
static inline void esptun_parallel_done(struct esptun_crypt *c) { }
static inline bool esptun_parallel_wanted(const struct esptun_dev *tun) { return false; }
static inline bool esptun_parallel_submit(struct esptun_crypt *first, unsigned int n)
{
	return false;
}
#endif

int esptun_rx_cells_open(struct esptun_dev *tun);
void esptun_rx_cells_stop(struct esptun_dev *tun);
void esptun_rx_cells_free(struct esptun_dev *tun);
void esptun_rx_cell_queue(struct esptun_dev *tun, struct esptun_crypt *c);

netdev_tx_t esptun_xmit(struct sk_buff *skb, struct net_device *dev);
int esptun_receive(struct sk_buff *skb, sa_family_t family, int encap_type);

#endif /* _ESPTUN_ESP_H */
