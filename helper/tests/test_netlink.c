// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink messages, checked against uapi/linux/esptun.h without a
 * kernel: requests are built and parsed back with the attribute types the
 * header documents, and replies built the way the module sends them are
 * printed by show.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "log.h"
#include "request.h"
#include "kernel.h"
#include "subcommands.h"
#include "tap.h"

/* Any family id: the messages never reach a socket. */
#define TEST_FAMILY 0x20

static const struct nla_policy attr_policy[ESPTUN_A_MAX + 1] = {
	[ESPTUN_A_IFINDEX] = { .type = NLA_U32 },
	[ESPTUN_A_IFNAME] = { .type = NLA_STRING },
	[ESPTUN_A_ENCAP] = { .type = NLA_U8 },
	[ESPTUN_A_SPORT] = { .type = NLA_U16 },
	[ESPTUN_A_DPORT] = { .type = NLA_U16 },
	[ESPTUN_A_SA] = { .type = NLA_NESTED },
	[ESPTUN_A_SAS] = { .type = NLA_NESTED },
	[ESPTUN_A_DEV_NO_SA_DROPS] = { .type = NLA_U64 },
	[ESPTUN_A_SELECTOR] = { .type = NLA_NESTED },
};

static const struct nla_policy sa_policy[ESPTUN_A_SA_MAX + 1] = {
	[ESPTUN_A_SA_DIR] = { .type = NLA_U8 },
	[ESPTUN_A_SA_SPI] = { .type = NLA_U32 },
	[ESPTUN_A_SA_AEAD] = { .type = NLA_STRING },
	[ESPTUN_A_SA_ENC] = { .type = NLA_STRING },
	[ESPTUN_A_SA_AUTH] = { .type = NLA_STRING },
	[ESPTUN_A_SA_ICV_BITS] = { .type = NLA_U32 },
	[ESPTUN_A_SA_FLAGS] = { .type = NLA_U32 },
	[ESPTUN_A_SA_REPLAY_WINDOW] = { .type = NLA_U32 },
	[ESPTUN_A_SA_SEQ] = { .type = NLA_U64 },
	[ESPTUN_A_SA_LIFETIME] = { .type = NLA_NESTED },
	[ESPTUN_A_SA_SELECTOR] = { .type = NLA_NESTED },
};

static const struct nla_policy sel_policy[ESPTUN_A_SEL_MAX + 1] = {
	[ESPTUN_A_SEL_SRC_LEN] = { .type = NLA_U8 }, [ESPTUN_A_SEL_DST_LEN] = { .type = NLA_U8 },
	[ESPTUN_A_SEL_PROTO] = { .type = NLA_U8 },   [ESPTUN_A_SEL_SPORT] = { .type = NLA_U16 },
	[ESPTUN_A_SEL_DPORT] = { .type = NLA_U16 },
};

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, TEST_FAMILY, 0, 0, cmd, ESPTUN_GENL_VERSION);
	return msg;
}

static bool parse_msg(struct nl_msg *msg, struct nlattr **attrs)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, attrs, ESPTUN_A_MAX,
			     (struct nla_policy *)attr_policy) == 0;
}

/* A string attribute must carry its NUL, as the module's NLA_NUL_STRING policy wants. */
static bool is_string(const struct nlattr *attr, const char *value)
{
	return attr && nla_len(attr) == (int)strlen(value) + 1 && !strcmp(nla_data(attr), value);
}

static void test_set_request(void)
{
	struct nlattr *attrs[ESPTUN_A_MAX + 1];
	char line[] = "vpn0 local 192.0.2.1 remote 192.0.2.2 encap udp 4500 4501";
	char v6line[] = "vpn1 local 2001:db8::1 remote 2001:db8::2 encap none";
	char *argv[16];
	struct set_request req;
	struct nl_msg *msg;
	uint8_t v4[4] = { 192, 0, 2, 2 };

	set_parse(split_words(line, argv, 16), argv, &req);
	msg = new_msg(ESPTUN_CMD_SET_DEVICE);
	ok(!set_fill(msg, ESPTUN_CMD_SET_DEVICE, &req) && parse_msg(msg, attrs),
	   "set request builds and parses");
	ok(is_string(attrs[ESPTUN_A_IFNAME], "vpn0"), "set: IFNAME is a NUL-terminated string");
	ok(attrs[ESPTUN_A_LOCAL] && nla_len(attrs[ESPTUN_A_LOCAL]) == 4 && attrs[ESPTUN_A_REMOTE] &&
		   nla_len(attrs[ESPTUN_A_REMOTE]) == 4 &&
		   !memcmp(nla_data(attrs[ESPTUN_A_REMOTE]), v4, 4),
	   "set: IPv4 LOCAL and REMOTE are 4 bytes in network order");
	ok(attrs[ESPTUN_A_ENCAP] && nla_get_u8(attrs[ESPTUN_A_ENCAP]) == ESPTUN_ENCAP_UDP &&
		   nla_get_u16(attrs[ESPTUN_A_SPORT]) == 4500 &&
		   nla_get_u16(attrs[ESPTUN_A_DPORT]) == 4501,
	   "set: ENCAP u8 UDP with SPORT and DPORT u16 in host order");
	ok(!attrs[ESPTUN_A_IFINDEX] && !attrs[ESPTUN_A_SA], "set: nothing else");
	nlmsg_free(msg);

	set_parse(split_words(v6line, argv, 16), argv, &req);
	msg = new_msg(ESPTUN_CMD_SET_DEVICE);
	ok(!set_fill(msg, ESPTUN_CMD_SET_DEVICE, &req) && parse_msg(msg, attrs) &&
		   nla_len(attrs[ESPTUN_A_LOCAL]) == 16 &&
		   ((uint8_t *)nla_data(attrs[ESPTUN_A_LOCAL]))[15] == 1 &&
		   nla_get_u8(attrs[ESPTUN_A_ENCAP]) == ESPTUN_ENCAP_NONE &&
		   !attrs[ESPTUN_A_SPORT] && !attrs[ESPTUN_A_DPORT],
	   "set: IPv6 addresses are 16 bytes; encap none sends no ports");
	nlmsg_free(msg);
}

/* Build the request for LINE and parse its SA nest into SA. */
static bool sa_request(uint8_t cmd, const char *text, struct nlattr **attrs, struct nlattr **sa,
		       struct nl_msg **msg)
{
	int (*parse)(int, char **, struct sa_request *) = cmd == ESPTUN_CMD_NEW_SA   ? sa_add_parse
							  : cmd == ESPTUN_CMD_SET_SA ? sa_set_parse
							  : cmd == ESPTUN_CMD_DEL_SA
								  ? sa_del_parse
								  : sa_flush_parse;
	char line[512], *argv[64];
	struct sa_request req;
	bool built;

	snprintf(line, sizeof(line), "%s", text);
	if (parse(split_words(line, argv, 64), argv, &req))
		return false;
	*msg = new_msg(cmd);
	built = !sa_fill(*msg, cmd, &req) && parse_msg(*msg, attrs);
	sa_request_wipe(&req);
	memset(sa, 0, sizeof(*sa) * (ESPTUN_A_SA_MAX + 1));
	if (built && attrs[ESPTUN_A_SA])
		built = nla_parse_nested(sa, ESPTUN_A_SA_MAX, attrs[ESPTUN_A_SA],
					 (struct nla_policy *)sa_policy) == 0;
	return built;
}

/* The SELECTOR nest of an SA nest, parsed; false when it is missing or malformed. */
static bool parse_sel(struct nlattr **sa, struct nlattr **sel)
{
	return sa[ESPTUN_A_SA_SELECTOR] &&
	       !nla_parse_nested(sel, ESPTUN_A_SEL_MAX, sa[ESPTUN_A_SA_SELECTOR],
				 (struct nla_policy *)sel_policy);
}

static bool attr_is(const struct nlattr *attr, const void *bytes, int len)
{
	return attr && nla_len(attr) == len && !memcmp(nla_data(attr), bytes, len);
}

static void test_sel_requests(void)
{
	static const uint8_t src4[4] = { 10, 10, 0, 0 }, dst4[4] = { 10, 20, 20, 0 };
	static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	struct nlattr *attrs[ESPTUN_A_MAX + 1], *sa[ESPTUN_A_SA_MAX + 1];
	struct nlattr *sel[ESPTUN_A_SEL_MAX + 1];
	struct nl_msg *msg;

	ok(sa_request(ESPTUN_CMD_NEW_SA,
		      "vpn0 out spi 0x1000 aead rfc4106(gcm(aes)) "
		      "0x0001020304050607080910111213141516171819 128 "
		      "sel src 10.10.0.0/16 dst 10.20.20.0/24 proto tcp dport 8080",
		      attrs, sa, &msg) &&
		   parse_sel(sa, sel),
	   "sa add with sel: the SA nest holds a SELECTOR nest");
	ok(attr_is(sel[ESPTUN_A_SEL_SRC], src4, 4) && attr_is(sel[ESPTUN_A_SEL_DST], dst4, 4) &&
		   nla_get_u8(sel[ESPTUN_A_SEL_SRC_LEN]) == 16 &&
		   nla_get_u8(sel[ESPTUN_A_SEL_DST_LEN]) == 24,
	   "sel: IPv4 SRC and DST 4 bytes in network order, SRC_LEN and DST_LEN u8");
	ok(nla_get_u8(sel[ESPTUN_A_SEL_PROTO]) == 6 &&
		   nla_get_u16(sel[ESPTUN_A_SEL_DPORT]) == 8080 && !sel[ESPTUN_A_SEL_SPORT],
	   "sel: PROTO u8, DPORT u16 in host order, no SPORT when not given");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_NEW_SA,
		      "vpn0 in spi 0x1000 aead rfc4106(gcm(aes)) "
		      "0x0001020304050607080910111213141516171819 128 "
		      "sel src 2001:db8::1 dst 2001:db8:1::/48",
		      attrs, sa, &msg) &&
		   parse_sel(sa, sel) && attr_is(sel[ESPTUN_A_SEL_SRC], src6, 16) &&
		   attr_is(sel[ESPTUN_A_SEL_DST], dst6, 16) &&
		   nla_get_u8(sel[ESPTUN_A_SEL_SRC_LEN]) == 128 &&
		   nla_get_u8(sel[ESPTUN_A_SEL_DST_LEN]) == 48 && !sel[ESPTUN_A_SEL_PROTO] &&
		   !sel[ESPTUN_A_SEL_SPORT] && !sel[ESPTUN_A_SEL_DPORT],
	   "sel: IPv6 addresses of 16 bytes, a bare one /128, no PROTO or ports for any");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_NEW_SA,
		      "vpn0 in spi 0x1000 aead rfc4106(gcm(aes)) "
		      "0x0001020304050607080910111213141516171819 128",
		      attrs, sa, &msg) &&
		   !sa[ESPTUN_A_SA_SELECTOR],
	   "sa add without sel sends no SELECTOR");
	nlmsg_free(msg);
}

static void test_sa_requests(void)
{
	static const uint8_t gcm_key[20] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
					     0x07, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13,
					     0x14, 0x15, 0x16, 0x17, 0x18, 0x19 };
	struct nlattr *attrs[ESPTUN_A_MAX + 1], *sa[ESPTUN_A_SA_MAX + 1];
	struct nlattr *lifetime[ESPTUN_A_LIFETIME_MAX + 1];
	struct nl_msg *msg;

	ok(sa_request(ESPTUN_CMD_NEW_SA,
		      "vpn0 in spi 0x1000 aead rfc4106(gcm(aes)) "
		      "0x0001020304050607080910111213141516171819 96 replay-window 64 esn "
		      "seq 0x100000000 lifetime soft bytes 100 hard seconds 60",
		      attrs, sa, &msg),
	   "sa add (AEAD) request builds and parses");
	ok(is_string(attrs[ESPTUN_A_IFNAME], "vpn0") && attrs[ESPTUN_A_SA], "sa add: IFNAME, SA");
	ok(sa[ESPTUN_A_SA_DIR] && nla_get_u8(sa[ESPTUN_A_SA_DIR]) == ESPTUN_DIR_IN &&
		   sa[ESPTUN_A_SA_SPI] && nla_get_u32(sa[ESPTUN_A_SA_SPI]) == 0x1000,
	   "sa add: DIR u8 and SPI u32 in host order");
	ok(is_string(sa[ESPTUN_A_SA_AEAD], "rfc4106(gcm(aes))") && !sa[ESPTUN_A_SA_ENC] &&
		   !sa[ESPTUN_A_SA_AUTH] && !sa[ESPTUN_A_SA_AUTH_KEY],
	   "sa add: AEAD name and no ENC, AUTH or AUTH_KEY");
	ok(sa[ESPTUN_A_SA_ENC_KEY] && nla_len(sa[ESPTUN_A_SA_ENC_KEY]) == 20 &&
		   !memcmp(nla_data(sa[ESPTUN_A_SA_ENC_KEY]), gcm_key, 20),
	   "sa add: ENC_KEY holds the 20 key bytes including the salt");
	ok(nla_get_u32(sa[ESPTUN_A_SA_ICV_BITS]) == 96 &&
		   nla_get_u32(sa[ESPTUN_A_SA_FLAGS]) == ESPTUN_SA_F_ESN &&
		   nla_get_u32(sa[ESPTUN_A_SA_REPLAY_WINDOW]) == 64 &&
		   nla_get_u64(sa[ESPTUN_A_SA_SEQ]) == 0x100000000ull,
	   "sa add: ICV_BITS, FLAGS, REPLAY_WINDOW u32 and SEQ u64");
	ok(sa[ESPTUN_A_SA_LIFETIME] &&
		   !nla_parse_nested(lifetime, ESPTUN_A_LIFETIME_MAX, sa[ESPTUN_A_SA_LIFETIME],
				     NULL) &&
		   nla_get_u64(lifetime[ESPTUN_A_LIFETIME_SOFT_BYTES]) == 100 &&
		   nla_get_u64(lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS]) == 60 &&
		   !lifetime[ESPTUN_A_LIFETIME_HARD_BYTES] &&
		   !lifetime[ESPTUN_A_LIFETIME_SOFT_PACKETS],
	   "sa add: LIFETIME nest has only the limits given");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_NEW_SA,
		      "vpn0 out spi 7 enc cbc(aes) 0x00010203040506070809101112131415 "
		      "auth hmac(sha256) 0xaabbcc",
		      attrs, sa, &msg) &&
		   is_string(sa[ESPTUN_A_SA_ENC], "cbc(aes)") &&
		   is_string(sa[ESPTUN_A_SA_AUTH], "hmac(sha256)") && !sa[ESPTUN_A_SA_AEAD] &&
		   nla_len(sa[ESPTUN_A_SA_ENC_KEY]) == 16 &&
		   nla_len(sa[ESPTUN_A_SA_AUTH_KEY]) == 3 &&
		   ((uint8_t *)nla_data(sa[ESPTUN_A_SA_AUTH_KEY]))[2] == 0xcc &&
		   nla_get_u32(sa[ESPTUN_A_SA_ICV_BITS]) == 128 && !sa[ESPTUN_A_SA_FLAGS] &&
		   !sa[ESPTUN_A_SA_REPLAY_WINDOW] && !sa[ESPTUN_A_SA_SEQ],
	   "sa add (ENC+AUTH): names, both keys, RFC 4868 ICV, no unasked options");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_DEL_SA, "vpn0 out spi 0xc0ffee", attrs, sa, &msg) &&
		   nla_get_u8(sa[ESPTUN_A_SA_DIR]) == ESPTUN_DIR_OUT &&
		   nla_get_u32(sa[ESPTUN_A_SA_SPI]) == 0xc0ffee && !sa[ESPTUN_A_SA_ENC_KEY] &&
		   !sa[ESPTUN_A_SA_ICV_BITS] && !sa[ESPTUN_A_SA_LIFETIME],
	   "sa del: only DIR and SPI in the SA nest");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_SET_SA, "vpn0 in spi 9 lifetime hard packets 5", attrs, sa,
		      &msg) &&
		   nla_get_u32(sa[ESPTUN_A_SA_SPI]) == 9 && sa[ESPTUN_A_SA_LIFETIME] &&
		   !sa[ESPTUN_A_SA_ENC_KEY] && !sa[ESPTUN_A_SA_AEAD] && !sa[ESPTUN_A_SA_FLAGS],
	   "sa set: DIR, SPI and the lifetime nest only");
	nlmsg_free(msg);

	ok(sa_request(ESPTUN_CMD_FLUSH_SA, "vpn0", attrs, sa, &msg) &&
		   is_string(attrs[ESPTUN_A_IFNAME], "vpn0") && !attrs[ESPTUN_A_SA],
	   "sa flush: IFNAME only");
	nlmsg_free(msg);
}

/* An SA nest the way the module writes one, 64-bit values with their pad attributes. */
static void put_kernel_sel(struct nl_msg *msg, int type, const char *src, uint8_t src_len,
			   const char *dst, uint8_t dst_len, uint8_t proto, uint16_t sport,
			   uint16_t dport)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	int family = strchr(src, ':') ? AF_INET6 : AF_INET;
	uint8_t addr[16];

	inet_pton(family, src, addr);
	nla_put(msg, ESPTUN_A_SEL_SRC, family == AF_INET ? 4 : 16, addr);
	nla_put_u8(msg, ESPTUN_A_SEL_SRC_LEN, src_len);
	inet_pton(family, dst, addr);
	nla_put(msg, ESPTUN_A_SEL_DST, family == AF_INET ? 4 : 16, addr);
	nla_put_u8(msg, ESPTUN_A_SEL_DST_LEN, dst_len);
	if (proto)
		nla_put_u8(msg, ESPTUN_A_SEL_PROTO, proto);
	if (sport)
		nla_put_u16(msg, ESPTUN_A_SEL_SPORT, sport);
	if (dport)
		nla_put_u16(msg, ESPTUN_A_SEL_DPORT, dport);
	nla_nest_end(msg, nest);
}

/* An SA nest the way the module writes one; the outbound one has a selector. */
static void put_kernel_sa(struct nl_msg *msg, uint8_t dir, uint32_t spi, bool aead)
{
	struct nlattr *sa = nla_nest_start(msg, ESPTUN_A_SA), *nest;
	int type;

	nla_put_u8(msg, ESPTUN_A_SA_DIR, dir);
	nla_put_u32(msg, ESPTUN_A_SA_SPI, spi);
	if (aead) {
		nla_put_string(msg, ESPTUN_A_SA_AEAD, "rfc4106(gcm(aes))");
	} else {
		nla_put_string(msg, ESPTUN_A_SA_ENC, "cbc(aes)");
		nla_put_string(msg, ESPTUN_A_SA_AUTH, "hmac(sha256)");
	}
	nla_put_u32(msg, ESPTUN_A_SA_ICV_BITS, aead ? 128 : 96);
	nla_put_u32(msg, ESPTUN_A_SA_FLAGS, aead ? ESPTUN_SA_F_ESN : 0);
	if (dir == ESPTUN_DIR_IN)
		nla_put_u32(msg, ESPTUN_A_SA_REPLAY_WINDOW, 1024);
	nla_put(msg, ESPTUN_A_SA_PAD, 0, NULL);
	nla_put_u64(msg, ESPTUN_A_SA_SEQ, 42);
	nla_put_u64(msg, ESPTUN_A_SA_ADD_TIME, 1000);
	nest = nla_nest_start(msg, ESPTUN_A_SA_LIFETIME);
	nla_put(msg, ESPTUN_A_LIFETIME_PAD, 0, NULL);
	for (type = ESPTUN_A_LIFETIME_SOFT_BYTES; type <= ESPTUN_A_LIFETIME_HARD_SECONDS; type++)
		nla_put_u64(msg, type, type == ESPTUN_A_LIFETIME_HARD_BYTES ? 5000 : 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, ESPTUN_A_SA_STATS);
	for (type = ESPTUN_A_STATS_PACKETS; type <= ESPTUN_A_STATS_SELECTOR_DROPS; type++) {
		nla_put(msg, ESPTUN_A_STATS_PAD, 0, NULL);
		if (type != ESPTUN_A_STATS_PAD)
			nla_put_u64(msg, type, 100 * type);
	}
	nla_nest_end(msg, nest);
	if (dir == ESPTUN_DIR_OUT)
		put_kernel_sel(msg, ESPTUN_A_SA_SELECTOR, "10.10.0.0", 16, "10.20.20.0", 24, 6, 0,
			       80);
	nla_nest_end(msg, sa);
}

static struct nl_msg *kernel_device_reply(void)
{
	struct nl_msg *msg = new_msg(ESPTUN_CMD_GET_DEVICE);
	uint8_t local[4] = { 192, 0, 2, 1 }, remote[4] = { 192, 0, 2, 2 };
	struct nlattr *sas;

	nla_put_u32(msg, ESPTUN_A_IFINDEX, 5);
	nla_put_string(msg, ESPTUN_A_IFNAME, "vpn0");
	nla_put(msg, ESPTUN_A_LOCAL, 4, local);
	nla_put(msg, ESPTUN_A_REMOTE, 4, remote);
	nla_put_u8(msg, ESPTUN_A_ENCAP, ESPTUN_ENCAP_UDP);
	nla_put_u16(msg, ESPTUN_A_SPORT, 4500);
	nla_put_u16(msg, ESPTUN_A_DPORT, 4501);
	nla_put_u64(msg, ESPTUN_A_DEV_NO_SA_DROPS, 17);
	sas = nla_nest_start(msg, ESPTUN_A_SAS);
	put_kernel_sa(msg, ESPTUN_DIR_OUT, 0x1001, false);
	put_kernel_sa(msg, ESPTUN_DIR_IN, 0x2001, true);
	nla_nest_end(msg, sas);
	return msg;
}

/* Run the reply callback FN on MSG with stdout captured into OUT. */
static int capture(kernel_reply_fn fn, void *arg, struct nl_msg *msg, char *out, size_t size)
{
	struct nlattr *attrs[ESPTUN_A_MAX + 1];
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO), ret = -1;
	size_t len;

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	if (parse_msg(msg, attrs))
		ret = fn(genlmsg_hdr(nlmsg_hdr(msg))->cmd, attrs, arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	len = fread(out, 1, size - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
	return ret;
}

static int capture_show(struct nl_msg *msg, bool dump, char *out, size_t size)
{
	struct show_state state = { .dump = dump };

	return capture(show_reply, &state, msg, out, size);
}

static void test_show(void)
{
	static const char dump[] = "vpn0\tout\t0x00001001\tcbc(aes)\thmac(sha256)\t96\toff\t0\t42"
				   "\t100\t200\t300\t400\t500\t0\t5000\t0\t0\t0\t0\t1000\t600"
				   "\t800\t10.10.0.0/16\t10.20.20.0/24\t6\t0\t80\n"
				   "vpn0\tin\t0x00002001\trfc4106(gcm(aes))\t-\t128\ton\t1024\t42"
				   "\t100\t200\t300\t400\t500\t0\t5000\t0\t0\t0\t0\t1000\t600"
				   "\t800\t-\t-\t0\t0\t0\n";
	struct nl_msg *msg = kernel_device_reply();
	char out[4096];

	ok(capture_show(msg, true, out, sizeof(out)) == 0 && !strcmp(out, dump),
	   "show dump: the documented 28 tab-separated columns, one SA per line");
	if (strcmp(out, dump))
		printf("# got:\n%s", out);
	ok(capture_show(msg, false, out, sizeof(out)) == 0 && strstr(out, "device: vpn0\n") &&
		   strstr(out, "  local: 192.0.2.1\n") && strstr(out, "  remote: 192.0.2.2\n") &&
		   strstr(out, "  encap: udp, source port 4500, destination port 4501\n") &&
		   strstr(out, "sa: out spi 0x00001001\n") &&
		   strstr(out, "  algorithm: cbc(aes) hmac(sha256), icv 96 bits\n") &&
		   strstr(out, "sa: in spi 0x00002001\n") &&
		   strstr(out, "  algorithm: rfc4106(gcm(aes)), icv 128 bits\n") &&
		   strstr(out, "  replay window: 1024 packets\n") &&
		   strstr(out, "  transfer: 100 packets, 200 bytes\n") &&
		   strstr(out, "  drops: 300 replay, 400 icv-fail, 500 other, 800 selector\n") &&
		   strstr(out, "  lifetime: hard 5000 bytes\n") &&
		   strstr(out, "  no-SA drops: 17\n") &&
		   strstr(out, "sa: out spi 0x00001001\n"
			       "  sel: 10.10.0.0/16 -> 10.20.20.0/24 proto tcp dport 80\n") &&
		   !strstr(out, "sa: in spi 0x00002001\n  sel:"),
	   "show: readable device, endpoints and SAs, selectors and their drops");
	nlmsg_free(msg);
}

/* An event the way the module multicasts one: device, and DIR and SPI unless ACQUIRE. */
static struct nl_msg *kernel_event(uint8_t cmd, uint8_t dir, uint32_t spi)
{
	struct nl_msg *msg = new_msg(cmd);
	struct nlattr *sa;

	nla_put_u32(msg, ESPTUN_A_IFINDEX, 5);
	nla_put_string(msg, ESPTUN_A_IFNAME, "vpn0");
	if (dir) {
		sa = nla_nest_start(msg, ESPTUN_A_SA);
		nla_put_u8(msg, ESPTUN_A_SA_DIR, dir);
		nla_put_u32(msg, ESPTUN_A_SA_SPI, spi);
		nla_nest_end(msg, sa);
	}
	return msg;
}

static void test_monitor(void)
{
	static const struct {
		uint8_t cmd, dir;
		uint32_t spi;
		const char *line;
	} events[] = {
		{ ESPTUN_CMD_EVENT_SOFT_EXPIRE, ESPTUN_DIR_IN, 0x1000,
		  "soft-expire vpn0 in spi 0x00001000\n" },
		{ ESPTUN_CMD_EVENT_HARD_EXPIRE, ESPTUN_DIR_OUT, 0xc0ffee,
		  "hard-expire vpn0 out spi 0x00c0ffee\n" },
		{ ESPTUN_CMD_EVENT_SEQ_EXHAUSTED, ESPTUN_DIR_OUT, 7,
		  "seq-exhausted vpn0 out spi 0x00000007\n" },
		{ ESPTUN_CMD_EVENT_ACQUIRE, 0, 0, "acquire vpn0\n" },
		{ 99, ESPTUN_DIR_IN, 1, "event-99 vpn0 in spi 0x00000001\n" },
	};
	static const struct {
		const char *src, *dst;
		uint8_t src_len, dst_len, proto;
		uint16_t sport, dport;
		const char *line;
	} acquires[] = {
		{ "10.10.1.5", "10.20.20.9", 32, 32, 6, 40000, 80,
		  "acquire vpn0 sel 10.10.1.5 -> 10.20.20.9 proto tcp sport 40000 dport 80\n" },
		{ "192.168.0.1", "10.99.0.1", 32, 32, 1, 0, 0,
		  "acquire vpn0 sel 192.168.0.1 -> 10.99.0.1 proto icmp\n" },
		{ "2001:db8::1", "2001:db8:1::2", 128, 128, 50, 0, 0,
		  "acquire vpn0 sel 2001:db8::1 -> 2001:db8:1::2 proto 50\n" },
		{ "10.0.0.0", "10.1.0.0", 8, 16, 0, 0, 0,
		  "acquire vpn0 sel 10.0.0.0/8 -> 10.1.0.0/16\n" },
		{ "10.0.0.0", "10.1.0.0", 33, 16, 0, 0, 0, "acquire vpn0 sel (malformed)\n" },
	};
	struct nl_msg *msg;
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(acquires) / sizeof(acquires[0]); i++) {
		msg = kernel_event(ESPTUN_CMD_EVENT_ACQUIRE, 0, 0);
		put_kernel_sel(msg, ESPTUN_A_SELECTOR, acquires[i].src, acquires[i].src_len,
			       acquires[i].dst, acquires[i].dst_len, acquires[i].proto,
			       acquires[i].sport, acquires[i].dport);
		ok(capture(monitor_event, NULL, msg, out, sizeof(out)) == 0 &&
			   !strcmp(out, acquires[i].line),
		   "monitor prints '%.*s'", (int)strlen(acquires[i].line) - 1, acquires[i].line);
		if (strcmp(out, acquires[i].line))
			printf("# got: %s", out);
		nlmsg_free(msg);
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		msg = kernel_event(events[i].cmd, events[i].dir, events[i].spi);
		ok(capture(monitor_event, NULL, msg, out, sizeof(out)) == 0 &&
			   !strcmp(out, events[i].line),
		   "monitor prints '%.*s'", (int)strlen(events[i].line) - 1, events[i].line);
		nlmsg_free(msg);
	}
}

void test_netlink(void)
{
	test_set_request();
	test_sa_requests();
	test_sel_requests();
	test_show();
	test_monitor();
}
