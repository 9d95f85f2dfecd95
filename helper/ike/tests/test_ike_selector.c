// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode traffic selectors: the ID payload bodies we build, which of
 * the peer's lie within a configured subnet (hosts, subnets and ranges of
 * both families; malformed ones never), the pair agreed from an ID pair in
 * either role (narrower, with protocol and ports, or refused when the
 * kernel could not enforce it exactly), and two negotiators back to back:
 * configured selectors offered and accepted within the responder's and
 * recorded by both for the kernel, a responder refusing with
 * INVALID-ID-INFORMATION what lies outside, an unconfigured tunnel taking
 * any and installing no selector, and a rekey to another pair removing
 * the old outbound SA the kernel kept.
 */
#include "peers.h"

static struct traffic_sel sel(const char *text)
{
	struct traffic_sel ts = { 0 };
	char addr[64];
	const char *slash = strchr(text, '/');

	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - text), text);
	ts.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(ts.family, addr, ts.addr);
	ts.prefix = (unsigned int)atoi(slash + 1);
	return ts;
}

/* An ID payload body: TYPE, protocol 0, port 0, then the addresses. */
static size_t id(uint8_t type, const char *a1, const char *a2, uint8_t *out)
{
	int family = strchr(a1, ':') ? AF_INET6 : AF_INET;
	size_t alen = family == AF_INET ? 4 : 16;

	memset(out, 0, 4);
	out[0] = type;
	inet_pton(family, a1, out + 4);
	if (a2)
		inet_pton(family, a2, out + 4 + alen);
	return 4 + (a2 ? 2 : 1) * alen;
}

static void test_within(void)
{
	struct traffic_sel net = sel("10.1.0.0/16"), any = { 0 }, v6 = sel("2001:db8::/32");
	uint8_t b[TS_ID_MAX], want[TS_ID_MAX];
	char s[96];
	size_t n;

	n = ts_id(&net, AF_INET, b);
	CHECK(n == id(ID_IPV4_ADDR_SUBNET, "10.1.0.0", "255.255.0.0", want) && !memcmp(b, want, n));
	n = ts_id(&any, AF_INET6, b);
	CHECK(n == id(ID_IPV6_ADDR_SUBNET, "::", "::", want) && !memcmp(b, want, n));
	CHECK(ts_within(b, id(ID_IPV4_ADDR, "10.1.2.3", NULL, b), &net));
	CHECK(ts_within(b, id(ID_IPV4_ADDR_SUBNET, "10.1.128.0", "255.255.128.0", b), &net));
	CHECK(ts_within(b, id(ID_IPV4_ADDR_RANGE, "10.1.0.5", "10.1.255.255", b), &net));
	CHECK(!ts_within(b, id(ID_IPV4_ADDR_SUBNET, "10.0.0.0", "255.0.0.0", b), &net));
	CHECK(!ts_within(b, id(ID_IPV4_ADDR_RANGE, "10.1.0.0", "10.2.0.0", b), &net));
	CHECK(!ts_within(b, id(ID_IPV4_ADDR, "10.2.0.1", NULL, b), &net));
	/* A reversed range, the wrong family, a short body, a name: never within. */
	CHECK(!ts_within(b, id(ID_IPV4_ADDR_RANGE, "10.1.0.9", "10.1.0.1", b), &net));
	CHECK(!ts_within(b, id(ID_IPV6_ADDR, "2001:db8::1", NULL, b), &net));
	CHECK(ts_within(b, id(ID_IPV6_ADDR, "2001:db8::1", NULL, b), &v6));
	n = id(ID_IPV4_ADDR_SUBNET, "10.1.0.0", "255.255.0.0", b);
	CHECK(!ts_within(b, n - 1, &net) && !ts_within(b, 3, &net));
	b[0] = ID_FQDN;
	CHECK(!ts_within(b, n, &net) && ts_within(b, n, &any));
	ts_str(b, id(ID_IPV4_ADDR_SUBNET, "10.1.0.0", "255.255.0.0", b), s, sizeof(s));
	CHECK(!strcmp(s, "10.1.0.0/16"));
	ts_str(b, id(ID_IPV4_ADDR_RANGE, "10.1.0.0", "10.1.0.5", b), s, sizeof(s));
	CHECK(!strcmp(s, "10.1.0.0-10.1.0.5"));
	ts_str(b, id(ID_IPV4_ADDR_RANGE, "0.0.0.0", "255.255.255.255", b), s, sizeof(s));
	CHECK(!strcmp(s, "0.0.0.0/0"));
}

/* An ID payload body as id() builds it, with protocol PROTO and port PORT. */
static size_t id_pp(uint8_t type, const char *a1, const char *a2, uint8_t proto, uint16_t port,
		    uint8_t *out)
{
	size_t n = id(type, a1, a2, out);

	out[1] = proto;
	out[2] = (uint8_t)(port >> 8);
	out[3] = (uint8_t)port;
	return n;
}

static void test_agreed(void)
{
	uint8_t ci[TS_ID_MAX], cr[TS_ID_MAX];
	size_t ci_len, cr_len;
	struct child_sel s, t;
	char why[128];

	/* Responder: IDci is the peer's side, IDcr ours. */
	ci_len = id(ID_IPV4_ADDR_SUBNET, "10.1.1.0", "255.255.255.0", ci);
	cr_len = id(ID_IPV4_ADDR_SUBNET, "10.2.0.0", "255.255.0.0", cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)));
	CHECK(!s.any && s.family == AF_INET && sel_is(&s, "10.2.0.0/16 <-> 10.1.1.0/24"));
	/* Initiator: the reply's pair, a host and a range that is one prefix. */
	ci_len = id(ID_IPV4_ADDR_RANGE, "10.1.0.0", "10.1.255.255", ci);
	cr_len = id(ID_IPV4_ADDR, "10.2.3.4", NULL, cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, true, &t, why, sizeof(why)));
	CHECK(!t.any && sel_is(&t, "10.1.0.0/16 <-> 10.2.3.4/32"));
	CHECK(!ts_sel_equal(&s, &t) && ts_sel_equal(&t, &t));
	/* A range that is no prefix: the kernel could only take a wider one. */
	ci_len = id(ID_IPV4_ADDR_RANGE, "10.1.0.5", "10.1.0.9", ci);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, true, &s, why, sizeof(why)) == -1 &&
	      strstr(why, "no single prefix"));
	/* Either side of the wire, 0/0 <-> 0/0 is route-based: no selector. */
	ci_len = id(ID_IPV4_ADDR_SUBNET, "0.0.0.0", "0.0.0.0", ci);
	cr_len = id(ID_IPV4_ADDR_SUBNET, "0.0.0.0", "0.0.0.0", cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) && s.any);
	CHECK(sel_is(&s, "0.0.0.0/0 <-> 0.0.0.0/0 (no selector: routes decide)"));
	ci_len = id(ID_IPV6_ADDR_SUBNET, "::", "::", ci);
	cr_len = id(ID_IPV6_ADDR_RANGE, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, true, &s, why, sizeof(why)) && s.any &&
	      s.family == AF_INET6);
	/* ... but not one side narrower, nor a protocol. */
	cr_len = id(ID_IPV6_ADDR_SUBNET, "2001:db8::", "ffff:ffff::", cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, true, &s, why, sizeof(why)) && !s.any);
	CHECK(sel_is(&s, "::/0 <-> 2001:db8::/32"));
	ci_len = id_pp(ID_IPV4_ADDR_SUBNET, "0.0.0.0", "0.0.0.0", IPPROTO_GRE, 0, ci);
	cr_len = id(ID_IPV4_ADDR_SUBNET, "0.0.0.0", "0.0.0.0", cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) && !s.any &&
	      s.proto == IPPROTO_GRE && sel_is(&s, "0.0.0.0/0[gre] <-> 0.0.0.0/0[gre]"));
	/* A protocol on one side holds for the pair; each side's port stays its own. */
	ci_len = id_pp(ID_IPV4_ADDR, "10.1.2.3", NULL, IPPROTO_UDP, 500, ci);
	cr_len = id_pp(ID_IPV4_ADDR_SUBNET, "10.2.0.0", "255.255.0.0", 0, 0, cr);
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)));
	CHECK(s.proto == IPPROTO_UDP && s.remote_port == 500 && !s.local_port);
	CHECK(sel_is(&s, "10.2.0.0/16[udp] <-> 10.1.2.3/32[udp/500]"));
	CHECK(!ts_agreed(ci, ci_len, cr, cr_len, true, &s, why, sizeof(why)));
	CHECK(s.local_port == 500 && !s.remote_port);
	/* Nothing the kernel could enforce as it is: refused, never widened. */
	cr_len = id_pp(ID_IPV4_ADDR_SUBNET, "10.2.0.0", "255.255.0.0", IPPROTO_TCP, 0, cr);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) == -1 &&
	      strstr(why, "protocols 17 and 6"));
	ci_len = id_pp(ID_IPV4_ADDR, "10.1.2.3", NULL, 0, 500, ci);
	cr_len = id(ID_IPV4_ADDR_SUBNET, "10.2.0.0", "255.255.0.0", cr);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) == -1);
	ci_len = id_pp(ID_IPV4_ADDR, "10.1.2.3", NULL, IPPROTO_ICMP, 8, ci);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) == -1);
	ci_len = id(ID_IPV6_ADDR, "2001:db8::1", NULL, ci);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) == -1);
	ci[0] = ID_FQDN;
	cr_len = id(ID_IPV6_ADDR, "2001:db8::2", NULL, cr);
	CHECK(ts_agreed(ci, ci_len, cr, cr_len, false, &s, why, sizeof(why)) == -1);
}

static void setup(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
}

static void test_negotiated(void)
{
	uint8_t want[TS_ID_MAX];
	size_t n;

	setup();
	set_ts(a.t.local_ts, &a.t.n_local_ts, "10.1.0.0/16");
	set_ts(a.t.remote_ts, &a.t.n_remote_ts, "10.2.0.0/16");
	set_ts(b.t.local_ts, &b.t.n_local_ts, "10.2.0.0/16");
	set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.0.0.0/8");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	n = id(ID_IPV4_ADDR_SUBNET, "10.1.0.0", "255.255.0.0", want);
	CHECK(b.ctx.sas && b.ctx.sas->qms && b.ctx.sas->qms->idci_len == n &&
	      !memcmp(b.ctx.sas->qms->idci, want, n));
	/* The responder took the initiator's pair, narrower than its own 10.0.0.0/8. */
	CHECK(a.nchild == 1 && !a.child[0].sel.any &&
	      sel_is(&a.child[0].sel, "10.1.0.0/16 <-> 10.2.0.0/16"));
	CHECK(b.nchild == 1 && !b.child[0].sel.any &&
	      sel_is(&b.child[0].sel, "10.2.0.0/16 <-> 10.1.0.0/16"));
	cleanup();
}

/* Unconfigured, or 0/0 both ways in either family: the SAs carry anything, as before. */
static void test_any(void)
{
	for (int i = 0; i < 2; i++) {
		setup();
		if (i) {
			set_ts(a.t.local_ts, &a.t.n_local_ts, "::/0");
			set_ts(a.t.remote_ts, &a.t.n_remote_ts, "::/0");
		}
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(3);
		CHECK(keys_match());
		CHECK(a.child[0].sel.any && b.child[0].sel.any);
		CHECK(a.child[0].sel.family == (i ? AF_INET6 : AF_INET));
		CHECK(sel_is(&b.child[0].sel,
			     i ? "::/0 <-> ::/0 (no selector: routes decide)"
			       : "0.0.0.0/0 <-> 0.0.0.0/0 (no selector: routes decide)"));
		cleanup();
	}
}

/*
 * A rekey that agrees another pair (the initiator's local-ts narrowed):
 * the kernel replaces an outbound SA only by one of the same selector, so
 * the old pair goes with its outbound SA once the grace period is over.
 */
static void test_rekey_other_pair(void)
{
	uint32_t old_in, old_out;
	char msg[128];

	setup();
	set_ts(a.t.local_ts, &a.t.n_local_ts, "10.1.0.0/16");
	set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.0.0.0/8");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	old_in = a.child[0].spi_in;
	old_out = a.child[0].spi_out;
	set_ts(a.t.local_ts, &a.t.n_local_ts, "10.1.1.0/24");
	CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
	run(3 + REKEY_GRACE_MS / 1000);
	CHECK(a.nchild == 2 && sel_is(&a.child[1].sel, "10.1.1.0/24 <-> 0.0.0.0/0"));
	CHECK(b.nchild == 2 && sel_is(&b.child[1].sel, "0.0.0.0/0 <-> 10.1.1.0/24"));
	CHECK(a.nremoved == 1 && a.removed_in == old_in && a.removed_out == old_out);
	cleanup();

	/* The same pair again: the new outbound SA replaced the old one. */
	setup();
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
	run(3 + REKEY_GRACE_MS / 1000);
	CHECK(a.nchild == 2 && a.nremoved == 1 && a.removed_out == 0);
	cleanup();
}

static void test_refused(void)
{
	/* The initiator's side outside the responder's remote-ts; then 0.0.0.0/0 offered. */
	for (int i = 0; i < 2; i++) {
		setup();
		if (!i)
			set_ts(a.t.local_ts, &a.t.n_local_ts, "10.3.0.0/16");
		set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.1.0.0/16");
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(3);
		CHECK(a.nchild == 0 && b.nchild == 0);
		CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED);
		cleanup();
	}
}

/*
 * Our own protocol and port (local-ts = 10.1.0.0/16[tcp/80]): offered in
 * our ID, agreed on both SAs; a responder whose selector names a protocol
 * refuses an offer without it, and takes one that names it.
 */
static void test_ports(void)
{
	struct traffic_sel tcp80;
	uint8_t body[TS_ID_MAX];
	size_t n = 0;
	char s[96];

	set_ts(&tcp80, &n, "10.1.0.0/16[tcp/80]");
	CHECK(ts_id(&tcp80, AF_INET, body) == 12 && body[1] == IPPROTO_TCP && body[2] == 0 &&
	      body[3] == 80);
	ts_str(body, 12, s, sizeof(s));
	CHECK(!strcmp(s, "10.1.0.0/16[tcp/80]"));
	CHECK(ts_within(body, 12, &tcp80));
	body[3] = 81;
	CHECK(!ts_within(body, 12, &tcp80));
	body[1] = IPPROTO_UDP;
	body[3] = 80;
	CHECK(!ts_within(body, 12, &tcp80));

	setup();
	set_ts(a.t.local_ts, &a.t.n_local_ts, "10.1.0.0/16[tcp/80]");
	set_ts(a.t.remote_ts, &a.t.n_remote_ts, "10.2.0.0/16[tcp]");
	set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.1.0.0/16");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	CHECK(a.nchild == 1 && sel_is(&a.child[0].sel, "10.1.0.0/16[tcp/80] <-> 10.2.0.0/16[tcp]"));
	CHECK(b.nchild == 1 && sel_is(&b.child[0].sel, "10.2.0.0/16[tcp] <-> 10.1.0.0/16[tcp/80]"));
	cleanup();

	for (int i = 0; i < 2; i++) {
		setup();
		set_ts(a.t.local_ts, &a.t.n_local_ts, i ? "10.1.0.0/16[udp/53]" : "10.1.0.0/16");
		set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.1.0.0/16[udp/53]");
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(3);
		CHECK(i ? a.nchild == 1 && b.nchild == 1 &&
				      sel_is(&b.child[0].sel,
					     "0.0.0.0/0[udp] <-> 10.1.0.0/16[udp/53]")
			: a.nchild == 0 && b.nchild == 0);
		cleanup();
	}
}

int main(void)
{
	test_within();
	test_ports();
	test_agreed();
	test_negotiated();
	test_any();
	test_refused();
	test_rekey_other_pair();
	TEST_DONE("test_ike_selector");
}
