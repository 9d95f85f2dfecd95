// SPDX-License-Identifier: GPL-2.0
/*
 * esptun sa add|set|del|flush: manual keying of a device's SAs.
 */
#include <string.h>

#include "kernel.h"
#include "log.h"
#include "request.h"
#include "subcommands.h"

const char sa_usage[] =
	"Usage: esptun sa add DEV in|out spi SPI ALG [replay-window N] [esn] [seq N]\n"
	"                     [lifetime soft|hard bytes|packets|seconds N ...] [sel SEL]\n"
	"       esptun sa set DEV in|out spi SPI [lifetime soft|hard bytes|packets|seconds N ...]\n"
	"       esptun sa del DEV in|out spi SPI\n"
	"       esptun sa flush DEV\n"
	"\n"
	"ALG := aead 'rfc4106(gcm(aes))' KEY ICV-BITS\n"
	"     | enc 'cbc(aes)'|'cbc(des3_ede)' KEY AUTH\n"
	"AUTH := auth-trunc 'hmac(sha1|sha256|sha384|sha512)' KEY TRUNC-BITS\n"
	"      | auth 'hmac(sha1|sha256|sha384|sha512)' KEY   (truncated to 96, 128, 192, 256)\n"
	"KEY := 0xHEX | @FILE   (FILE holds the hex key and must have mode 0600 or stricter)\n"
	"SEL := src PREFIX dst PREFIX [proto PROTO] [sport PORT] [dport PORT]\n"
	"PREFIX := ADDR/LEN | ADDR   (IPv4 or IPv6, no bits set past LEN)\n"
	"PROTO := tcp | udp | icmp | ipv6-icmp | sctp | udplite | gre | 1..255\n"
	"\n"
	"SPI is decimal or 0xHEX, not 0. rfc4106 keys are 20, 28 or 36 bytes including\n"
	"the 4-byte salt, with ICV 64, 96 or 128 bits; cbc(aes) keys 16, 24 or 32 bytes;\n"
	"cbc(des3_ede) 24 bytes; HMAC keys 1 to 128 bytes, truncated to a multiple of 32\n"
	"bits up to the digest size. replay-window (inbound only) is 0..8192 packets,\n"
	"0 disables the check. seq is the last sequence number used (outbound) or seen\n"
	"(inbound); beyond 2^32-1 it needs esn.\n"
	"\n"
	"Without sel an SA carries any packet and routes alone choose the traffic. With\n"
	"sel an outbound SA carries only the packets it matches: each packet goes out\n"
	"with the most specific matching outbound SA (up to 16 per device, one per\n"
	"selector; a new one replaces the one with the same selector), and one that\n"
	"matches none is dropped. An inbound SA drops decrypted packets outside its\n"
	"selector. src is the sender's side: for an outbound SA the local network, for\n"
	"an inbound SA the remote one. sport and dport need proto tcp, udp, sctp or\n"
	"udplite.\n"
	"\n"
	"set replaces the lifetime limits of an SA: the limits it names, and no\n"
	"limit for the rest. They count from when the SA was added. Keys and\n"
	"algorithm never change: new keys need a new SA with a new SPI.\n";

static int put_lifetime(struct nl_msg *msg, const struct sa_request *req)
{
	struct nlattr *nest;
	int type, ret = 0;

	nest = nla_nest_start(msg, ESPTUN_A_SA_LIFETIME);
	if (!nest)
		return -NLE_NOMEM;
	for (type = ESPTUN_A_LIFETIME_SOFT_BYTES; !ret && type <= ESPTUN_A_LIFETIME_HARD_SECONDS;
	     type++)
		if (req->lifetime[type])
			ret = nla_put_u64(msg, type, req->lifetime[type]);
	nla_nest_end(msg, nest);
	return ret;
}

static int put_alg(struct nl_msg *msg, const struct alg_spec *alg)
{
	int ret;

	if (alg->aead) {
		ret = nla_put_string(msg, ESPTUN_A_SA_AEAD, alg->aead->name);
	} else {
		ret = nla_put_string(msg, ESPTUN_A_SA_ENC, alg->enc->name);
		if (!ret)
			ret = nla_put_string(msg, ESPTUN_A_SA_AUTH, alg->auth->name);
		if (!ret)
			ret = nla_put(msg, ESPTUN_A_SA_AUTH_KEY, alg->auth_key.len,
				      alg->auth_key.bytes);
	}
	if (!ret)
		ret = nla_put(msg, ESPTUN_A_SA_ENC_KEY, alg->enc_key.len, alg->enc_key.bytes);
	if (!ret)
		ret = nla_put_u32(msg, ESPTUN_A_SA_ICV_BITS, alg->icv_bits);
	return ret;
}

static int put_prefix(struct nl_msg *msg, int addr_type, int len_type, const struct prefix *p)
{
	int ret = nla_put(msg, addr_type, address_len(&p->addr), p->addr.bytes);

	return ret ? ret : nla_put_u8(msg, len_type, p->len);
}

/* Proto and ports only when given: 0 and absent both mean any. */
static int put_sel(struct nl_msg *msg, const struct selector *sel)
{
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(msg, ESPTUN_A_SA_SELECTOR);
	if (!nest)
		return -NLE_NOMEM;
	ret = put_prefix(msg, ESPTUN_A_SEL_SRC, ESPTUN_A_SEL_SRC_LEN, &sel->src);
	if (!ret)
		ret = put_prefix(msg, ESPTUN_A_SEL_DST, ESPTUN_A_SEL_DST_LEN, &sel->dst);
	if (!ret && sel->proto)
		ret = nla_put_u8(msg, ESPTUN_A_SEL_PROTO, sel->proto);
	if (!ret && sel->sport)
		ret = nla_put_u16(msg, ESPTUN_A_SEL_SPORT, sel->sport);
	if (!ret && sel->dport)
		ret = nla_put_u16(msg, ESPTUN_A_SEL_DPORT, sel->dport);
	nla_nest_end(msg, nest);
	return ret;
}

/*
 * The SA nest: DIR and SPI name the SA; for ESPTUN_CMD_NEW_SA the rest
 * describes it, for ESPTUN_CMD_SET_SA its lifetime follows.
 */
static int put_sa(struct nl_msg *msg, const struct sa_request *req, uint8_t cmd)
{
	bool new_sa = cmd == ESPTUN_CMD_NEW_SA;
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(msg, ESPTUN_A_SA);
	if (!nest)
		return -NLE_NOMEM;
	ret = nla_put_u8(msg, ESPTUN_A_SA_DIR, req->dir);
	if (!ret)
		ret = nla_put_u32(msg, ESPTUN_A_SA_SPI, req->spi);
	if (!ret && new_sa)
		ret = put_alg(msg, &req->alg);
	if (!ret && new_sa && req->esn)
		ret = nla_put_u32(msg, ESPTUN_A_SA_FLAGS, ESPTUN_SA_F_ESN);
	if (!ret && new_sa && req->has_replay_window)
		ret = nla_put_u32(msg, ESPTUN_A_SA_REPLAY_WINDOW, req->replay_window);
	if (!ret && new_sa && req->has_seq)
		ret = nla_put_u64(msg, ESPTUN_A_SA_SEQ, req->seq);
	if (!ret && new_sa && req->has_sel)
		ret = put_sel(msg, &req->sel);
	if (!ret && (new_sa || cmd == ESPTUN_CMD_SET_SA))
		ret = put_lifetime(msg, req);
	nla_nest_end(msg, nest);
	return ret;
}

int sa_fill(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct sa_request *req = arg;
	int ret = nla_put_string(msg, ESPTUN_A_IFNAME, req->ifname);

	if (ret || cmd == ESPTUN_CMD_FLUSH_SA)
		return ret;
	return put_sa(msg, req, cmd);
}

int sa_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *context;
		int (*parse)(int argc, char **argv, struct sa_request *req);
		uint8_t cmd;
	} ops[] = {
		{ "add", "sa add", sa_add_parse, ESPTUN_CMD_NEW_SA },
		{ "set", "sa set", sa_set_parse, ESPTUN_CMD_SET_SA },
		{ "del", "sa del", sa_del_parse, ESPTUN_CMD_DEL_SA },
		{ "flush", "sa flush", sa_flush_parse, ESPTUN_CMD_FLUSH_SA },
	};
	struct sa_request req;
	size_t i;
	int ret;

	if (argc < 2)
		return missing_words(NULL, "'add', 'set', 'del' or 'flush'");
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[1], ops[i].name))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return unknown_word(argv[1]);

	log_set_context(ops[i].context);
	ret = ops[i].parse(argc - 2, argv + 2, &req);
	if (!ret)
		ret = kernel_execute(ops[i].cmd, false, sa_fill, &req, NULL, NULL);
	sa_request_wipe(&req);
	return ret;
}
