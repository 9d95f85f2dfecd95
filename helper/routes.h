/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon puts into the routing tables for a tunnel, as wg-quick
 * does: with routes = auto a route into the device per remote-ts while
 * the tunnel has ESP SAs, and the device's inner address (address =).
 * Routes carry protocol RTPROT_ESPTUN and are remembered by value, so a
 * route or address the daemon did not add is never touched, and a reload
 * that changes the lists still removes exactly what was added.
 */
#ifndef ESPTUN_ROUTES_H
#define ESPTUN_ROUTES_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* rtm_protocol of our routes (ip route shows "proto 157"); no routing daemon uses it. */
#define RTPROT_ESPTUN 157

/* What the daemon added for one tunnel. */
struct routes {
	char ifname[IFNAMSIZ];
	struct traffic_sel route[CONFIG_TS_MAX]; /* the routes we added */
	size_t n_routes;
	struct traffic_sel address; /* the address we added; family 0: none */
	bool managed;		    /* the daemon runs the tunnel: its address is in */
	bool up;		    /* the tunnel has ESP SAs: its routes are in */
};

/*
 * The daemon runs T, which is UP (has ESP SAs) or not: add its address the
 * first time, its routes when it came up, remove the routes R says we
 * added when it went down. Cheap when nothing changed; failures are logged.
 */
void routes_sync(struct routes *r, const struct tunnel_cfg *t, bool up);

/* Remove everything R says we added (the daemon stops, or forgets the tunnel). */
void routes_clear(struct routes *r);

#endif
