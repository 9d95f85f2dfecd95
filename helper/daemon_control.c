// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's end of the control socket (control.h): esptun up, down,
 * rekey and reload, each answered at once, for nothing here waits on the
 * network; what they start goes on in the event loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control.h"
#include "daemon.h"
#include "ike/install.h"
#include "ike/lifecycle.h"
#include "status.h"
#include "warmup.h"

/* esptun up NAME: administratively up, and negotiating now whatever its start says. */
static void cmd_up(struct daemon *d, int fd, const struct tunnel_cfg *t)
{
	struct tunnel_status *s = daemon_status_of(d, t);
	const struct ike_sa *sa;
	char peer[64];

	if (!s) {
		control_reply(fd, false, "out of memory");
		return;
	}
	s->down = false;
	daemon_status_changed(d, t);
	for_each_tunnel_sa(sa, &d->ctx, t)
		if (sa->state == MM_ESTABLISHED) {
			control_reply(fd, true, "%s is up already: its IKE SA is established",
				      t->name);
			return;
		}
	for_each_tunnel_sa(sa, &d->ctx, t)
		if (ike_sa_genuine(sa)) {
			control_reply(fd, true, "%s is being negotiated", t->name);
			return;
		}
	sa = ike_initiate(&d->ctx, t);
	if (!sa) {
		control_reply(fd, false, "%s: cannot start negotiating (see the daemon's log)",
			      t->name);
		return;
	}
	memcpy(s->up_cookie, sa->icookie, 8);
	d->ups_waiting = true;
	ike_addr_str(&sa->peer, peer, sizeof(peer));
	ike_log("%s: up (esptun up)", t->name);
	control_reply(fd, true, "%s: negotiating %s Mode with %s", t->name,
		      t->aggressive ? "Aggressive" : "Main", peer);
}

/* esptun down NAME: DELETE its SAs and keep it down. */
static void cmd_down(struct daemon *d, int fd, const struct tunnel_cfg *t)
{
	struct tunnel_status *s = daemon_status_of(d, t);
	int n;

	if (!s) {
		control_reply(fd, false, "out of memory");
		return;
	}
	if (s->down) {
		control_reply(fd, true, "%s is down already", t->name);
		return;
	}
	s->down = true;
	n = info_delete_tunnel(&d->ctx, t);
	s->nat[0] = s->peer[0] = s->problem[0] = 0;
	daemon_status_changed(d, t);
	ike_log("%s: down (esptun down): %d IKE SA%s deleted", t->name, n, n == 1 ? "" : "s");
	control_reply(
		fd, true,
		"%s is down: %d IKE SA%s deleted with its ESP SAs; esptun up %s brings it back",
		t->name, n, n == 1 ? "" : "s", t->name);
}

/* esptun rekey NAME: a new pair now, as at the end of its lifetime (rekey.c). */
static void cmd_rekey(struct daemon *d, int fd, const struct tunnel_cfg *t)
{
	char msg[CONTROL_MSG_MAX - 8];
	int ret = rekey_now(&d->ctx, t, msg, sizeof(msg));

	control_reply(fd, !ret, "%s", msg);
}

/*
 * Re-read the configuration file. Unchanged tunnels keep their SAs, which
 * move to the new configuration; changed and removed ones are deleted
 * first, so that nothing points into the old one when it is freed. MSG
 * gets what happened, or the error that left everything as it was.
 */
int daemon_reload(struct daemon *d, char *msg, size_t len)
{
	struct config cfg = { 0 };
	const struct tunnel_cfg *t;
	struct tunnel_status **pp;
	int n[TUNNEL_REMOVED + 1] = { 0 }, bad;

	daemon_notify("RELOADING=1");
	/* keylog-dir before anything changes: one it cannot open refuses the reload. */
	bad = config_load(d->path, &cfg, msg, len);
	if (!bad && (bad = keylog_configure(&d->keylog, &cfg, d->path, msg, len)))
		config_free(&cfg);
	if (bad) {
		ike_warn("reload refused, nothing changed: %s", msg);
		daemon_notify("READY=1\nSTATUS=reload refused: %s", msg);
		return -1;
	}
	for (t = d->cfg.tunnels; t; t = t->next) {
		enum tunnel_change c = config_change(&d->cfg, &cfg, t->name);
		const struct tunnel_cfg *to = config_find(&cfg, t->name);
		struct tunnel_status *s;
		struct ike_sa *sa;

		n[c]++;
		s = daemon_status_of(d, t);
		if (c == TUNNEL_UNCHANGED) {
			/* Its chain stays: the SAs go by the tunnel's name (ike/index.c). */
			for_each_tunnel_sa(sa, &d->ctx, t)
				sa->cfg = to;
		} else {
			ike_log("%s: %s by the reload: deleting its SAs", t->name,
				to ? "changed" : "removed");
			info_delete_tunnel(&d->ctx, t);
			if (!to)
				status_remove(t->name);
			if (s) {
				s->nat[0] = s->peer[0] = s->problem[0] = 0;
				routes_clear(&s->routes); /* the new settings add theirs */
			}
		}
		if (s)
			s->t = to;
	}
	/* The freed statuses may be on them: daemon_status_index() below makes them anew. */
	d->dirty = NULL;
	d->routes_due = NULL;
	for (pp = &d->status; *pp;) {
		struct tunnel_status *s = *pp;

		if (s->t) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		free(s);
	}
	for (t = cfg.tunnels; t; t = t->next)
		if (config_change(&d->cfg, &cfg, t->name) == TUNNEL_ADDED) {
			n[TUNNEL_ADDED]++;
			install_device(t);
		}
	config_free(&d->cfg);
	d->cfg = cfg;
	daemon_status_index(d);
	warmup_start(&d->cfg); /* new algorithms, before their first Quick Mode */
	d->packets_of = NULL;  /* it pointed into the old configuration */
	d->next_try_ms = 0;    /* changed and new tunnels start now */
	snprintf(msg, len, "reloaded %s: %d unchanged, %d changed, %d added, %d removed", d->path,
		 n[TUNNEL_UNCHANGED], n[TUNNEL_CHANGED], n[TUNNEL_ADDED], n[TUNNEL_REMOVED]);
	ike_log("%s", msg);
	daemon_notify("READY=1\nSTATUS=%s", msg);
	return 0;
}

/* Take the control connections waiting; the oldest goes when too many wait. */
void daemon_accept_clients(struct daemon *d)
{
	int fd, i;

	/* Blocking, but only ever used with MSG_DONTWAIT. */
	while ((fd = accept(d->control, NULL, NULL)) >= 0) {
		for (i = 0; i < CLIENTS && d->clients[i] >= 0; i++)
			;
		if (i == CLIENTS) {
			close(d->clients[0]);
			memmove(d->clients, d->clients + 1, sizeof(d->clients[0]) * (CLIENTS - 1));
			i = CLIENTS - 1;
		}
		d->clients[i] = fd;
		if (daemon_watch(d, fd)) {
			close(fd);
			d->clients[i] = -1;
		}
	}
}

/* One request from the control connection of slot I, answered at once: nothing here waits. */
void daemon_serve_client(struct daemon *d, int i)
{
	char buf[CONTROL_MSG_MAX + 1], msg[CONTROL_MSG_MAX - 8];
	struct control_request req;
	const struct tunnel_cfg *t;
	int fd = d->clients[i];
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	d->clients[i] = -1;
	if (n <= 0) {
		close(fd);
		return;
	}
	if (control_parse(buf, (size_t)n, &req, msg, sizeof(msg))) {
		control_reply(fd, false, "%s", msg);
		return;
	}
	if (req.verb == CONTROL_RELOAD) {
		int ret = daemon_reload(d, msg, sizeof(msg));

		control_reply(fd, !ret, "%s", msg);
		return;
	}
	t = config_find(&d->cfg, req.name);
	if (!t)
		control_reply(fd, false, "no tunnel %s in %s", req.name, d->path);
	else if (req.verb == CONTROL_UP)
		cmd_up(d, fd, t);
	else if (req.verb == CONTROL_DOWN)
		cmd_down(d, fd, t);
	else
		cmd_rekey(d, fd, t);
}

/*
 * Phase 1 starts Quick Mode only for start = initiate: the IKE SA of
 * esptun up on a start = respond tunnel gets its pair here, once established.
 */
void daemon_quick_mode_after_up(struct daemon *d)
{
	static const uint8_t none[8];
	struct tunnel_status *s;
	struct ike_sa *sa;

	/* Every loop iteration runs this: walk the tunnels only while one waits. */
	if (!d->ups_waiting)
		return;
	d->ups_waiting = false;
	for (s = d->status; s; s = s->next) {
		if (!memcmp(s->up_cookie, none, 8))
			continue;
		for_each_icookie_sa(sa, &d->ctx, s->up_cookie)
			if (sa->initiator)
				break;
		if (sa && sa->state != MM_ESTABLISHED) {
			d->ups_waiting = true; /* still negotiating */
			continue;
		}
		if (sa)
			pairs_start_all(sa);
		memset(s->up_cookie, 0, 8);
	}
}
