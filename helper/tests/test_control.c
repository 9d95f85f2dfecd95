// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's control requests (control.c), hostile ones included, what
 * a reload does to each tunnel (config_change), a refused reload, and
 * which tunnels' status files the next refresh looks at (d->dirty), and
 * whose routes the next pass looks at (d->routes_due).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "daemon.h"
#include "tap.h"

static void test_parse_requests(void)
{
	static const struct {
		const char *text;
		int ret;
		enum control_verb verb;
		const char *name;
		const char *err; /* a part of the error */
	} cases[] = {
		{ "up vpn0", 0, CONTROL_UP, "vpn0", "" },
		{ "down vpn0", 0, CONTROL_DOWN, "vpn0", "" },
		{ "rekey vpn0", 0, CONTROL_REKEY, "vpn0", "" },
		{ "rekey", -1, 0, "", "rekey needs a device name" },
		{ "reload", 0, CONTROL_RELOAD, "", "" },
		{ "up 0123456789abcde", 0, CONTROL_UP, "0123456789abcde", "" },
		{ "up 0123456789abcdef", -1, 0, "", "not a device name" },
		{ "up", -1, 0, "", "up needs a device name" },
		{ "up ", -1, 0, "", "up needs a device name" },
		{ "down", -1, 0, "", "down needs a device name" },
		{ "up a b", -1, 0, "", "not a device name" },
		{ "up a/b", -1, 0, "", "not a device name" },
		{ "up daemon:control", -1, 0, "", "not a device name" },
		{ "up ..", -1, 0, "", "not a device name" },
		{ "reload vpn0", -1, 0, "", "takes no device name" },
		{ "restart vpn0", -1, 0, "", "unknown request 'restart'" },
		{ "", -1, 0, "", "unknown request ''" },
		{ "UP vpn0", -1, 0, "", "unknown request" },
		{ "up vpn0\t", -1, 0, "", "not a printable request" },
	};
	struct control_request req;
	char err[128], big[CONTROL_MSG_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;

		err[0] = 0;
		ret = control_parse(cases[i].text, strlen(cases[i].text), &req, err, sizeof(err));
		ok(ret == cases[i].ret &&
			   (ret ||
			    (req.verb == cases[i].verb && !strcmp(req.name, cases[i].name))) &&
			   strstr(err, cases[i].err),
		   "control request '%s': %d '%s'", cases[i].text, ret, err);
	}
	/* Not NUL-terminated, with a NUL inside, too long: all refused without reading beyond. */
	ok(control_parse("up vpn0", 4, &req, err, sizeof(err)) == 0 && !strcmp(req.name, "v"),
	   "a request is its length, not up to a NUL");
	ok(control_parse("up v\0pn0", 8, &req, err, sizeof(err)) == -1, "a NUL inside is refused");
	memset(big, 'a', sizeof(big));
	ok(control_parse(big, sizeof(big), &req, err, sizeof(err)) == -1 && strstr(err, "too long"),
	   "a request over %d bytes is refused", CONTROL_MSG_MAX);
	ok(control_parse("\xff\xfe", 2, &req, err, sizeof(err)) == -1, "binary is refused");
}

#define TUNNEL(name, remote, esp) \
	"[" name "]\nlocal = 10.0.0.1\nremote = " remote "\npsk = k\nesp = " esp "\n"

static void test_reload_diff(void)
{
	struct config old = { 0 }, new = { 0 };
	char err[256];
	int ret;

	ret = config_parse("old",
			   TUNNEL("same", "10.0.0.2", "aes128gcm16")
				   TUNNEL("changed", "10.0.0.3", "aes128gcm16")
					   TUNNEL("gone", "10.0.0.4", "aes128gcm16"),
			   &old, err, sizeof(err));
	ret |= config_parse("new",
			    TUNNEL("changed", "10.0.0.3", "aes256-sha256")
				    TUNNEL("same", "10.0.0.2", "aes128gcm16")
					    TUNNEL("added", "10.0.0.5", "aes128gcm16"),
			    &new, err, sizeof(err));
	ok(!ret, "reload configurations parse: %s", ret ? err : "");
	if (ret)
		return;
	ok(config_change(&old, &new, "same") == TUNNEL_UNCHANGED,
	   "a section moved but equal is unchanged");
	ok(config_change(&old, &new, "changed") == TUNNEL_CHANGED, "another esp is a change");
	ok(config_change(&old, &new, "gone") == TUNNEL_REMOVED, "a missing section is removed");
	ok(config_change(&old, &new, "added") == TUNNEL_ADDED, "a new section is added");
	ok(config_find(&new, "gone") == NULL && config_find(&new, "added") != NULL,
	   "config_find finds by device name");
	config_free(&new);

	/* Each setting on its own is a change; formatting alone is not. */
	static const char *const variants[] = {
		TUNNEL("same", "10.0.0.9", "aes128gcm16"),
		TUNNEL("same", "10.0.0.2", "aes128gcm16-modp2048"),
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "psk = other\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "start = initiate\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "lifetime = 600\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "dpd-delay = 10\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "encap = always\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "remote-id = peer.example\n",
		TUNNEL("same", "10.0.0.2", "aes128gcm16") "ike = aes128-sha1-modp2048\n",
		"# a comment\n\n[same]\nremote=10.0.0.2\nlocal   =   10.0.0.1\nesp = aes128gcm16\n"
		"psk = k\n",
	};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		bool same_text = i == sizeof(variants) / sizeof(variants[0]) - 1;

		memset(&new, 0, sizeof(new));
		ret = config_parse("new", variants[i], &new, err, sizeof(err));
		ok(!ret && config_change(&old, &new, "same") ==
				   (same_text ? TUNNEL_UNCHANGED : TUNNEL_CHANGED),
		   "reload of variant %zu: %s", i,
		   ret	       ? err
		   : same_text ? "unchanged"
			       : "changed");
		config_free(&new);
	}
	config_free(&old);
}

/* TEXT as the file PATH, mode 0600 as a file with a key must be. */
static void write_conf(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, 0600);
}

/* A file the parser refuses leaves the running configuration as it was. */
static void test_reload_refused(void)
{
	char dir[] = "/tmp/esptun-reload-XXXXXX", path[64], msg[512];
	struct daemon d = { 0 };

	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp for the reload test");
		return;
	}
	snprintf(path, sizeof(path), "%s/esptun.conf", dir);
	d.path = path;
	write_conf(path, TUNNEL("a", "10.0.0.2", "aes128gcm16"));
	ok(config_load(path, &d.cfg, msg, sizeof(msg)) == 0, "the first configuration loads: %s",
	   msg);
	/* A second Main Mode tunnel to a's peer: the peer's MM1 for b would find a's PSK. */
	write_conf(path,
		   TUNNEL("a", "10.0.0.2", "aes128gcm16") TUNNEL("b", "10.0.0.2", "aes128gcm16"));
	ike_log_quiet = true;
	ok(daemon_reload(&d, msg, sizeof(msg)) == -1 &&
		   strstr(msg, ":8: [b] remote 10.0.0.2 is also [a]'s (line 3)"),
	   "a reload to two Main Mode tunnels to one peer is refused: %s", msg);
	ike_log_quiet = false;
	ok(config_find(&d.cfg, "a") && !config_find(&d.cfg, "b"),
	   "the refused reload keeps the running configuration");
	config_free(&d.cfg);
	unlink(path);
	rmdir(dir);
}

/* The statuses on D's dirty list (or routes list), or those of tunnel NAME. */
static size_t listed(const struct daemon *d, bool routes, const char *name)
{
	const struct tunnel_status *s;
	size_t n = 0;

	for (s = routes ? d->routes_due : d->dirty; s; s = routes ? s->routes_next : s->dirty_next)
		if (!name || !strcmp(s->t->name, name))
			n++;
	return n;
}

static size_t dirty(const struct daemon *d, const char *name)
{
	return listed(d, false, name);
}

static size_t routes_due(const struct daemon *d, const char *name)
{
	return listed(d, true, name);
}

/* What daemon_status_refresh and daemon_routes_sync do to the lists: every status leaves them. */
static void refreshed(struct daemon *d)
{
	struct tunnel_status *s;

	while ((s = d->dirty)) {
		d->dirty = s->dirty_next;
		s->dirty = false;
	}
	while ((s = d->routes_due)) {
		d->routes_due = s->routes_next;
		s->routes_due = false;
	}
}

/*
 * An event on one tunnel among several dirties that one, once however
 * often it is named, and puts it once on the routes list too, whose pass
 * runs after every event; a reload that frees a dirty status leaves
 * nothing of it on either list (ASan watches the walks), and puts every
 * tunnel kept on both.
 */
static void test_status_dirty(void)
{
	char dir[] = "/tmp/esptun-dirty-XXXXXX", path[64], msg[512] = "";
	struct daemon d = { 0 };
	const struct tunnel_cfg *b;

	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp for the dirty-list test");
		return;
	}
	snprintf(path, sizeof(path), "%s/esptun.conf", dir);
	d.path = path;
	write_conf(path,
		   TUNNEL("a", "10.0.0.2", "aes128gcm16") TUNNEL("b", "10.0.0.3", "aes128gcm16")
			   TUNNEL("c", "10.0.0.4", "aes128gcm16"));
	ok(config_load(path, &d.cfg, msg, sizeof(msg)) == 0, "three tunnels load: %s", msg);
	daemon_status_index(&d);
	ok(dirty(&d, NULL) == 3 && dirty(&d, "a") == 1 && dirty(&d, "b") == 1 &&
		   dirty(&d, "c") == 1,
	   "at the start every tunnel is dirty, once");
	ok(routes_due(&d, NULL) == 3 && routes_due(&d, "a") == 1 && routes_due(&d, "b") == 1 &&
		   routes_due(&d, "c") == 1,
	   "at the start every tunnel's routes are due, once (its address)");
	refreshed(&d);
	b = config_find(&d.cfg, "b");
	daemon_status_changed(&d, b);
	daemon_status_changed(&d, b);
	ok(dirty(&d, NULL) == 1 && dirty(&d, "b") == 1,
	   "an event on b dirties b, once, and no other tunnel");
	ok(routes_due(&d, NULL) == 1 && routes_due(&d, "b") == 1,
	   "an event on b makes b's routes due, once, and no other tunnel's");
	write_conf(path,
		   TUNNEL("a", "10.0.0.2", "aes128gcm16") TUNNEL("c", "10.0.0.4", "aes128gcm16"));
	ike_log_quiet = true;
	ok(daemon_reload(&d, msg, sizeof(msg)) == 0, "b removed by a reload: %s", msg);
	ike_log_quiet = false;
	ok(dirty(&d, NULL) == 2 && dirty(&d, "a") == 1 && dirty(&d, "c") == 1,
	   "after it the list holds a and c, once each, and nothing of b");
	ok(routes_due(&d, NULL) == 2 && routes_due(&d, "a") == 1 && routes_due(&d, "c") == 1,
	   "so does the routes list");
	while (d.status) {
		struct tunnel_status *s = d.status;

		d.status = s->next;
		free(s);
	}
	free(d.by_name);
	config_free(&d.cfg);
	unlink(path);
	rmdir(dir);
}

void test_control(void)
{
	test_parse_requests();
	test_reload_diff();
	test_reload_refused();
	test_status_dirty();
}
