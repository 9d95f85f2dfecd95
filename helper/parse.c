// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for the single words of a command line: numbers, SPIs, ports,
 * addresses, device names, directions.
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
