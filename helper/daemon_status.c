// SPDX-License-Identifier: GPL-2.0
/*
 * What esptun show reads of the daemon: each tunnel's status (daemon.h),
 * found by name through a hash, and its file under /run/esptun, written
 * again only for the tunnels something happened to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "ike/lifecycle.h"
#include "ike/report.h"
#include "log.h"
#include "status.h"

/* FNV-1a: tells a changed status text from the last one written, in 8 bytes per tunnel. */
static uint64_t digest(const char *text)
{
	uint64_t h = 14695981039346656037ULL;

	while (*text)
		h = (h ^ (uint8_t)*text++) * 1099511628211ULL;
	return h;
}

/* The chain of d->by_name for NAME; NULL without an index. */
static struct tunnel_status **chain_of(struct daemon *d, const char *name)
{
	return d->by_name ? &d->by_name[digest(name) & (d->n_by_name - 1)] : NULL;
}

/*
 * Rebuilt rather than kept up to date through a reload, which renames
 * nothing (a status moves to the new tunnel of its name) but frees some.
 * Out of memory, lookups walk d->status. So are the dirty and routes
 * lists, which the freed ones may have been on: every tunnel is on them
 * then, as at the start, where the first routes pass adds each tunnel's
 * address (routes_sync).
 */
void daemon_status_index(struct daemon *d)
{
	const struct tunnel_cfg *t;
	struct tunnel_status *s, **chain;
	size_t tunnels = 0, n = 64;

	for (t = d->cfg.tunnels; t; t = t->next)
		tunnels++;
	while (n < tunnels) /* about a tunnel per chain */
		n *= 2;
	free(d->by_name);
	d->by_name = calloc(n, sizeof(*d->by_name));
	d->n_by_name = d->by_name ? n : 0;
	d->dirty = NULL;
	d->routes_due = NULL;
	for (s = d->status; s; s = s->next) {
		s->dirty = false;
		s->routes_due = false;
		chain = chain_of(d, s->t->name);
		if (chain) {
			s->hnext = *chain;
			*chain = s;
		}
	}
	for (t = d->cfg.tunnels; t; t = t->next)
		daemon_status_changed(d, t);
}

struct tunnel_status *daemon_status_of(struct daemon *d, const struct tunnel_cfg *t)
{
	struct tunnel_status **chain = chain_of(d, t->name), *s;

	for (s = chain ? *chain : d->status; s; s = chain ? s->hnext : s->next)
		if (s->t == t)
			return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->t = t;
	s->written = digest(""); /* as before its first SA: no file */
	s->next = d->status;
	d->status = s;
	if (chain) {
		s->hnext = *chain;
		*chain = s;
	}
	return s;
}

void daemon_status_mark(struct daemon *d, struct tunnel_status *s)
{
	if (!s)
		return;
	if (!s->routes_due) {
		s->routes_due = true;
		s->routes_next = d->routes_due;
		d->routes_due = s;
	}
	if (!s->dirty) {
		s->dirty = true;
		s->dirty_next = d->dirty;
		d->dirty = s;
	}
}

void daemon_status_changed(struct daemon *d, const struct tunnel_cfg *t)
{
	daemon_status_mark(d, daemon_status_of(d, t));
}

/* S's status file, when the text changed. */
static void refresh_one(struct daemon *d, struct tunnel_status *s)
{
	char text[STATUS_MAX];
	const struct tunnel_cfg *t = s->t;

	snprintf(text, sizeof(text), "%s%s%s%s%s%s%s%s%s%s", s->down ? "admin: down\n" : "",
		 *s->nat ? "nat: " : "", s->nat, *s->nat ? "\n" : "", *s->peer ? "ike peer: " : "",
		 s->peer, *s->peer ? "\n" : "", *s->problem ? "problem: " : "", s->problem,
		 *s->problem ? "\n" : "");
	ike_report(&d->ctx, t, text, sizeof(text));
	if (digest(text) == s->written)
		return;
	/* Said once per change: a read-only /run must not flood the log. */
	if (status_write(t->name, text))
		ike_warn("%s: cannot write its status for esptun show: %s", t->name,
			 strerror(errno));
	s->written = digest(text);
}

/*
 * Write the status files of the tunnels something happened to since the
 * last time (d->dirty: a datagram or a timer visit of one of its SAs, an
 * SA made or freed, a pair the kernel expired, its endpoint, problem or
 * admin state set, a reload), whose text changed. Each costs a look at
 * its tunnel's SAs, the others nothing: an IKE event costs its tunnel, not
 * a pass over a thousand. A tunnel up costs a look at each of its timers
 * all the same (DPD, keepalives, rekeys, path.c when the peer probes).
 * It runs only when the daemon is about to sleep, at most every
 * STATUS_REFRESH_MS or ten times its own duration: a burst of events
 * coalesces, spends at most a tenth of the daemon's time here, and a file
 * is behind by no more than that. The times in them are absolute
 * (report.h) and nothing in them counts down: age alone changes nothing,
 * and whatever ends (an SA, a pair) ends in one of those events, so no
 * sweep over every tunnel is needed.
 */
void daemon_status_refresh(struct daemon *d)
{
	struct tunnel_status *s;

	while ((s = d->dirty)) {
		d->dirty = s->dirty_next;
		s->dirty = false;
		refresh_one(d, s);
	}
}

/*
 * Each costs a look at its tunnel's SAs, and rtnetlink only when its pairs
 * came up or all went: a tunnel is on the list once however many events
 * it had since the last pass.
 */
void daemon_routes_sync(struct daemon *d)
{
	struct tunnel_status *s;

	while ((s = d->routes_due)) {
		d->routes_due = s->routes_next;
		s->routes_due = false;
		routes_sync(&s->routes, s->t, pairs_up(&d->ctx, s->t));
	}
}
