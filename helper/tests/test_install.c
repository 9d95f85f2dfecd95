// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's NEW_SA requests (ike/install.c), built without a kernel and
 * parsed back with uapi/linux/esptun.h: each half of a pair carries the
 * agreed selector in the direction of its packets, with protocol and ports
 * only when agreed, and a route-based pair (0/0 <-> 0/0) carries none.
 */
#include <arpa/inet.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ike/install.h"
#include "tap.h"

/* Any family id: the messages never reach a socket. */
#define TEST_FAMILY 0x20

/* The request SEL points into: kept until the next one. */
static struct nl_msg *msg;

/*
 * Build the NEW_SA request for C's half DIR and parse back its selector
 * nest into SEL (all NULL when it has none).
 */
static bool request(const struct child_sa *c, uint8_t dir, struct nlattr **sel)
{
	struct nlattr *attrs[ESPTUN_A_MAX + 1], *sa[ESPTUN_A_SA_MAX + 1];
	bool ok;

	nlmsg_free(msg);
	msg = nlmsg_alloc();
	memset(sel, 0, (ESPTUN_A_SEL_MAX + 1) * sizeof(*sel));
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, TEST_FAMILY, 0, 0, ESPTUN_CMD_NEW_SA,
		    ESPTUN_GENL_VERSION);
	ok = !install_sa_request(msg, c, dir) &&
	     !genlmsg_parse(nlmsg_hdr(msg), 0, attrs, ESPTUN_A_MAX, NULL) && attrs[ESPTUN_A_SA] &&
	     !nla_parse_nested(sa, ESPTUN_A_SA_MAX, attrs[ESPTUN_A_SA], NULL) &&
	     nla_get_u8(sa[ESPTUN_A_SA_DIR]) == dir &&
	     nla_get_u32(sa[ESPTUN_A_SA_SPI]) == (dir == ESPTUN_DIR_IN ? c->spi_in : c->spi_out);
	if (ok && sa[ESPTUN_A_SA_SELECTOR])
		ok = !nla_parse_nested(sel, ESPTUN_A_SEL_MAX, sa[ESPTUN_A_SA_SELECTOR], NULL);
	return ok;
}

/* Whether ATTR is the address TEXT and LEN_ATTR its prefix length LEN. */
static bool is_prefix(struct nlattr *attr, struct nlattr *len_attr, const char *text, uint8_t len)
{
	uint8_t want[16];
	int family = strchr(text, ':') ? AF_INET6 : AF_INET;
	int alen = family == AF_INET ? 4 : 16;

	inet_pton(family, text, want);
	return attr && len_attr && nla_len(attr) == alen && !memcmp(nla_data(attr), want, alen) &&
	       nla_get_u8(len_attr) == len;
}

void test_install(void)
{
	struct tunnel_cfg t = { .name = "vpn0" };
	struct child_sa c = {
		.cfg = &t,
		.spi_in = 0x1001,
		.spi_out = 0x2002,
		.alg = { .aead = "rfc4106(gcm(aes))", .enc_key_len = 20, .icv_bits = 128 }
	};
	struct nlattr *sel[ESPTUN_A_SEL_MAX + 1];

	c.sel.family = AF_INET;
	inet_pton(AF_INET, "10.1.0.0", c.sel.local);
	inet_pton(AF_INET, "10.2.3.0", c.sel.remote);
	c.sel.local_len = 16;
	c.sel.remote_len = 24;
	ok(request(&c, ESPTUN_DIR_OUT, sel) &&
		   is_prefix(sel[ESPTUN_A_SEL_SRC], sel[ESPTUN_A_SEL_SRC_LEN], "10.1.0.0", 16) &&
		   is_prefix(sel[ESPTUN_A_SEL_DST], sel[ESPTUN_A_SEL_DST_LEN], "10.2.3.0", 24),
	   "install: the outbound SA carries local -> remote");
	ok(!sel[ESPTUN_A_SEL_PROTO] && !sel[ESPTUN_A_SEL_SPORT] && !sel[ESPTUN_A_SEL_DPORT],
	   "install: no protocol or ports unless agreed");
	ok(request(&c, ESPTUN_DIR_IN, sel) &&
		   is_prefix(sel[ESPTUN_A_SEL_SRC], sel[ESPTUN_A_SEL_SRC_LEN], "10.2.3.0", 24) &&
		   is_prefix(sel[ESPTUN_A_SEL_DST], sel[ESPTUN_A_SEL_DST_LEN], "10.1.0.0", 16),
	   "install: the inbound SA carries remote -> local");

	c.sel.proto = IPPROTO_UDP;
	c.sel.remote_port = 53;
	ok(request(&c, ESPTUN_DIR_OUT, sel) && sel[ESPTUN_A_SEL_PROTO] &&
		   nla_get_u8(sel[ESPTUN_A_SEL_PROTO]) == IPPROTO_UDP && !sel[ESPTUN_A_SEL_SPORT] &&
		   sel[ESPTUN_A_SEL_DPORT] && nla_get_u16(sel[ESPTUN_A_SEL_DPORT]) == 53,
	   "install: outbound, the remote port is the destination port (host order)");
	ok(request(&c, ESPTUN_DIR_IN, sel) && sel[ESPTUN_A_SEL_SPORT] &&
		   nla_get_u16(sel[ESPTUN_A_SEL_SPORT]) == 53 && !sel[ESPTUN_A_SEL_DPORT],
	   "install: inbound, the remote port is the source port");

	memset(&c.sel, 0, sizeof(c.sel));
	c.sel.family = AF_INET6;
	c.sel.local_len = 128;
	inet_pton(AF_INET6, "2001:db8::1", c.sel.local);
	ok(request(&c, ESPTUN_DIR_IN, sel) &&
		   is_prefix(sel[ESPTUN_A_SEL_SRC], sel[ESPTUN_A_SEL_SRC_LEN], "::", 0) &&
		   is_prefix(sel[ESPTUN_A_SEL_DST], sel[ESPTUN_A_SEL_DST_LEN], "2001:db8::1", 128),
	   "install: IPv6, ::/0 on one side is still a selector");

	c.sel.any = true;
	ok(request(&c, ESPTUN_DIR_IN, sel) && !sel[ESPTUN_A_SEL_SRC] &&
		   request(&c, ESPTUN_DIR_OUT, sel) && !sel[ESPTUN_A_SEL_SRC],
	   "install: 0/0 <-> 0/0 puts no selector on either SA");
	nlmsg_free(msg);
	msg = NULL;
}
