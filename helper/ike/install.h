/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handing negotiated SAs to esptun.ko: the device (created when absent),
 * its endpoints, then the inbound SA before the outbound one.
 */
#ifndef ESPTUN_IKE_INSTALL_H
#define ESPTUN_IKE_INSTALL_H

#include <linux/esptun.h>
#include <netlink/msg.h>

#include "../config.h"
#include "ike_sa.h"

/*
 * Create T's device when it does not exist, and bring it up; remove the
 * SAs an existing one holds (a daemon before us left them). 0 or -1 (logged).
 */
int install_device(const struct tunnel_cfg *t);

/* Remove every SA of T's device. 0 or -1 (logged). */
int install_flush(const struct tunnel_cfg *t);

/* Point T's device at EP: the peer's address, UDP encapsulation and ports. 0 or -1 (logged). */
int install_endpoint(const struct tunnel_cfg *t, const struct ike_endpoint *ep);

/* Set the endpoints and add C->dirs of the SA pair: inbound first. 0 or -1 (logged). */
int install_child(const struct child_sa *c);

/*
 * The attributes of NEW_SA for the half DIR (enum esptun_dir) of C into
 * MSG, its selector included: 0 or a negative libnl error. For the tests.
 */
int install_sa_request(struct nl_msg *msg, const struct child_sa *c, uint8_t dir);

/*
 * Delete the SA pair from T's device (after a DELETE, or at shutdown); only
 * the inbound SA when SPI_OUT is 0. 0 or -1 (logged).
 */
int remove_child(const struct tunnel_cfg *t, uint32_t spi_in, uint32_t spi_out);

/* A tunnel's ESP SAs and their use, as its device lists them. */
struct tunnel_packets {
	size_t n;
	struct tunnel_sa_use {
		bool in;
		uint32_t spi;
		uint64_t packets;
		uint64_t last_ms; /* CLOCK_BOOTTIME millisecond of its last packet, 0: none */
	} sa[ESPTUN_MAX_OUTBOUND_SAS + ESPTUN_MAX_INBOUND_SAS];
};

/* Every SA of T's device with its use, in one request. 0 or -1. */
int tunnel_packets_get(const struct tunnel_cfg *t, struct tunnel_packets *tp);
/* SA SPI (inbound when IN) in TP; NULL when TP does not have it. */
const struct tunnel_sa_use *tunnel_packets_of(const struct tunnel_packets *tp, bool in,
					      uint32_t spi);

#endif
