/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE SAs of a tunnel and their ESP SA pairs as lines of the daemon's
 * status file, for esptun show (show.c reads them back). Times are
 * CLOCK_BOOTTIME seconds, so the file changes only with the SAs and the
 * reader works out ages and time left. Never a key.
 *
 *   ike-sa I-SPI R-SPI main|aggressive initiator|responder STATE PEER
 *          ESTABLISHED LIFETIME EXPIRES
 *   child-sa SPI-IN SPI-OUT EXPIRES active|standby [SELECTORS]
 *
 * SPIs (cookies) in hex, STATE as "mm3-sent", "established" or "dead",
 * PEER as address:port, ESTABLISHED 0 while negotiating, EXPIRES 0 when
 * not known; SELECTORS the pair the kernel enforces, ours first, as
 * ts_sel_str() writes it ("10.10.0.0/16 <-> 10.20.20.0/24"), absent when
 * the pair is 0/0 both ways; a child-sa line belongs to the ike-sa line
 * before it.
 */
#ifndef ESPTUN_IKE_REPORT_H
#define ESPTUN_IKE_REPORT_H

#include <stddef.h>

#include "ike_sa.h"

/* CFG's SAs as above into BUF, appended to its first LEN - 1 bytes' string; its new length. */
size_t ike_report(const struct ike_ctx *ctx, const struct tunnel_cfg *cfg, char *buf, size_t len);

#endif
