/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handing negotiated SAs to esptun.ko: the device (created when absent),
 * its endpoints, then the inbound SA before the outbound one.
 */
#ifndef ESPTUN_IKE_INSTALL_H
#define ESPTUN_IKE_INSTALL_H

#include "../config.h"
#include "ike_sa.h"

/* Create T's device when it does not exist, and bring it up. 0 or -1 (logged). */
int install_device(const struct tunnel_cfg *t);

/* Point T's device at EP: the peer's address, UDP encapsulation and ports. 0 or -1 (logged). */
int install_endpoint(const struct tunnel_cfg *t, const struct ike_endpoint *ep);

/* Set the endpoints and add C->dirs of the SA pair: inbound first. 0 or -1 (logged). */
int install_child(const struct child_sa *c);

/*
 * Delete the SA pair from T's device (after a DELETE, or at shutdown); only
 * the inbound SA when SPI_OUT is 0. 0 or -1 (logged).
 */
int remove_child(const struct tunnel_cfg *t, uint32_t spi_in, uint32_t spi_out);

/* The packets T's ESP SA SPI (inbound when IN) has carried, for DPD and path.c. 0 or -1. */
int child_packets(const struct tunnel_cfg *t, bool in, uint32_t spi, uint64_t *packets);

#endif
