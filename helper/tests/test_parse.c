// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers, SPIs, ports, addresses, prefixes, protocols, device names and
 * directions.
 */
#include <arpa/inet.h>
#include <string.h>

#include <linux/esptun.h>

#include "log.h"
#include "parse.h"
#include "tap.h"

static bool error_names(const char *needle)
{
	return strstr(log_last_error(), needle) != NULL;
}

static void test_spi(void)
{
	static const struct {
		const char *arg;
		uint32_t value;
	} good[] = {
		{ "1", 1 },
		{ "4096", 4096 },
		{ "0x1000", 0x1000 },
		{ "0X00001000", 0x1000 },
		{ "0xdeadBEEF", 0xdeadbeef },
		{ "4294967295", 4294967295u },
		{ "0xffffffff", 0xffffffff },
		{ "0255", 255 }, /* decimal, not octal */
	};
	static const char *const bad[] = {
		"0",
		"0x0",
		"00",
		"4294967296",
		"0x100000000",
		"18446744073709551616",
		"99999999999999999999999",
		"-1",
		"+1",
		" 1",
		"1 ",
		"",
		"0x",
		"x10",
		"1e3",
		"12abc",
		"0xg",
		"0x-1",
		"0x 1",
	};
	uint32_t spi;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		spi = 0;
		ok(!parse_spi(good[i].arg, &spi) && spi == good[i].value, "spi '%s' is %u",
		   good[i].arg, good[i].value);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_spi(bad[i], &spi) == EXIT_ERROR && error_names("spi"),
		   "spi '%s' refused, naming the spi", bad[i]);
}

static void test_number(void)
{
	uint64_t value;

	ok(!parse_number("n", "18446744073709551615", 0, UINT64_MAX, &value) && value == UINT64_MAX,
	   "number 2^64-1 accepted at the u64 limit");
	ok(!parse_number("n", "0xffffffffffffffff", 0, UINT64_MAX, &value) && value == UINT64_MAX,
	   "number 0xffffffffffffffff accepted");
	ok(parse_number("n", "0x10000000000000000", 0, UINT64_MAX, &value) == EXIT_ERROR,
	   "number 2^64 in hex refused");
	ok(parse_number("n", "5", 6, 10, &value) == EXIT_ERROR && error_names("6..10"),
	   "number below its minimum refused with the range");
	ok(parse_number("n", "11", 6, 10, &value) == EXIT_ERROR,
	   "number above its maximum refused");
}

static void test_port(void)
{
	static const char *const bad[] = { "0", "65536", "-1", "", "http", "0x10000" };
	uint16_t port;
	size_t i;

	ok(!parse_port("source port", "4500", &port) && port == 4500, "port 4500");
	ok(!parse_port("source port", "1", &port) && port == 1, "port 1");
	ok(!parse_port("source port", "65535", &port) && port == 65535, "port 65535");
	ok(!parse_port("source port", "0x1194", &port) && port == 4500, "port 0x1194 is 4500");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_port("destination port", bad[i], &port) == EXIT_ERROR &&
			   error_names("destination port"),
		   "port '%s' refused, naming the port", bad[i]);
}

static void test_address(void)
{
	static const char *const bad[] = {
		"",
		"1.2.3",
		"1.2.3.256",
		"1.2.3.4.5",
		"1.2.3.4/32",
		"example.com",
		"::g",
		"1:2:3:4:5:6:7:8:9",
		"fe80::1%eth0",
		" 1.2.3.4",
		"0.0.0.0",
		"255.255.255.255",
		"224.0.0.1",
		"239.255.255.255",
		"::",
		"ff02::1",
	};
	struct address addr;
	struct in6_addr v6;
	size_t i;

	ok(!parse_address("local", "192.0.2.1", &addr) && addr.family == AF_INET &&
		   addr.v4.s_addr == htonl(0xc0000201) && address_len(&addr) == 4,
	   "address 192.0.2.1 is IPv4, 4 bytes, network order");
	inet_pton(AF_INET6, "2001:db8::1", &v6);
	ok(!parse_address("local", "2001:db8::1", &addr) && addr.family == AF_INET6 &&
		   !memcmp(&addr.v6, &v6, sizeof(v6)) && address_len(&addr) == 16,
	   "address 2001:db8::1 is IPv6, 16 bytes");
	ok(!parse_address("local", "::ffff:192.0.2.1", &addr) && addr.family == AF_INET6,
	   "address ::ffff:192.0.2.1 stays IPv6");
	ok(!parse_address("local", "fe80::1", &addr) && addr.family == AF_INET6,
	   "address fe80::1 accepted");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_address("remote", bad[i], &addr) == EXIT_ERROR && error_names("remote") &&
			   (!*bad[i] || error_names(bad[i])),
		   "address '%s' refused, naming the argument", bad[i]);
}

static void test_prefix(void)
{
	static const struct {
		const char *arg;
		int family;
		unsigned int len;
	} good[] = {
		{ "10.10.0.0/16", AF_INET, 16 },
		{ "0.0.0.0/0", AF_INET, 0 },
		{ "192.168.0.0/24", AF_INET, 24 },
		{ "10.20.20.7", AF_INET, 32 },
		{ "10.20.20.7/32", AF_INET, 32 },
		{ "2001:db8::/32", AF_INET6, 32 },
		{ "::/0", AF_INET6, 0 },
		{ "2001:db8::1", AF_INET6, 128 },
		{ "fd00:1:2:3::/64", AF_INET6, 64 },
		{ "2001:db8::1/128", AF_INET6, 128 },
		{ "224.0.0.0/4", AF_INET, 4 },
		{ "10.0.0.0/08", AF_INET, 8 },
		{ "10.0.0.0/7", AF_INET, 7 },
	};
	static const struct {
		const char *arg, *why;
	} bad[] = {
		{ "10.0.0.1/24", "bits set past the prefix length" },
		{ "11.0.0.0/7", "bits set past the prefix length" },
		{ "0.0.0.1/0", "bits set past the prefix length" },
		{ "2001:db8::1/64", "bits set past the prefix length" },
		{ "2001:db8::/16", "bits set past the prefix length" },
		{ "10.0.0.0/33", "length must be 0 to 32" },
		{ "2001:db8::/129", "length must be 0 to 128" },
		{ "10.0.0.0/", "length must be 0 to 32" },
		{ "10.0.0.0/-1", "length must be 0 to 32" },
		{ "10.0.0.0/+8", "length must be 0 to 32" },
		{ "10.0.0.0/0x8", "length must be 0 to 32" },
		{ "10.0.0.0/ 8", "length must be 0 to 32" },
		{ "10.0.0.0/8/8", "length must be 0 to 32" },
		{ "10.0.0.0/0008", "length must be 0 to 32" },
		{ "10.0.0/8", "expected an IPv4 or IPv6" },
		{ "", "expected an IPv4 or IPv6" },
		{ "/8", "expected an IPv4 or IPv6" },
		{ "any", "expected an IPv4 or IPv6" },
		{ "fe80::1%eth0/64", "expected an IPv4 or IPv6" },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999/64", "expected an IPv4 or IPv6" },
	};
	struct prefix prefix;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&prefix, 0xff, sizeof(prefix));
		ok(!parse_prefix("source", good[i].arg, &prefix) &&
			   prefix.addr.family == good[i].family && prefix.len == good[i].len,
		   "prefix '%s' is IPv%d /%u", good[i].arg, good[i].family == AF_INET ? 4 : 6,
		   good[i].len);
	}
	ok(!parse_prefix("source", "10.10.0.0/16", &prefix) &&
		   prefix.addr.v4.s_addr == htonl(0x0a0a0000),
	   "prefix 10.10.0.0/16 holds the address in network order");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_prefix("destination", bad[i].arg, &prefix) == EXIT_ERROR &&
			   error_names("bad destination prefix") && error_names(bad[i].arg) &&
			   error_names(bad[i].why),
		   "prefix '%s' refused: %s", bad[i].arg, bad[i].why);
}

static void test_proto(void)
{
	static const struct {
		const char *arg;
		uint8_t proto;
	} good[] = {
		{ "tcp", 6 },	 { "udp", 17 },	     { "icmp", 1 },  { "ipv6-icmp", 58 },
		{ "sctp", 132 }, { "udplite", 136 }, { "gre", 47 },  { "50", 50 },
		{ "1", 1 },	 { "255", 255 },     { "0x11", 17 },
	};
	static const char *const bad[] = { "0", "256", "-1", "", "TCP", "esp", "icmpv6", "6x" };
	uint8_t proto;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(!parse_proto(good[i].arg, &proto) && proto == good[i].proto,
		   "protocol '%s' is %u", good[i].arg, good[i].proto);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_proto(bad[i], &proto) == EXIT_ERROR && error_names("protocol") &&
			   (!*bad[i] || error_names(bad[i])),
		   "protocol '%s' refused, naming it", bad[i]);
	ok(!strcmp(proto_name(58), "ipv6-icmp") && !strcmp(proto_name(136), "udplite") &&
		   proto_name(50) == NULL,
	   "protocol names back, none for 50");
	ok(proto_has_ports(6) && proto_has_ports(17) && proto_has_ports(132) &&
		   proto_has_ports(136) && !proto_has_ports(1) && !proto_has_ports(47) &&
		   !proto_has_ports(0),
	   "ports with tcp, udp, sctp and udplite only");
}

static void test_ifname(void)
{
	static const char *const bad[] = { "", "0123456789abcdef", ".", "..", "a/b", "a:b", "a b" };
	char ifname[IFNAMSIZ];
	size_t i;

	ok(!parse_ifname("vpn0", ifname) && !strcmp(ifname, "vpn0"), "device name vpn0");
	ok(!parse_ifname("0123456789abcde", ifname) && !strcmp(ifname, "0123456789abcde"),
	   "device name of 15 characters");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_ifname(bad[i], ifname) == EXIT_ERROR && error_names("device name"),
		   "device name '%s' refused", bad[i]);
}

static void test_dir(void)
{
	uint8_t dir;

	ok(!parse_dir("in", &dir) && dir == ESPTUN_DIR_IN, "direction in");
	ok(!parse_dir("out", &dir) && dir == ESPTUN_DIR_OUT, "direction out");
	ok(parse_dir("IN", &dir) == EXIT_ERROR && error_names("'IN'"), "direction IN refused");
	ok(parse_dir("", &dir) == EXIT_ERROR, "empty direction refused");
}

void test_parse(void)
{
	test_number();
	test_spi();
	test_port();
	test_address();
	test_prefix();
	test_proto();
	test_ifname();
	test_dir();
}
