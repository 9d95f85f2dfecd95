/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_PARSE_H
#define ESPTUN_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

/*
 * The words of a command line. Each parser names what it was parsing in
 * its error ("bad spi '0x'"), returns 0 or an exit code from log.h, and
 * never prints the value of a key.
 */

struct address {
	int family; /* AF_INET, AF_INET6, or 0 when not given */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16]; /* network order, address_len() of them */
	};
};

int parse_number(const char *what, const char *arg, uint64_t min, uint64_t max, uint64_t *out);
int parse_spi(const char *arg, uint32_t *spi);
int parse_port(const char *what, const char *arg, uint16_t *port);
int parse_address(const char *what, const char *arg, struct address *addr);
size_t address_len(const struct address *addr);
int parse_ifname(const char *arg, char ifname[IFNAMSIZ]);
int parse_dir(const char *arg, uint8_t *dir);

/* ADDR/LEN, or ADDR alone for a full-length prefix: one side of a traffic selector. */
struct prefix {
	struct address addr; /* no bits set past LEN */
	uint8_t len;
};

int parse_prefix(const char *what, const char *arg, struct prefix *prefix);
/* An IP protocol by name (tcp, udp, icmp, ipv6-icmp, sctp, udplite, gre) or number 1..255. */
int parse_proto(const char *arg, uint8_t *proto);
/* The name parse_proto() takes for PROTO, or NULL if it has none. */
const char *proto_name(uint8_t proto);
/* TCP, UDP, SCTP and UDP-Lite have ports a selector can match. */
bool proto_has_ports(uint8_t proto);

/*
 * Usage errors: words missing after KEYWORD (or, with KEYWORD NULL, after
 * the subcommand itself, whose name the log context already gives); an
 * unknown word.
 */
int missing_words(const char *keyword, const char *what);
int unknown_word(const char *arg);

#endif
