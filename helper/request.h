/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_REQUEST_H
#define ESPTUN_REQUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/esptun.h>

#include "alg.h"
#include "parse.h"

/*
 * The command lines of "esptun set" and "esptun sa", parsed into what the
 * netlink requests carry, apart from netlink so tests and the fuzzer can
 * drive them. ARGV starts at DEV in each parser.
 */

struct set_request {
	char ifname[IFNAMSIZ];
	struct address local, remote; /* family 0: leave unchanged */
	bool has_encap;
	uint8_t encap; /* enum esptun_encap */
	bool has_carrier;
	uint8_t carrier; /* enum esptun_carrier */
	uint16_t sport, dport;
};

/* A traffic selector (ESPTUN_A_SA_SELECTOR); proto and ports 0 for any. */
struct selector {
	struct prefix src, dst;
	uint8_t proto;
	uint16_t sport, dport;
};

struct sa_request {
	char ifname[IFNAMSIZ];
	uint8_t dir; /* enum esptun_dir */
	uint32_t spi;
	struct alg_spec alg;
	bool esn;
	bool has_replay_window, has_seq;
	uint32_t replay_window;
	uint64_t seq;
	bool has_sel; /* without one the SA carries any packet */
	struct selector sel;
	/* Indexed by enum esptun_lifetime_attr; 0 means no limit, as in the uapi. */
	uint64_t lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS + 1];
};

/* The units of lifetime limits, in the order of enum esptun_lifetime_attr. */
#define LIFETIME_UNITS 3
extern const char *const lifetime_units[LIFETIME_UNITS];

/* The uapi alternates soft and hard per unit: SOFT_BYTES, HARD_BYTES, SOFT_PACKETS, ... */
static inline int lifetime_attr(int unit, bool hard)
{
	return ESPTUN_A_LIFETIME_SOFT_BYTES + 2 * unit + hard;
}

int set_parse(int argc, char **argv, struct set_request *req);
int sa_add_parse(int argc, char **argv, struct sa_request *req);
int sa_set_parse(int argc, char **argv, struct sa_request *req);
int sa_del_parse(int argc, char **argv, struct sa_request *req);
int sa_flush_parse(int argc, char **argv, struct sa_request *req);
void sa_request_wipe(struct sa_request *req);

#endif
