/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state, shared by its event loop (daemon.c) and its end of
 * the control socket (daemon_control.c).
 */
#ifndef ESPTUN_DAEMON_H
#define ESPTUN_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "ike/ike_sa.h"
#include "ike/install.h"
#include "kernel.h"
#include "keylog.h"
#include "routes.h"
#include "status.h"

#define CLIENTS 4 /* control connections waiting for their request; more push out the oldest */

/* What esptun show prints for a tunnel beside the kernel's view; empty parts are not known. */
struct tunnel_status {
	struct tunnel_status *next;
	struct tunnel_status *hnext; /* in its chain of d->by_name */
	const struct tunnel_cfg *t;
	char nat[96], peer[64];
	char problem[256];    /* what stands in the tunnel's way (path.c, retransmission) */
	bool down;	      /* esptun down: neither initiated nor accepted */
	uint8_t up_cookie[8]; /* esptun up's IKE SA, which brings up its pair whatever start says */
	uint64_t written;     /* digest of the file as last written, to write only changes */
	/* On d->dirty: the file may be behind (daemon_status_changed) */
	struct tunnel_status *dirty_next;
	bool dirty;
	/* On d->routes_due: its routes may be behind its pairs (daemon_routes_sync) */
	struct tunnel_status *routes_next;
	bool routes_due;
	struct routes routes; /* what the daemon added for it: routes, an address */
};

struct daemon {
	const char *path; /* the configuration file, read again on reload */
	struct config cfg;
	struct tunnel_status *status;
	/* d->status by a hash on the tunnel's name, sized at each (re)load; NULL: none */
	struct tunnel_status **by_name;
	size_t n_by_name;		  /* a power of 2 */
	struct tunnel_status *dirty;	  /* what daemon_status_refresh looks at, nothing else */
	struct tunnel_status *routes_due; /* what daemon_routes_sync looks at */
	struct ike_ctx ctx;
	int sock4, sock6, natt4, natt6, timer, sig, epoll;
	struct kernel *events; /* esptun.ko's events: a peer's NAT mapping moved */
	int events_fd;
	int control;		 /* the control socket, or -1 */
	int clients[CLIENTS];	 /* accepted control connections, -1 when free */
	uint64_t next_try_ms;	 /* when to retry the tunnels we initiate */
	uint64_t next_status_ms; /* the earliest time for the next daemon_status_refresh */
	bool ups_waiting;	 /* an up_cookie may be set (daemon_quick_mode_after_up) */
	/* The last tunnel's SA counters and when they were read (esp_packets_cb) */
	const struct tunnel_cfg *packets_of;
	uint64_t packets_ms;
	struct tunnel_packets packets;
	struct keylog keylog; /* keylog-dir of the configuration: off unless it has one */
};

/* T's status, made on first use; NULL when out of memory. */
struct tunnel_status *daemon_status_of(struct daemon *d, const struct tunnel_cfg *t);
/*
 * Size d->by_name for the configuration's tunnels, fill it from d->status,
 * and make every tunnel's status dirty: at the start, and after a reload.
 */
void daemon_status_index(struct daemon *d);
/*
 * Something happened to T: sync its routes at once (daemon_routes_sync), and
 * write its status file at the next refresh, if it changed. O(1).
 */
void daemon_status_changed(struct daemon *d, const struct tunnel_cfg *t);
/* The same, S at hand. */
void daemon_status_mark(struct daemon *d, struct tunnel_status *s);
/*
 * Write the status files of the dirty tunnels whose text changed
 * (daemon_status.c). The loop calls it at most every STATUS_REFRESH_MS,
 * or ten times its own duration.
 */
#define STATUS_REFRESH_MS 50
void daemon_status_refresh(struct daemon *d);
/*
 * Add or remove the routes and address of each tunnel that something
 * happened to, as its pairs now are. The loop calls it after every event:
 * traffic waits on a route, so it may not wait for the refresh.
 */
void daemon_routes_sync(struct daemon *d);
/* Add FD (none when negative) to the event loop. */
int daemon_watch(struct daemon *d, int fd);
/* Tell systemd (notify.h) the daemon's state; a failure is logged, once, and otherwise ignored. */
void daemon_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* daemon_control.c: esptun up, down, rekey and reload; d->ctx.now_ms is current */
/* Re-read the configuration; MSG gets what happened or why nothing did. 0 or -1. */
int daemon_reload(struct daemon *d, char *msg, size_t len);
/* The control socket is readable: take the connections waiting. */
void daemon_accept_clients(struct daemon *d);
/* Control connection slot I is readable: answer its request. */
void daemon_serve_client(struct daemon *d, int i);
/* Give the IKE SAs of esptun up that are now established their pair. */
void daemon_quick_mode_after_up(struct daemon *d);

#endif
