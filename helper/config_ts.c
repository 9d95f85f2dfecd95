// SPDX-License-Identifier: GPL-2.0
/*
 * Values of the configuration that name subnets: local-ts and remote-ts,
 * comma-separated lists whose cross product is the tunnel's sub-tunnels
 * (one Quick Mode and one ESP SA pair each, as a crypto map's ACL lines),
 * each subnet maybe narrowed to a protocol and port (strongSwan's
 * 10.1.0.0/16[tcp/80]), and address, the inner address the daemon puts on
 * the device. Each
 * returns 0, or -1 with the reason in ERR for config.c to put after
 * "FILE:LINE: key = value: ".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static unsigned int max_prefix(int family)
{
	return family == AF_INET ? 32 : 128;
}

/* "10.1.0.0/16", "2001:db8::/32", or an address, with host bits (HOST_BITS) or not. */
static int parse_prefix(const char *v, size_t len, bool host_bits, struct traffic_sel *ts,
			char *err, size_t err_len)
{
	char buf[INET6_ADDRSTRLEN + 5], *slash, *end;
	unsigned long prefix;
	uint8_t host = 0;

	if (!len || len >= sizeof(buf)) {
		snprintf(err, err_len, "not a subnet (e.g. 10.1.0.0/16)");
		return -1;
	}
	memcpy(buf, v, len);
	buf[len] = 0;
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	ts->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	prefix = max_prefix(ts->family);
	if (slash) {
		errno = 0;
		prefix = strtoul(slash + 1, &end, 10);
		if (end == slash + 1 || *end || errno || slash[1] == '-' ||
		    prefix > max_prefix(ts->family))
			goto bad;
	}
	if (inet_pton(ts->family, buf, ts->addr) != 1)
		goto bad;
	ts->prefix = (unsigned int)prefix;
	for (unsigned int bit = ts->prefix; bit < max_prefix(ts->family); bit++)
		host |= ts->addr[bit / 8] & (0x80 >> (bit % 8));
	if (host && !host_bits) {
		snprintf(err, err_len, "address bits set beyond the /%u prefix", ts->prefix);
		return -1;
	}
	return 0;
bad:
	snprintf(err, err_len, "not a subnet (e.g. 10.1.0.0/16)");
	return -1;
}

/*
 * "[tcp/80]", "[udp]", "[47]", "[tcp/%any]" after a subnet (V, LEN bytes,
 * from the '['), strongSwan's syntax: a protocol by name or number, and a
 * port for the protocols that have them.
 */
static int parse_proto_port(const char *v, size_t len, struct traffic_sel *ts, char *err,
			    size_t err_len)
{
	static const struct {
		const char *name;
		uint8_t proto;
		bool ports;
	} protos[] = { { "icmp", 1, false },	{ "tcp", 6, true },	    { "udp", 17, true },
		       { "gre", 47, false },	{ "ipv6-icmp", 58, false }, { "sctp", 132, true },
		       { "udplite", 136, true } };
	char buf[32], *slash, *end;
	unsigned long n;
	bool ports = false;
	size_t i;

	if (len < 3 || len >= sizeof(buf) || v[len - 1] != ']')
		goto bad;
	memcpy(buf, v + 1, len - 2);
	buf[len - 2] = 0;
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(buf, protos[i].name))
			break;
	if (i < sizeof(protos) / sizeof(protos[0])) {
		ts->proto = protos[i].proto;
		ports = protos[i].ports;
	} else {
		errno = 0;
		n = strtoul(buf, &end, 10);
		if (!*buf || *end || errno || n < 1 || n > 255)
			goto bad;
		ts->proto = (uint8_t)n;
		for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
			if (protos[i].proto == n)
				ports = protos[i].ports;
	}
	if (!slash || !strcmp(slash, "%any"))
		return 0;
	errno = 0;
	n = strtoul(slash, &end, 10);
	if (!*slash || *end || errno || *slash == '-' || n < 1 || n > 65535)
		goto bad;
	if (!ports) {
		snprintf(err, err_len, "protocol %u has no ports", ts->proto);
		return -1;
	}
	ts->port = (uint16_t)n;
	return 0;
bad:
	snprintf(err, err_len,
		 "expected [protocol] or [protocol/port] after the subnet (e.g. "
		 "10.1.0.0/16[tcp/80], [udp], [47])");
	return -1;
}

/* A list entry: a subnet, maybe with [protocol/port]. */
static int parse_entry(const char *v, size_t len, struct traffic_sel *ts, char *err, size_t err_len)
{
	const char *bracket = memchr(v, '[', len);
	size_t subnet = bracket ? (size_t)(bracket - v) : len;

	if (parse_prefix(v, subnet, false, ts, err, err_len))
		return -1;
	return bracket ? parse_proto_port(bracket, len - subnet, ts, err, err_len) : 0;
}

static bool ts_same(const struct traffic_sel *a, const struct traffic_sel *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr)) && a->proto == b->proto &&
	       a->port == b->port;
}

int config_ts_list(const char *v, struct traffic_sel *out, size_t *n, char *err, size_t err_len)
{
	struct traffic_sel list[CONFIG_TS_MAX];
	size_t count = 0;

	for (;;) {
		size_t len;

		while (*v == ' ' || *v == '\t')
			v++;
		len = strcspn(v, ",");
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (count == CONFIG_TS_MAX) {
			snprintf(err, err_len, "more than %d subnets", CONFIG_TS_MAX);
			return -1;
		}
		memset(&list[count], 0, sizeof(list[count]));
		if (parse_entry(v, len, &list[count], err, err_len))
			return -1;
		if (count && list[count].family != list[0].family) {
			snprintf(err, err_len, "one address family per list");
			return -1;
		}
		for (size_t i = 0; i < count; i++) {
			if (ts_same(&list[i], &list[count])) {
				snprintf(err, err_len, "a subnet named twice");
				return -1;
			}
		}
		count++;
		v += strcspn(v, ",");
		if (!*v)
			break;
		v++;
	}
	memcpy(out, list, count * sizeof(*list));
	*n = count;
	return 0;
}

int config_address(const char *v, struct traffic_sel *out, char *err, size_t err_len)
{
	struct traffic_sel a = { 0 };

	if (!strchr(v, '/')) {
		snprintf(err, err_len, "expected an address with its prefix (e.g. 10.9.0.1/30)");
		return -1;
	}
	if (parse_prefix(v, strlen(v), true, &a, err, err_len))
		return -1;
	*out = a;
	return 0;
}

bool config_ts_equal(const struct traffic_sel *a, size_t n_a, const struct traffic_sel *b,
		     size_t n_b)
{
	if (n_a != n_b)
		return false;
	for (size_t i = 0; i < n_a; i++)
		if (!ts_same(&a[i], &b[i]))
			return false;
	return true;
}
