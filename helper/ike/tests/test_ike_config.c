// SPDX-License-Identifier: GPL-2.0
/*
 * The INI configuration: a full tunnel, defaults, and every error with
 * its file:line.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../config.h"
#include "test_ike.h"

static char err[512];

static int parse(const char *text)
{
	struct config c;
	int ret = config_parse("t.conf", text, &c, err, sizeof(err));

	if (!ret)
		config_free(&c);
	return ret;
}

/* TEXT must fail with exactly WANT. */
static void refused(const char *text, const char *want)
{
	CHECK(parse(text) == -1);
	CHECK(strcmp(err, want) == 0);
	if (strcmp(err, want))
		fprintf(stderr, "  want: %s\n  got:  %s\n", want, err);
}

static void test_full(void)
{
	struct config c;
	struct tunnel_cfg *t;
	const char *text = "# site A\n"
			   "[vpn0]\n"
			   "local = 192.0.2.1\n"
			   "remote = 192.0.2.2\n"
			   "mode = main\n"
			   "auth = psk\n"
			   "psk = correct horse\n"
			   "local-id = @a.example\n"
			   "remote-id = b@example.org\n"
			   "ike = aes256-sha256-modp2048, aes128-sha1-modp2048\n"
			   "esp = aes128gcm16-modp2048, aes256-sha256-modp2048\n"
			   "ike-lifetime = 8h\n"
			   "lifetime = 60m\n"
			   "lifetime-bytes = 1G\n"
			   "ike-lifetime-bytes = 64k\n"
			   "local-ts = 10.1.0.0/16, 10.1.0.0/16[tcp/80], 10.1.0.0/16[47]\n"
			   "remote-ts = 10.2.3.4, 10.2.3.4[udp/%any]\n"
			   "dpd-delay = 30s\n"
			   "dpd-timeout = 120\n"
			   "dpd-action = clear\n"
			   "encap = always\n"
			   "nat-keepalive = 10s\n"
			   "fragmentation = force\n"
			   "fragment-size = 300\n"
			   "esp-timeout = 1m\n"
			   "start = initiate\n"
			   "\n"
			   "[vpn1]\n"
			   "  local = 2001:db8::1  \n"
			   "remote=2001:db8::2\n"
			   "psk=x\n"
			   "remote-id = keyid:abc\n";

	CHECK(config_parse("t.conf", text, &c, err, sizeof(err)) == 0);
	t = c.tunnels;
	CHECK(t && !strcmp(t->name, "vpn0") && t->family == AF_INET);
	CHECK(t->psk_len == 13 && !memcmp(t->psk, "correct horse", 13));
	CHECK(t->local_id.type == ID_FQDN && t->local_id.len == 9);
	CHECK(t->remote_id.type == ID_USER_FQDN);
	CHECK(t->fragmentation == FRAG_FORCE && t->fragment_size == 300);
	CHECK(t->n_ike == 2 && t->n_esp == 2 && t->esp[1].pfs_group == 14);
	CHECK(t->ike_lifetime == 28800 && t->lifetime == 3600 && t->dpd_delay == 30 &&
	      t->dpd_timeout == 120 && t->dpd_action == DPD_CLEAR && t->initiate);
	CHECK(t && t->encap == ENCAP_ALWAYS && t->nat_keepalive == 10 && t->esp_timeout == 60);
	CHECK(t && t->lifetime_kb == 1024 * 1024 && t->ike_lifetime_kb == 64);
	CHECK(t && t->n_local_ts == 3 && t->local_ts[0].family == AF_INET &&
	      t->local_ts[0].prefix == 16 && t->local_ts[0].addr[0] == 10 &&
	      t->local_ts[0].addr[1] == 1 && !t->local_ts[0].proto);
	CHECK(t->local_ts[1].proto == 6 && t->local_ts[1].port == 80);
	CHECK(t->local_ts[2].proto == 47 && !t->local_ts[2].port);
	CHECK(t->n_remote_ts == 2 && t->remote_ts[1].proto == 17 && !t->remote_ts[1].port);
	CHECK(t && t->n_remote_ts == 2 && t->remote_ts[0].family == AF_INET &&
	      t->remote_ts[0].prefix == 32 && t->remote_ts[0].addr[3] == 4);
	t = t ? t->next : NULL;
	CHECK(t && t->lifetime_kb == 0 && t->ike_lifetime_kb == 0);
	CHECK(t && !strcmp(t->name, "vpn1") && t->family == AF_INET6);
	CHECK(t && t->n_ike == 1 && t->ike[0].group == 14 && t->n_esp == 1 &&
	      t->esp[0].transform == ESP_AES_GCM_16 && !t->initiate &&
	      t->remote_id.type == ID_KEY_ID);
	CHECK(t && t->encap == ENCAP_AUTO && t->nat_keepalive == 20 && t->esp_timeout == 30);
	CHECK(t && t->fragmentation == FRAG_YES && t->fragment_size == 0);
	config_free(&c);
	/* Aggressive Mode with several proposals of one group. */
	CHECK(parse("[vpn0]\nmode = aggressive\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\n"
		    "ike = aes256-sha256-modp2048, aes128-sha1-modp2048\n") == 0);
	CHECK(config_parse("t.conf",
			   "[vpn0]\nmode=aggressive\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\n", &c,
			   err, sizeof(err)) == 0 &&
	      c.tunnels->aggressive);
	config_free(&c);
}

static void test_errors(void)
{
	refused("", "t.conf:0: no [device] section");
	refused("local = 1.2.3.4\n", "t.conf:1: key outside a [device] section");
	refused("[vpn0\n", "t.conf:1: expected [device]");
	refused("[a/b]\n", "t.conf:1: [a/b]: not a valid device name");
	refused("[vpn0]\nlocal\n", "t.conf:2: expected key = value");
	refused("[vpn0]\ncolour = blue\n", "t.conf:2: unknown key 'colour'");
	refused("[vpn0]\nlocal = 300.1.1.1\n",
		"t.conf:2: local = 300.1.1.1: not an IPv4 or IPv6 address");
	refused("[vpn0]\nlocal = 1.1.1.1\nremote = ::1\n",
		"t.conf:3: remote = ::1: local and remote must be of one address family");
	refused("[vpn0]\nlocal = 1.1.1.1\nremote = 1.1.1.2\n",
		"t.conf:1: [vpn0] needs psk or psk-file");
	refused("[vpn0]\nlocal = 1.1.1.1\npsk = x\n",
		"t.conf:1: [vpn0] needs both local and remote addresses");
	refused("[vpn0]\nike = aes256-sha256\n",
		"t.conf:2: ike = aes256-sha256: 'aes256-sha256' names no DH group (e.g. modp2048)");
	refused("[vpn0]\nesp = aes128gcm16-modp2048, aes256-sha256\n",
		"t.conf:2: esp = aes128gcm16-modp2048, aes256-sha256: all proposals need the same "
		"DH group (PFS) or none");
	refused("[vpn0]\nmode = quick\n", "t.conf:2: mode = quick: expected main or aggressive");
	refused("[vpn0]\nfragmentation = maybe\n",
		"t.conf:2: fragmentation = maybe: expected yes, no or force");
	refused("[vpn0]\nfragment-size = 99\n",
		"t.conf:2: fragment-size = 99: expected bytes from 100 to 4096");
	refused("[vpn0]\nfragment-size = 4097\n",
		"t.conf:2: fragment-size = 4097: expected bytes from 100 to 4096");
	refused("[vpn0]\nfragment-size = 1k\n",
		"t.conf:2: fragment-size = 1k: expected bytes from 100 to 4096");
	refused("[vpn0]\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\nike = aes256-sha256-modp2048, "
		"aes128-sha1-ecp256\nmode = aggressive\n",
		"t.conf:5: [vpn0] mode = aggressive sends one KE payload: every ike proposal needs "
		"the same DH group");
	refused("[vpn0]\nauth = x509\n", "t.conf:2: auth = x509: expected psk, rsa or ecdsa");
	refused("[vpn0]\nlifetime = 1y\n",
		"t.conf:2: lifetime = 1y: not a duration (e.g. 3600, 60m, 8h, 1d)");
	refused("[vpn0]\nlifetime = -1\n",
		"t.conf:2: lifetime = -1: not a duration (e.g. 3600, 60m, 8h, 1d)");
	refused("[vpn0]\nlifetime = 9s\n", "t.conf:2: lifetime = 9s: at least 10s");
	refused("[vpn0]\nlocal-ts = 10.1.0.1/16\n",
		"t.conf:2: local-ts = 10.1.0.1/16: address bits set beyond the /16 prefix");
	refused("[vpn0]\nlocal-ts = 10.1.0.0/16[icmp/8]\n",
		"t.conf:2: local-ts = 10.1.0.0/16[icmp/8]: protocol 1 has no ports");
	refused("[vpn0]\nlocal-ts = 10.1.0.0/16[tcp/0]\n",
		"t.conf:2: local-ts = 10.1.0.0/16[tcp/0]: expected [protocol] or [protocol/port] "
		"after the subnet (e.g. 10.1.0.0/16[tcp/80], [udp], [47])");
	refused("[vpn0]\nlocal-ts = 10.1.0.0/16[bogus]\n",
		"t.conf:2: local-ts = 10.1.0.0/16[bogus]: expected [protocol] or [protocol/port] "
		"after the subnet (e.g. 10.1.0.0/16[tcp/80], [udp], [47])");
	refused("[vpn0]\nlocal-ts = 10.1.0.0/16[tcp/80\n",
		"t.conf:2: local-ts = 10.1.0.0/16[tcp/80: expected [protocol] or [protocol/port] "
		"after the subnet (e.g. 10.1.0.0/16[tcp/80], [udp], [47])");
	refused("[vpn0]\nremote-ts = 10.1.0.0/33\n",
		"t.conf:2: remote-ts = 10.1.0.0/33: not a subnet (e.g. 10.1.0.0/16)");
	refused("[vpn0]\nremote-ts = 10.1.0.0/\n",
		"t.conf:2: remote-ts = 10.1.0.0/: not a subnet (e.g. 10.1.0.0/16)");
	refused("[vpn0]\nlocal-ts = 2001:db8::/129\n",
		"t.conf:2: local-ts = 2001:db8::/129: not a subnet (e.g. 10.1.0.0/16)");
	refused("[vpn0]\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\nlocal-ts = 10.0.0.0/8\n"
		"remote-ts = 2001:db8::/32\n",
		"t.conf:1: [vpn0] local-ts and remote-ts must be of one address family");
	refused("[vpn0]\nlifetime-bytes = 1000k\n",
		"t.conf:2: lifetime-bytes = 1000k: at least 1M, or 0 for none");
	refused("[vpn0]\nike-lifetime-bytes = 3k\n",
		"t.conf:2: ike-lifetime-bytes = 3k: at least 4K, or 0 for none");
	refused("[vpn0]\nike-lifetime-bytes = x\n",
		"t.conf:2: ike-lifetime-bytes = x: not a size (e.g. 1073741824, 500M, 2G)");
	refused("[vpn0]\nlifetime-bytes = 5P\n",
		"t.conf:2: lifetime-bytes = 5P: not a size (e.g. 1073741824, 500M, 2G)");
	refused("[vpn0]\nlifetime-bytes = 5T\n",
		"t.conf:2: lifetime-bytes = 5T: too large (less than 4T)");
	refused("[vpn0]\nlifetime-bytes = 99999999999T\n",
		"t.conf:2: lifetime-bytes = 99999999999T: too large");
	refused("[vpn0]\ndpd-action = hold\n",
		"t.conf:2: dpd-action = hold: expected clear or restart");
	refused("[vpn0]\nstart = now\n", "t.conf:2: start = now: expected initiate or respond");
	refused("[vpn0]\nencap = yes\n", "t.conf:2: encap = yes: expected auto, always or never");
	refused("[vpn0]\nnat-keepalive = often\n",
		"t.conf:2: nat-keepalive = often: not a duration (e.g. 3600, 60m, 8h, 1d)");
	refused("[vpn0]\nesp-timeout = -5\n",
		"t.conf:2: esp-timeout = -5: not a duration (e.g. 3600, 60m, 8h, 1d)");
	refused("[vpn0]\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\n[vpn0]\n",
		"t.conf:5: [vpn0] appears twice");
	refused("[vpn0]\npsk-file = /nonexistent/psk\n",
		"t.conf:2: psk-file /nonexistent/psk: No such file or directory");
}

/* Whitespace then '#' starts a comment; a '#' inside a word is part of the value. */
static void test_comments(void)
{
	struct config c;
	struct tunnel_cfg *t;
	const char *text = "[vpn0]   # site A\n"
			   "local = 192.0.2.1              # our address\n"
			   "remote = 192.0.2.2\t# the peer's\n"
			   "psk = a long shared secret     # or: psk-file\n"
			   "  # an indented comment line\n"
			   "remote-id = keyid:a#1\n"
			   "[vpn1]\n"
			   "local = 192.0.2.1\n"
			   "remote = 192.0.2.3\n"
			   "psk = no#comment;here\t#but here\n";

	CHECK(config_parse("t.conf", text, &c, err, sizeof(err)) == 0);
	t = c.tunnels;
	CHECK(t && t->psk_len == 20 && !memcmp(t->psk, "a long shared secret", 20));
	CHECK(t && t->remote[3] == 2 && t->remote_id.type == ID_KEY_ID && t->remote_id.len == 3 &&
	      !memcmp(t->remote_id.data, "a#1", 3));
	t = t ? t->next : NULL;
	CHECK(t && t->psk_len == 15 && !memcmp(t->psk, "no#comment;here", 15));
	config_free(&c);
	refused("[vpn0]\npsk = #secret\n", "t.conf:2: psk: empty or longer than 255 bytes");
	refused("[vpn0]\nlocal = 192.0.2.1 ; ours\n",
		"t.conf:2: local = 192.0.2.1 ; ours: not an IPv4 or IPv6 address");
}

/* Tunnels to one peer address: refused when the responder could not tell which is meant. */
static void test_one_peer(void)
{
	refused("[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\n"
		"[b]\nlocal = 192.0.2.3\nremote = 192.0.2.2\npsk = y\n",
		"t.conf:7: [b] remote 192.0.2.2 is also [a]'s (line 3): Main Mode with pre-shared "
		"keys cannot tell two tunnels to one peer apart; use one tunnel, or Aggressive "
		"Mode with distinct remote-id");
	/* Known only at the end of the section, named by its remote line; the address as bytes. */
	refused("[a]\nremote = 2001:db8::2\nlocal = 2001:db8::1\npsk = x\n[m]\nlocal = 10.0.0.1\n"
		"remote = 10.0.0.2\npsk = x\n[b]\nremote = 2001:db8:0::2\nlocal = 2001:db8::1\n"
		"psk = x\nremote-id = @b.example\nmode = main\n",
		"t.conf:10: [b] remote 2001:db8::2 is also [a]'s (line 2): Main Mode with "
		"pre-shared keys cannot tell two tunnels to one peer apart; use one tunnel, or "
		"Aggressive Mode with distinct remote-id");
	refused("[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\nmode = aggressive\n"
		"[b]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = y\nmode = aggressive\n",
		"t.conf:8: [b] remote 192.0.2.2 is also [a]'s (line 3), neither with a remote-id: "
		"Aggressive Mode tells tunnels to one peer apart by remote-id alone; give each its "
		"own");
	refused("[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\nmode = aggressive\n"
		"remote-id = @peer.example\n[b]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = y\n"
		"mode = aggressive\nremote-id = peer.example\n",
		"t.conf:9: [b] remote 192.0.2.2 is also [a]'s (line 3), with the same remote-id: "
		"Aggressive Mode tells tunnels to one peer apart by remote-id alone; give each its "
		"own");
	/* Main Mode beside Aggressive Mode, and Aggressive Mode tunnels of distinct remote-id. */
	CHECK(parse("[m]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\n"
		    "[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = y\nmode = aggressive\n"
		    "[b]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = z\nmode = aggressive\n"
		    "remote-id = @b.example\n"
		    "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = w\nmode = aggressive\n"
		    "remote-id = c@example\n"
		    "[n]\nlocal = 192.0.2.1\nremote = 192.0.2.3\npsk = v\n") == 0);
}

static void test_psk_file(void)
{
	char dir[] = "/tmp/esptun-cfg-XXXXXX", path[64], text[256];
	struct config c;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/psk", dir);
	f = fopen(path, "w");
	fputs("from a file\n", f);
	fclose(f);
	chmod(path, 0644);
	snprintf(text, sizeof(text), "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk-file = %s\n",
		 path);
	CHECK(parse(text) == -1);
	CHECK(strstr(err, "t.conf:4: psk-file") && strstr(err, "mode 644 lets others read it"));
	chmod(path, 0600);
	CHECK(config_parse("t.conf", text, &c, err, sizeof(err)) == 0);
	CHECK(c.tunnels && c.tunnels->psk_len == 11 && !memcmp(c.tunnels->psk, "from a file", 11));
	config_free(&c);
	snprintf(text, sizeof(text),
		 "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk = a\npsk-file = %s\n", path);
	CHECK(parse(text) == -1 && strstr(err, "has both psk and psk-file"));
	/* Another user's file: that user knows the key. Only root can make one. */
	snprintf(text, sizeof(text), "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk-file = %s\n",
		 path);
	if (geteuid() == 0 && chown(path, 65534, 65534) == 0) {
		CHECK(parse(text) == -1 && strstr(err, "t.conf:4: psk-file") &&
		      strstr(err,
			     "owned by uid 65534, neither root nor the daemon's; chown root it"));
	} else {
		printf("# skipped: a psk-file of another user needs root\n");
	}
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	CHECK(chmod(path, mode) == 0);
}

static int load(const char *path)
{
	struct config c;
	int ret = config_load(path, &c, err, sizeof(err));

	if (!ret)
		config_free(&c);
	return ret;
}

/* An inline psk only in a file nobody else may read; a FIFO is refused, not waited on. */
static void test_secret_files(void)
{
	char dir[] = "/tmp/esptun-cfg-XXXXXX", conf[64], psk[64], fifo[64], want[512];
	static const char inline_psk[] = "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk = x\n";

	CHECK(mkdtemp(dir) != NULL);
	snprintf(conf, sizeof(conf), "%s/esptun.conf", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	write_file(conf, inline_psk, 0644);
	snprintf(want, sizeof(want),
		 "%s:4: psk: mode 644 lets others read %s; chmod 600 %s, or use psk-file", conf,
		 conf, conf);
	CHECK(load(conf) == -1 && !strcmp(err, want));
	CHECK(chmod(conf, 0640) == 0);
	CHECK(load(conf) == -1 && strstr(err, ":4: psk: mode 640 lets others read"));
	CHECK(chmod(conf, 0600) == 0);
	CHECK(load(conf) == 0);
	if (geteuid() == 0 && chown(conf, 65534, 65534) == 0) {
		snprintf(
			want, sizeof(want),
			"%s:4: psk: %s is owned by uid 65534, neither root nor the daemon's; chown "
			"root %s, or use psk-file",
			conf, conf, conf);
		CHECK(load(conf) == -1 && !strcmp(err, want));
	} else {
		printf("# skipped: a configuration of another user needs root\n");
	}
	/* The fix the message offers: the key in a psk-file, the configuration readable. */
	snprintf(psk, sizeof(psk), "%s/psk", dir);
	write_file(psk, "x\n", 0600);
	write_file(conf, "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk-file = psk\n", 0644);
	CHECK(load(conf) == 0);

	/* Without O_NONBLOCK, opening a FIFO waits for a writer: alarm's signal ends the test. */
	CHECK(mkfifo(fifo, 0600) == 0);
	alarm(10);
	CHECK(load(fifo) == -1 && strstr(err, "not a regular file"));
	write_file(conf, "[vpn0]\nlocal = 10.0.0.1\nremote = 10.0.0.2\npsk-file = fifo\n", 0644);
	CHECK(load(conf) == -1 && strstr(err, ":4: psk-file") &&
	      strstr(err, "/fifo: not a regular file"));
	alarm(0);
	unlink(fifo);
	unlink(psk);
	unlink(conf);
	rmdir(dir);
}

#define TUN "[vpn0]\nlocal=1.1.1.1\nremote=1.1.1.2\npsk=x\n"

/* local-ts and remote-ts lists (sub-tunnels), routes, address: bounds, families, errors. */
static void test_subtunnels(void)
{
	struct config c;
	const struct traffic_sel *l, *r;
	const struct tunnel_cfg *t;

	CHECK(config_parse("t.conf",
			   TUN "local-ts = 10.10.0.0/16, 192.168.0.0/24\n"
			       "remote-ts = 10.20.20.0/24,10.20.30.0/24\n"
			       "routes = off\naddress = 10.9.0.1/30\n",
			   &c, err, sizeof(err)) == 0);
	t = c.tunnels;
	CHECK(t && t->n_local_ts == 2 && t->n_remote_ts == 2 && config_pairs(t) == 4);
	CHECK(t && !t->routes && t->address.family == AF_INET && t->address.prefix == 30 &&
	      t->address.addr[3] == 1);
	if (t) {
		/* Pairs in order: each local with every remote. */
		config_pair(t, 1, &l, &r);
		CHECK(l->prefix == 16 && l->addr[1] == 10 && r->addr[2] == 30);
		config_pair(t, 2, &l, &r);
		CHECK(l->prefix == 24 && l->addr[0] == 192 && r->addr[2] == 20);
	}
	config_free(&c);
	/* Defaults: routes = auto, no address, one pair of any. */
	CHECK(config_parse("t.conf", TUN, &c, err, sizeof(err)) == 0);
	t = c.tunnels;
	CHECK(t && t->routes && !t->address.family && config_pairs(t) == 1);
	if (t) {
		config_pair(t, 0, &l, &r);
		CHECK(!l->family && !r->family);
	}
	config_free(&c);
	/* 8 x 2 is the most; one list may be unset (any). */
	CHECK(parse(TUN "local-ts = 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24, "
			"10.0.4.0/24, 10.0.5.0/24, 10.0.6.0/24, 10.0.7.0/24\n"
			"remote-ts = 10.1.0.0/16, 10.2.0.0/16\n") == 0);
	refused(TUN "local-ts = 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24, 10.0.4.0/24\n"
		    "remote-ts = 10.1.0.0/16, 10.2.0.0/16, 10.3.0.0/16, 10.4.0.0/16\n",
		"t.conf:1: [vpn0] local-ts and remote-ts make 20 sub-tunnels, at most 16");
	refused(TUN "remote-ts = 1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,"
		    "7.0.0.0/8,8.0.0.0/8,9.0.0.0/8\n",
		"t.conf:5: remote-ts = 1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,"
		"6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,9.0.0.0/8: more than 8 subnets");
	refused(TUN "local-ts = 10.0.0.0/8, 2001:db8::/32\n",
		"t.conf:5: local-ts = 10.0.0.0/8, 2001:db8::/32: one address family per list");
	refused(TUN "local-ts = 10.0.0.0/8, 10.0.0.0/8\n",
		"t.conf:5: local-ts = 10.0.0.0/8, 10.0.0.0/8: a subnet named twice");
	refused(TUN "local-ts = 10.0.0.0/8,\n",
		"t.conf:5: local-ts = 10.0.0.0/8,: not a subnet (e.g. 10.1.0.0/16)");
	refused(TUN "remote-ts = ,10.0.0.0/8\n",
		"t.conf:5: remote-ts = ,10.0.0.0/8: not a subnet (e.g. 10.1.0.0/16)");
	refused(TUN "remote-ts = 10.0.0.0/8 10.1.0.0/16\n",
		"t.conf:5: remote-ts = 10.0.0.0/8 10.1.0.0/16: not a subnet (e.g. 10.1.0.0/16)");
	refused(TUN "remote-ts = 10.0.0.0/-1\n",
		"t.conf:5: remote-ts = 10.0.0.0/-1: not a subnet (e.g. 10.1.0.0/16)");
	refused(TUN "routes = on\n", "t.conf:5: routes = on: expected auto or off");
	refused(TUN "address = 10.9.0.1\n",
		"t.conf:5: address = 10.9.0.1: expected an address with its prefix "
		"(e.g. 10.9.0.1/30)");
	refused(TUN "address = 10.9.0.1/33\n",
		"t.conf:5: address = 10.9.0.1/33: not a subnet (e.g. 10.1.0.0/16)");
	refused(TUN "remote-ts = 10.0.0.0/8\naddress = 2001:db8::1/64\n",
		"t.conf:1: [vpn0] address must be of the selectors' address family");
}

/* local-id as ID TEXT parses to TYPE with the LEN bytes of DATA. */
static void id_is(const char *text, uint8_t type, const char *data, size_t len)
{
	char buf[256];
	struct config c;
	const struct ike_id *id;

	snprintf(buf, sizeof(buf),
		 "[vpn0]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\n"
		 "local-id = %s\n",
		 text);
	CHECK(config_parse("t.conf", buf, &c, err, sizeof(err)) == 0);
	if (!c.tunnels) {
		fprintf(stderr, "  %s: %s\n", text, err);
		return;
	}
	id = &c.tunnels->local_id;
	CHECK(id->type == type && id->len == len && !memcmp(id->data, data, len));
	if (id->type != type || id->len != len)
		fprintf(stderr, "  %s: type %u, %zu bytes\n", text, id->type, id->len);
	config_free(&c);
}

/* local-id = TEXT is refused with WANT after "t.conf:5: local-id = ". */
static void id_refused(const char *text, const char *want)
{
	char buf[256], full[512];

	snprintf(buf, sizeof(buf),
		 "[vpn0]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = x\n"
		 "local-id = %s\n",
		 text);
	snprintf(full, sizeof(full), "t.conf:5: local-id = %s", want);
	refused(buf, full);
}

/* Identities as strongSwan writes them, untyped and typed (issue 17 item 5). */
static void test_ids(void)
{
	id_is("192.0.2.9", ID_IPV4_ADDR, "\xc0\x00\x02\x09", 4);
	id_is("ipv4:192.0.2.9", ID_IPV4_ADDR, "\xc0\x00\x02\x09", 4);
	id_is("2001:db8::1", ID_IPV6_ADDR, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	id_is("ipv6:2001:db8::1", ID_IPV6_ADDR, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	id_is("client.example", ID_FQDN, "client.example", 14);
	id_is("@client.example", ID_FQDN, "client.example", 14);
	id_is("fqdn:client.example", ID_FQDN, "client.example", 14);
	id_is("me@example.org", ID_USER_FQDN, "me@example.org", 14);
	id_is("email:me@example.org", ID_USER_FQDN, "me@example.org", 14);
	id_is("keyid:abc", ID_KEY_ID, "abc", 3);
	id_is("keyid:#00ff10", ID_KEY_ID, "\x00\xff\x10", 3);
	id_refused("ipv4:2001:db8::1", "ipv4:2001:db8::1: not an IPv4 address");
	id_refused("ipv6:192.0.2.1", "ipv6:192.0.2.1: not an IPv6 address");
	id_refused("keyid:#0f1",
		   "keyid:#0f1: expected an even number of hex digits, at most 255 bytes");
	id_refused("keyid:#zz",
		   "keyid:#zz: expected an even number of hex digits, at most 255 bytes");
	id_refused("fqdn:", "fqdn:: empty or longer than 255 bytes");
	id_refused("dns:client.example",
		   "dns:client.example: unknown identity type 'dns:' (known: ipv4:, ipv6:, fqdn:, "
		   "email:, keyid:, asn1dn:)");
	/* A DN is its DER (test_ike_cert compares it with certificates). */
	id_is("asn1dn:CN=moon", ID_DER_ASN1_DN,
	      "0\x0f"
	      "1\x0d"
	      "0\x0b"
	      "\x06\x03"
	      "U\x04\x03"
	      "\x0c\x04"
	      "moon",
	      17);
	id_refused("asn1dn:moon",
		   "asn1dn:moon: not a distinguished name like \"C=CH, O=Example, CN=host\" (or "
		   "longer than 255 bytes as DER)");
}

/*
 * keylog-dir: the one daemon-wide key, before the first section; the
 * parser only takes the path (keylog.c opens it, tested in helper/tests).
 */
static void test_keylog_dir(void)
{
	struct config c;

	CHECK(config_parse("t.conf", "# keys for Wireshark\nkeylog-dir = /run/esptun/keylog\n" TUN,
			   &c, err, sizeof(err)) == 0);
	CHECK(!strcmp(c.keylog_dir, "/run/esptun/keylog") && c.keylog_line == 2);
	config_free(&c);
	CHECK(config_parse("t.conf", TUN, &c, err, sizeof(err)) == 0);
	CHECK(!c.keylog_dir[0] && !c.keylog_line);
	config_free(&c);
	refused("keylog-dir = keys\n" TUN,
		"t.conf:1: keylog-dir = keys: not an absolute path of under 1024 bytes");
	refused("keylog-dir =\n" TUN,
		"t.conf:1: keylog-dir = : not an absolute path of under 1024 bytes");
	refused("keylog-dir = /a\nkeylog-dir = /b\n" TUN,
		"t.conf:2: keylog-dir is already set on line 1");
	refused(TUN "keylog-dir = /a\n",
		"t.conf:5: keylog-dir is for the whole daemon: put it before the first [device] "
		"section");
	refused("psk = x\n" TUN, "t.conf:1: key outside a [device] section");
}

int main(void)
{
	test_full();
	test_subtunnels();
	test_errors();
	test_comments();
	test_one_peer();
	test_psk_file();
	test_secret_files();
	test_ids();
	test_keylog_dir();
	TEST_DONE("test_ike_config");
}
