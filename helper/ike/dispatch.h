/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What drives the negotiator (dispatch.c): received datagrams, the clock
 * and the shutdown. The daemon and the tests call these; the exchanges
 * and the bookkeeping below (ike_sa.h) never do.
 */
#ifndef ESPTUN_IKE_DISPATCH_H
#define ESPTUN_IKE_DISPATCH_H

#include "ike_sa.h"

/* Handle one received datagram from FROM. Never trusts it. */
void ike_input(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
	       size_t len);
/*
 * The same for a datagram that reached our NAT-T port: IKE behind the
 * non-ESP marker. The kernel already took ESP and keepalives out.
 */
void ike_input_natt(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
		    size_t len);

/*
 * Retransmit, expire, and whatever else is due, visiting only the SAs
 * whose deadline passed (timer.h); returns the ms until the next deadline
 * (or -1 for none).
 */
int64_t ike_tick(struct ike_ctx *ctx);

/* Shutdown: DELETE every SA to its peer and remove ours from the kernel. */
void ike_shutdown(struct ike_ctx *ctx);

#endif
