/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_REPLY_H
#define ESPTUN_REPLY_H

#include <stdint.h>

#include <netlink/attr.h>

#include <linux/esptun.h>

/* One SA of a reply, with 0 (or NULL) for what the kernel left out. */
struct sa_info {
	uint8_t dir;
	uint32_t spi;
	const char *aead, *enc, *auth;
	uint32_t icv_bits, flags, replay_window;
	uint64_t seq, add_time;
	uint64_t lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS + 1]; /* by enum esptun_lifetime_attr */
	uint64_t stats[ESPTUN_A_STATS_LAST_RX + 1];	       /* by enum esptun_stats_attr */
};

/* Parse an ESPTUN_A_SA nest of a reply or an event; returns 0 or an exit code. */
int sa_info_parse(struct nlattr *nest, struct sa_info *sa);

/* "in", "out", or "?" for a direction this helper does not know. */
const char *dir_name(uint8_t dir);

#endif
