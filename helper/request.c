// SPDX-License-Identifier: GPL-2.0
/*
 * The grammar of "esptun set DEV ..." and "esptun sa add|del|flush DEV ...".
 */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "request.h"

const char *const lifetime_units[LIFETIME_UNITS] = { "bytes", "packets", "seconds" };

int set_parse(int argc, char **argv, struct set_request *req)
{
	int ret;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return missing_words(NULL, "a device name");
	ret = parse_ifname(argv[0], req->ifname);
	for (argc--, argv++; !ret && argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "local") || !strcmp(argv[0], "remote")) {
			bool local = argv[0][0] == 'l';

			if (argc < 2)
				return missing_words(argv[0], "an address");
			ret = parse_address(argv[0], argv[1], local ? &req->local : &req->remote);
		} else if (!strcmp(argv[0], "encap")) {
			if (argc < 2)
				return missing_words("encap", "'udp SPORT DPORT' or 'none'");
			req->has_encap = true;
			if (!strcmp(argv[1], "none")) {
				req->encap = ESPTUN_ENCAP_NONE;
				continue;
			}
			if (strcmp(argv[1], "udp"))
				return unknown_word(argv[1]);
			if (argc < 4)
				return missing_words("encap udp", "SPORT DPORT");
			ret = parse_port("source port", argv[2], &req->sport);
			if (!ret)
				ret = parse_port("destination port", argv[3], &req->dport);
			req->encap = ESPTUN_ENCAP_UDP;
			argc -= 2;
			argv += 2;
		} else if (!strcmp(argv[0], "carrier")) {
			if (argc < 2)
				return missing_words("carrier", "'sa' or 'on'");
			if (!strcmp(argv[1], "sa"))
				req->carrier = ESPTUN_CARRIER_SA;
			else if (!strcmp(argv[1], "on"))
				req->carrier = ESPTUN_CARRIER_ON;
			else
				return unknown_word(argv[1]);
			req->has_carrier = true;
		} else {
			return unknown_word(argv[0]);
		}
	}
	if (ret)
		return ret;
	if (!req->local.family && !req->remote.family && !req->has_encap && !req->has_carrier)
		return missing_words(
			NULL, "'local', 'remote', 'encap' or 'carrier' after the device name");
	if (req->local.family && req->remote.family && req->local.family != req->remote.family) {
		log_error("local and remote addresses must be of the same family (IPv4 or IPv6)");
		return EXIT_ERROR;
	}
	return 0;
}

/* DEV in|out spi SPI: the start of every per-SA command. Returns words used or -exit code. */
static int parse_sa_id(int argc, char **argv, struct sa_request *req)
{
	int ret;

	memset(req, 0, sizeof(*req));
	if (argc < 4)
		return -missing_words(NULL, "DEV in|out spi SPI");
	if (strcmp(argv[2], "spi")) {
		log_error("expected 'spi' after the direction, not '%s'", argv[2]);
		return -EXIT_USAGE;
	}
	ret = parse_ifname(argv[0], req->ifname);
	if (!ret)
		ret = parse_dir(argv[1], &req->dir);
	if (!ret)
		ret = parse_spi(argv[3], &req->spi);
	return ret ? -ret : 4;
}

/* "lifetime soft|hard bytes|packets|seconds N [soft|hard ... N]..." */
static int parse_lifetime(int argc, char **argv, struct sa_request *req)
{
	int used = 1;

	do {
		int unit, ret;
		bool hard;
		uint64_t value;

		if (argc - used < 3)
			return -missing_words("lifetime", "soft|hard bytes|packets|seconds N");
		hard = !strcmp(argv[used], "hard");
		if (!hard && strcmp(argv[used], "soft"))
			return -unknown_word(argv[used]);
		for (unit = 0; unit < LIFETIME_UNITS; unit++)
			if (!strcmp(argv[used + 1], lifetime_units[unit]))
				break;
		if (unit == LIFETIME_UNITS)
			return -unknown_word(argv[used + 1]);
		ret = parse_number("lifetime", argv[used + 2], 1, UINT64_MAX, &value);
		if (ret)
			return -ret;
		req->lifetime[lifetime_attr(unit, hard)] = value;
		used += 3;
	} while (used < argc && (!strcmp(argv[used], "soft") || !strcmp(argv[used], "hard")));
	return used;
}

static int check_lifetimes(const struct sa_request *req)
{
	int unit;

	for (unit = 0; unit < LIFETIME_UNITS; unit++) {
		uint64_t soft = req->lifetime[lifetime_attr(unit, false)];
		uint64_t hard = req->lifetime[lifetime_attr(unit, true)];

		if (soft && hard && soft >= hard) {
			log_error("soft %s lifetime %" PRIu64
				  " must be below the hard one %" PRIu64,
				  lifetime_units[unit], soft, hard);
			return EXIT_ERROR;
		}
	}
	return 0;
}

/* One "src|dst|proto|sport|dport VALUE" of a selector; 0 or an exit code. */
static int parse_sel_word(const char *word, const char *value, struct selector *sel)
{
	if (!strcmp(word, "src"))
		return parse_prefix("source", value, &sel->src);
	if (!strcmp(word, "dst"))
		return parse_prefix("destination", value, &sel->dst);
	if (!strcmp(word, "proto"))
		return parse_proto(value, &sel->proto);
	if (!strcmp(word, "sport"))
		return parse_port("source port", value, &sel->sport);
	return parse_port("destination port", value, &sel->dport);
}

static bool is_sel_word(const char *word)
{
	static const char *const words[] = { "src", "dst", "proto", "sport", "dport" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(word, words[i]))
			return true;
	return false;
}

/* What the kernel would refuse in a complete selector, said in the words of the command line. */
static int check_sel(const struct selector *sel)
{
	int family = sel->src.addr.family;

	if (!family || !sel->dst.addr.family)
		return missing_words("sel", "both 'src PREFIX' and 'dst PREFIX'");
	if (family != sel->dst.addr.family) {
		log_error("sel: src and dst must be of the same family (IPv4 or IPv6)");
		return EXIT_ERROR;
	}
	if ((sel->sport || sel->dport) && !proto_has_ports(sel->proto)) {
		log_error("sel: sport and dport need proto tcp, udp, sctp or udplite");
		return EXIT_ERROR;
	}
	if ((family == AF_INET && sel->proto == IPPROTO_ICMPV6) ||
	    (family == AF_INET6 && sel->proto == IPPROTO_ICMP)) {
		log_error("sel: proto %s is not the ICMP of IPv%d; use %s", proto_name(sel->proto),
			  family == AF_INET ? 4 : 6, family == AF_INET ? "icmp" : "ipv6-icmp");
		return EXIT_ERROR;
	}
	return 0;
}

/* "sel src PREFIX dst PREFIX [proto P] [sport N] [dport N]", its words in any order. */
static int parse_sel(int argc, char **argv, struct sa_request *req)
{
	int used = 1, ret;

	if (req->has_sel) {
		log_error("more than one 'sel'");
		return -EXIT_USAGE;
	}
	req->has_sel = true;
	while (used < argc && is_sel_word(argv[used])) {
		if (used + 1 >= argc)
			return -missing_words(argv[used], "a value");
		ret = parse_sel_word(argv[used], argv[used + 1], &req->sel);
		if (ret)
			return -ret;
		used += 2;
	}
	ret = check_sel(&req->sel);
	return ret ? -ret : used;
}

static int parse_sa_option(int argc, char **argv, struct sa_request *req)
{
	uint64_t value;
	int ret;

	if (!strcmp(argv[0], "esn")) {
		req->esn = true;
		return 1;
	}
	if (!strcmp(argv[0], "lifetime"))
		return parse_lifetime(argc, argv, req);
	if (!strcmp(argv[0], "sel"))
		return parse_sel(argc, argv, req);
	if (!strcmp(argv[0], "replay-window")) {
		if (argc < 2)
			return -missing_words(argv[0], "a number of packets");
		ret = parse_number("replay-window", argv[1], 0, ESPTUN_REPLAY_WINDOW_MAX, &value);
		if (ret)
			return -ret;
		req->replay_window = value;
		req->has_replay_window = true;
		return 2;
	}
	if (!strcmp(argv[0], "seq")) {
		if (argc < 2)
			return -missing_words(argv[0], "a sequence number");
		ret = parse_number("seq", argv[1], 0, UINT64_MAX, &req->seq);
		if (ret)
			return -ret;
		req->has_seq = true;
		return 2;
	}
	ret = alg_parse_clause(&req->alg, argc, argv);
	return ret ? ret : -unknown_word(argv[0]);
}

int sa_add_parse(int argc, char **argv, struct sa_request *req)
{
	int used = parse_sa_id(argc, argv, req);

	while (used > 0 && used < argc) {
		int ret = parse_sa_option(argc - used, argv + used, req);

		used = ret < 0 ? ret : used + ret;
	}
	if (used < 0)
		return -used;
	if (alg_check_complete(&req->alg))
		return EXIT_USAGE;
	if (req->has_replay_window && req->dir != ESPTUN_DIR_IN) {
		log_error("replay-window applies to inbound SAs only");
		return EXIT_ERROR;
	}
	/* Without ESN the counter is 32 bits wide on the wire and in the kernel. */
	if (!req->esn && req->seq > UINT32_MAX) {
		log_error("seq %" PRIu64 " needs 'esn': without it sequence numbers are 32 bits",
			  req->seq);
		return EXIT_ERROR;
	}
	return check_lifetimes(req);
}

int sa_set_parse(int argc, char **argv, struct sa_request *req)
{
	int used = parse_sa_id(argc, argv, req);

	while (used > 0 && used < argc) {
		int ret;

		if (!strcmp(argv[used], "sel")) {
			log_error("a selector never changes: add a new SA with it instead");
			return EXIT_USAGE;
		}
		if (strcmp(argv[used], "lifetime"))
			return unknown_word(argv[used]);
		ret = parse_lifetime(argc - used, argv + used, req);
		used = ret < 0 ? ret : used + ret;
	}
	if (used < 0)
		return -used;
	return check_lifetimes(req);
}

int sa_del_parse(int argc, char **argv, struct sa_request *req)
{
	int used = parse_sa_id(argc, argv, req);

	if (used < 0)
		return -used;
	return used < argc ? unknown_word(argv[used]) : 0;
}

int sa_flush_parse(int argc, char **argv, struct sa_request *req)
{
	memset(req, 0, sizeof(*req));
	if (argc != 1)
		return argc ? unknown_word(argv[1]) : missing_words(NULL, "a device name");
	return parse_ifname(argv[0], req->ifname);
}

void sa_request_wipe(struct sa_request *req)
{
	alg_wipe(&req->alg);
}
