/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_REPLY_H
#define ESPTUN_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <netlink/attr.h>

#include <linux/esptun.h>

#include "request.h"

/* One SA of a reply, with 0 (or NULL) for what the kernel left out. */
struct sa_info {
	uint8_t dir;
	uint32_t spi;
	const char *aead, *enc, *auth;
	uint32_t icv_bits, flags, replay_window;
	uint64_t seq, add_time;
	uint64_t lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS + 1]; /* by enum esptun_lifetime_attr */
	uint64_t stats[ESPTUN_A_STATS_LAST_MS + 1];	       /* by enum esptun_stats_attr */
	bool has_sel;
	struct selector sel;
};

/* Parse an ESPTUN_A_SA nest of a reply or an event; returns 0 or an exit code. */
int sa_info_parse(struct nlattr *nest, struct sa_info *sa);

/* Parse an ESPTUN_A_SA_SELECTOR or ESPTUN_A_SELECTOR nest; returns 0 or an exit code. */
int selector_parse(struct nlattr *nest, struct selector *sel);

/*
 * SEL as "SRC -> DST [proto P] [sport N] [dport N]" into BUF, a prefix of
 * full length as the bare address; with FULL every prefix as ADDR/LEN.
 */
#define PREFIX_TEXT_MAX (INET6_ADDRSTRLEN + 4)
#define SELECTOR_TEXT_MAX (2 * PREFIX_TEXT_MAX + 64)
void prefix_format(const struct prefix *prefix, bool full, char *buf, size_t size);
void selector_format(const struct selector *sel, char *buf, size_t size);

/* "in", "out", or "?" for a direction this helper does not know. */
const char *dir_name(uint8_t dir);

#endif
