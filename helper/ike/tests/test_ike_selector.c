// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode traffic selectors: the ID payload bodies we build, which of
 * the peer's lie within a configured subnet (hosts, subnets and ranges of
 * both families; malformed ones never), and two negotiators back to back:
 * configured selectors offered and accepted within the responder's, a
 * responder refusing with INVALID-ID-INFORMATION what lies outside, and an
 * unconfigured tunnel taking any.
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
	a.t.local_ts = sel("10.1.0.0/16");
	a.t.remote_ts = sel("10.2.0.0/16");
	b.t.local_ts = sel("10.2.0.0/16");
	b.t.remote_ts = sel("10.0.0.0/8");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	n = id(ID_IPV4_ADDR_SUBNET, "10.1.0.0", "255.255.0.0", want);
	CHECK(b.ctx.sas && b.ctx.sas->qms && b.ctx.sas->qms->idci_len == n &&
	      !memcmp(b.ctx.sas->qms->idci, want, n));
	cleanup();
}

static void test_refused(void)
{
	/* The initiator's side outside the responder's remote-ts; then 0.0.0.0/0 offered. */
	for (int i = 0; i < 2; i++) {
		setup();
		if (!i)
			a.t.local_ts = sel("10.3.0.0/16");
		b.t.remote_ts = sel("10.1.0.0/16");
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(3);
		CHECK(a.nchild == 0 && b.nchild == 0);
		CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED);
		cleanup();
	}
}

int main(void)
{
	test_within();
	test_negotiated();
	test_refused();
	TEST_DONE("test_ike_selector");
}
