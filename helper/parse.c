// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for the single words of a command line: numbers, SPIs, ports,
 * addresses, prefixes, IP protocols, device names, directions.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/esptun.h>

#include "log.h"
#include "parse.h"

/* Decimal or 0x-hex, nothing else: strtoull alone would take signs, spaces and octal. */
int parse_number(const char *what, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *digits = arg;
	unsigned long long value;
	char *end;
	int base = 10;

	if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) {
		digits = arg + 2;
		base = 16;
	}
	if (!(base == 16 ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		goto bad;
	errno = 0;
	value = strtoull(digits, &end, base);
	if (*end)
		goto bad;
	if (errno == ERANGE || value < min || value > max) {
		log_error("bad %s '%s': out of range %" PRIu64 "..%" PRIu64, what, arg, min, max);
		return EXIT_ERROR;
	}
	*out = value;
	return 0;
bad:
	log_error("bad %s '%s': expected a decimal or 0x-hex number", what, arg);
	return EXIT_ERROR;
}

int parse_spi(const char *arg, uint32_t *spi)
{
	uint64_t value;
	int ret;

	/* 0 is never a valid SPI (RFC 4303 section 2.1); the kernel refuses it too. */
	ret = parse_number("spi", arg, 1, UINT32_MAX, &value);
	if (!ret)
		*spi = value;
	return ret;
}

int parse_port(const char *what, const char *arg, uint16_t *port)
{
	uint64_t value;
	int ret;

	ret = parse_number(what, arg, 1, UINT16_MAX, &value);
	if (!ret)
		*port = value;
	return ret;
}

static bool is_unicast(const struct address *addr)
{
	if (addr->family == AF_INET) {
		uint32_t a = ntohl(addr->v4.s_addr);

		return a != INADDR_ANY && a != INADDR_BROADCAST && !IN_MULTICAST(a);
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&addr->v6) && !IN6_IS_ADDR_MULTICAST(&addr->v6);
}

int parse_address(const char *what, const char *arg, struct address *addr)
{
	struct address parsed = { 0 };

	if (inet_pton(AF_INET, arg, &parsed.v4) == 1)
		parsed.family = AF_INET;
	else if (inet_pton(AF_INET6, arg, &parsed.v6) == 1)
		parsed.family = AF_INET6;
	else {
		log_error("bad %s address '%s': expected an IPv4 or IPv6 address", what, arg);
		return EXIT_ERROR;
	}
	/* A tunnel endpoint is one host: the kernel would route nothing useful to these. */
	if (!is_unicast(&parsed)) {
		log_error("bad %s address '%s': not a unicast address", what, arg);
		return EXIT_ERROR;
	}
	*addr = parsed;
	return 0;
}

size_t address_len(const struct address *addr)
{
	return addr->family == AF_INET ? sizeof(addr->v4) : sizeof(addr->v6);
}

static int bad_prefix(const char *what, const char *arg, const char *why)
{
	log_error("bad %s prefix '%s': %s", what, arg, why);
	return EXIT_ERROR;
}

/* Whether ADDR has any bit set from bit LEN on (LEN counted from the most significant). */
static bool host_bits_set(const struct address *addr, unsigned int len)
{
	unsigned int bit;

	for (bit = len; bit < 8 * address_len(addr); bit++)
		if (addr->bytes[bit / 8] & (0x80 >> (bit % 8)))
			return true;
	return false;
}

int parse_prefix(const char *what, const char *arg, struct prefix *prefix)
{
	char text[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	size_t len = slash ? (size_t)(slash - arg) : strlen(arg);
	struct prefix parsed = { 0 };
	unsigned long bits, max;

	if (len >= sizeof(text))
		return bad_prefix(what, arg, "expected an IPv4 or IPv6 ADDR/LEN");
	memcpy(text, arg, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, &parsed.addr.v4) == 1)
		parsed.addr.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &parsed.addr.v6) == 1)
		parsed.addr.family = AF_INET6;
	else
		return bad_prefix(what, arg, "expected an IPv4 or IPv6 ADDR/LEN");
	max = 8 * address_len(&parsed.addr);
	bits = max;
	if (slash) {
		/* Decimal digits only, as ip(8) writes them: no sign, no hex, no spaces. */
		len = strlen(slash + 1);
		bits = len && len <= 3 && strspn(slash + 1, "0123456789") == len
			       ? strtoul(slash + 1, NULL, 10)
			       : max + 1;
	}
	if (bits > max)
		return bad_prefix(what, arg,
				  max == 32 ? "length must be 0 to 32" : "length must be 0 to 128");
	parsed.len = bits;
	if (host_bits_set(&parsed.addr, parsed.len))
		return bad_prefix(what, arg, "bits set past the prefix length");
	*prefix = parsed;
	return 0;
}

static const struct {
	const char *name;
	uint8_t number;
} protocols[] = {
	{ "icmp", IPPROTO_ICMP },	{ "tcp", IPPROTO_TCP },		 { "udp", IPPROTO_UDP },
	{ "gre", IPPROTO_GRE },		{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP },
	{ "udplite", IPPROTO_UDPLITE },
};

int parse_proto(const char *arg, uint8_t *proto)
{
	uint64_t number;
	size_t i;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (!strcmp(arg, protocols[i].name)) {
			*proto = protocols[i].number;
			return 0;
		}
	if (!isdigit((unsigned char)arg[0])) {
		log_error("bad protocol '%s': expected tcp, udp, icmp, ipv6-icmp, sctp, udplite, "
			  "gre or a number 1..255",
			  arg);
		return EXIT_ERROR;
	}
	if (parse_number("protocol", arg, 1, 255, &number))
		return EXIT_ERROR;
	*proto = number;
	return 0;
}

const char *proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (protocols[i].number == proto)
			return protocols[i].name;
	return NULL;
}

bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

/* The kernel's own rules for a device name (dev_valid_name()), so the error comes from us. */
int parse_ifname(const char *arg, char ifname[IFNAMSIZ])
{
	size_t len = strlen(arg);

	if (len == 0 || len >= IFNAMSIZ) {
		log_error("bad device name '%s': must be 1 to %d characters", arg, IFNAMSIZ - 1);
		return EXIT_ERROR;
	}
	if (!strcmp(arg, ".") || !strcmp(arg, "..") || strpbrk(arg, "/: \t\n\v\f\r")) {
		log_error("bad device name '%s'", arg);
		return EXIT_ERROR;
	}
	memcpy(ifname, arg, len + 1);
	return 0;
}

int parse_dir(const char *arg, uint8_t *dir)
{
	if (!strcmp(arg, "in"))
		*dir = ESPTUN_DIR_IN;
	else if (!strcmp(arg, "out"))
		*dir = ESPTUN_DIR_OUT;
	else {
		log_error("bad direction '%s': expected 'in' or 'out'", arg);
		return EXIT_ERROR;
	}
	return 0;
}

int missing_words(const char *keyword, const char *what)
{
	if (keyword)
		log_error("'%s' needs %s", keyword, what);
	else
		log_error("expected %s", what);
	return EXIT_USAGE;
}

int unknown_word(const char *arg)
{
	log_error("unexpected argument '%s'", arg);
	return EXIT_USAGE;
}
