// SPDX-License-Identifier: GPL-2.0
/*
 * The command lines of esptun set and esptun sa add|del|flush.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "request.h"
#include "tap.h"

#define GCM_KEY "0x0001020304050607080910111213141516171819"
#define GCM "aead rfc4106(gcm(aes)) " GCM_KEY " 128"

typedef int (*sa_parser)(int argc, char **argv, struct sa_request *req);

static int sa_line(sa_parser parse, const char *line, struct sa_request *req)
{
	char copy[1024], *argv[64];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split_words(copy, argv, 64);
	return parse(argc, argv, req);
}

static int set_line(const char *line, struct set_request *req)
{
	char copy[1024], *argv[64];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split_words(copy, argv, 64);
	return set_parse(argc, argv, req);
}

static void test_set(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *needle;
	} bad[] = {
		{ "", EXIT_USAGE, "expected a device name" },
		{ "vpn0", EXIT_USAGE, "'local', 'remote', 'encap' or 'carrier'" },
		{ "vpn0 carrier", EXIT_USAGE, "'carrier' needs" },
		{ "vpn0 carrier off", EXIT_USAGE, "'off'" },
		{ "vpn0 local", EXIT_USAGE, "'local' needs" },
		{ "vpn0 local 192.0.2.1 remote 2001:db8::2", EXIT_ERROR, "same family" },
		{ "vpn0 local 2001:db8::1 remote 192.0.2.2", EXIT_ERROR, "same family" },
		{ "vpn0 local 192.0.2.300", EXIT_ERROR, "'192.0.2.300'" },
		{ "vpn0 remote ::", EXIT_ERROR, "remote" },
		{ "vpn0 encap", EXIT_USAGE, "'encap' needs" },
		{ "vpn0 encap udp", EXIT_USAGE, "'encap udp' needs" },
		{ "vpn0 encap udp 4500", EXIT_USAGE, "'encap udp' needs" },
		{ "vpn0 encap udp 0 4500", EXIT_ERROR, "source port '0'" },
		{ "vpn0 encap udp 4500 65536", EXIT_ERROR, "destination port '65536'" },
		{ "vpn0 encap tcp 4500 4500", EXIT_USAGE, "'tcp'" },
		{ "vpn0 peer 192.0.2.2", EXIT_USAGE, "'peer'" },
		{ "vpn0 local 192.0.2.1 extra", EXIT_USAGE, "'extra'" },
		{ "vpn0/1 local 192.0.2.1", EXIT_ERROR, "device name" },
	};
	struct set_request req;
	size_t i;

	ok(!set_line("vpn0 local 192.0.2.1 remote 192.0.2.2", &req) &&
		   !strcmp(req.ifname, "vpn0") && req.local.family == AF_INET &&
		   req.remote.family == AF_INET && req.remote.v4.s_addr == htonl(0xc0000202) &&
		   !req.has_encap,
	   "set with IPv4 endpoints");
	ok(!set_line("vpn0 remote 2001:db8::2 local 2001:db8::1", &req) &&
		   req.local.family == AF_INET6 && req.remote.family == AF_INET6,
	   "set with IPv6 endpoints in either order");
	ok(!set_line("vpn0 local 192.0.2.1 remote 192.0.2.2 encap udp 4500 4501", &req) &&
		   req.has_encap && req.encap == ESPTUN_ENCAP_UDP && req.sport == 4500 &&
		   req.dport == 4501,
	   "set with UDP encapsulation and ports");
	ok(!set_line("vpn0 encap none", &req) && req.has_encap && req.encap == ESPTUN_ENCAP_NONE &&
		   !req.local.family && !req.remote.family,
	   "set encap none alone changes only the encapsulation");
	ok(!set_line("vpn0 carrier on", &req) && req.has_carrier &&
		   req.carrier == ESPTUN_CARRIER_ON && !req.has_encap && !req.local.family,
	   "set carrier on alone changes only the carrier mode");
	ok(!set_line("vpn0 local 192.0.2.1 carrier sa", &req) && req.has_carrier &&
		   req.carrier == ESPTUN_CARRIER_SA && req.local.family == AF_INET,
	   "set carrier sa with an address");
	ok(!set_line("vpn0 encap udp 4500 4500 local 192.0.2.1", &req) && req.sport == 4500 &&
		   req.local.family == AF_INET,
	   "encap before local");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(set_line(bad[i].line, &req) == bad[i].ret &&
			   strstr(log_last_error(), bad[i].needle),
		   "set '%s' refused with exit %d, naming %s", bad[i].line, bad[i].ret,
		   bad[i].needle);
}

static void test_sa_add(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *needle;
	} bad[] = {
		{ "vpn0 in spi 0 " GCM, EXIT_ERROR, "bad spi '0'" },
		{ "vpn0 in spi 0x100000000 " GCM, EXIT_ERROR, "spi" },
		{ "vpn0 sideways spi 1 " GCM, EXIT_ERROR, "'sideways'" },
		{ "vpn0 in 0x1000 " GCM, EXIT_USAGE, "expected 'spi'" },
		{ "vpn0 in spi", EXIT_USAGE, "expected DEV in|out spi SPI" },
		{ "vpn0 in spi 0x1000", EXIT_USAGE, "no algorithm" },
		{ "vpn0 in spi 0x1000 " GCM " replay-window 8193", EXIT_ERROR, "replay-window" },
		{ "vpn0 in spi 0x1000 " GCM " replay-window", EXIT_USAGE, "'replay-window' needs" },
		{ "vpn0 out spi 0x1000 " GCM " replay-window 64", EXIT_ERROR, "inbound SAs only" },
		{ "vpn0 out spi 0x1000 " GCM " seq 4294967296", EXIT_ERROR, "needs 'esn'" },
		{ "vpn0 out spi 0x1000 " GCM " seq", EXIT_USAGE, "'seq' needs" },
		{ "vpn0 out spi 0x1000 " GCM " seq -1", EXIT_ERROR, "bad seq" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime", EXIT_USAGE, "'lifetime' needs" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime soft bytes", EXIT_USAGE,
		  "'lifetime' needs" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime medium bytes 1", EXIT_USAGE, "'medium'" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime soft minutes 1", EXIT_USAGE, "'minutes'" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime soft bytes 0", EXIT_ERROR, "lifetime" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime soft bytes 10 hard bytes 10", EXIT_ERROR,
		  "soft bytes lifetime 10 must be below" },
		{ "vpn0 out spi 0x1000 " GCM " lifetime hard seconds 5 soft seconds 6", EXIT_ERROR,
		  "soft seconds" },
		{ "vpn0 out spi 0x1000 " GCM " window 5", EXIT_USAGE, "'window'" },
		{ "vpn0 out spi 0x1000 " GCM " " GCM, EXIT_USAGE, "more than one aead" },
		{ "vpn0 out spi 0x1000 aead rfc4106(gcm(aes)) 0x0102 128", EXIT_ERROR,
		  "bad key length 2 for rfc4106(gcm(aes))" },
	};
	struct sa_request req;
	size_t i;

	ok(!sa_line(sa_add_parse, "vpn0 in spi 0x1000 " GCM, &req) && !strcmp(req.ifname, "vpn0") &&
		   req.dir == ESPTUN_DIR_IN && req.spi == 0x1000 && req.alg.aead &&
		   req.alg.enc_key.len == 20 && req.alg.icv_bits == 128 && !req.esn &&
		   !req.has_replay_window && !req.has_seq,
	   "sa add with an AEAD and nothing else");
	ok(!sa_line(sa_add_parse,
		    "vpn0 in spi 4096 " GCM " replay-window 4096 esn seq 0x1fffffff0 "
		    "lifetime soft bytes 1000 hard bytes 2000 lifetime hard seconds 60",
		    &req) &&
		   req.spi == 4096 && req.has_replay_window && req.replay_window == 4096 &&
		   req.esn && req.has_seq && req.seq == 0x1fffffff0ull &&
		   req.lifetime[ESPTUN_A_LIFETIME_SOFT_BYTES] == 1000 &&
		   req.lifetime[ESPTUN_A_LIFETIME_HARD_BYTES] == 2000 &&
		   req.lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS] == 60 &&
		   !req.lifetime[ESPTUN_A_LIFETIME_SOFT_PACKETS],
	   "sa add with every option");
	ok(!sa_line(sa_add_parse,
		    "vpn0 out spi 1 esn lifetime soft packets 5 hard packets 6 soft seconds 1 "
		    "seq 7 " GCM,
		    &req) &&
		   req.dir == ESPTUN_DIR_OUT && req.esn && req.seq == 7 &&
		   req.lifetime[ESPTUN_A_LIFETIME_SOFT_PACKETS] == 5 &&
		   req.lifetime[ESPTUN_A_LIFETIME_HARD_PACKETS] == 6 &&
		   req.lifetime[ESPTUN_A_LIFETIME_SOFT_SECONDS] == 1,
	   "sa add with options before the algorithm");
	ok(!sa_line(sa_add_parse, "vpn0 in spi 1 " GCM " replay-window 0", &req) &&
		   req.has_replay_window && req.replay_window == 0,
	   "replay-window 0 turns the check off");
	ok(!sa_line(sa_add_parse, "vpn0 out spi 1 " GCM " seq 4294967295", &req) &&
		   req.seq == 4294967295u,
	   "seq 2^32-1 without esn");
	ok(!sa_line(sa_add_parse, "vpn0 out spi 1 " GCM " esn seq 18446744073709551615", &req) &&
		   req.seq == UINT64_MAX,
	   "seq 2^64-1 with esn");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(sa_line(sa_add_parse, bad[i].line, &req) == bad[i].ret &&
			   strstr(log_last_error(), bad[i].needle),
		   "sa add '%s' refused with exit %d, naming %s", bad[i].line, bad[i].ret,
		   bad[i].needle);
	sa_line(sa_add_parse, "vpn0 in spi 1 " GCM, &req);
	sa_request_wipe(&req);
	ok(req.alg.enc_key.len == 0 && req.alg.enc_key.bytes[0] == 0,
	   "sa_request_wipe clears the keys");
}

static void test_sa_add_sel(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *needle;
	} bad[] = {
		{ "vpn0 out spi 1 " GCM " sel", EXIT_USAGE, "'sel' needs both 'src PREFIX'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8", EXIT_USAGE, "'sel' needs" },
		{ "vpn0 out spi 1 " GCM " sel dst 10.0.0.0/8", EXIT_USAGE, "'sel' needs" },
		{ "vpn0 out spi 1 " GCM " sel src", EXIT_USAGE, "'src' needs a value" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst", EXIT_USAGE, "'dst' needs" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.1/24 dst 10.1.0.0/16", EXIT_ERROR,
		  "bad source prefix '10.0.0.1/24': bits set past the prefix length" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/24 dst 10.1.0.0/33", EXIT_ERROR,
		  "bad destination prefix '10.1.0.0/33'" },
		{ "vpn0 out spi 1 " GCM " sel src 2001:db8::/32 dst 2001:db8:1::/129", EXIT_ERROR,
		  "length must be 0 to 128" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/24 dst 2001:db8::/32", EXIT_ERROR,
		  "same family" },
		{ "vpn0 out spi 1 " GCM " sel src ::/0 dst 0.0.0.0/0", EXIT_ERROR, "same family" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 dport 80", EXIT_ERROR,
		  "need proto tcp, udp, sctp or udplite" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto icmp sport 1",
		  EXIT_ERROR, "need proto tcp" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto 50 dport 1",
		  EXIT_ERROR, "need proto tcp" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto tcp dport 0",
		  EXIT_ERROR, "bad destination port '0'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto tcp sport 65536",
		  EXIT_ERROR, "bad source port '65536'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto ftp", EXIT_ERROR,
		  "bad protocol 'ftp'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto 0", EXIT_ERROR,
		  "bad protocol '0'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 proto ipv6-icmp",
		  EXIT_ERROR, "use icmp" },
		{ "vpn0 out spi 1 " GCM " sel src ::/0 dst ::/0 proto icmp", EXIT_ERROR,
		  "use ipv6-icmp" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 sel src 10.0.0.0/8 "
		  "dst 10.2.0.0/16",
		  EXIT_USAGE, "more than one 'sel'" },
		{ "vpn0 out spi 1 " GCM " sel src 10.0.0.0/8 dst 10.1.0.0/16 port 80", EXIT_USAGE,
		  "unexpected argument 'port'" },
		{ "vpn0 out spi 1 " GCM " sel source 10.0.0.0/8", EXIT_USAGE, "'sel' needs" },
	};
	struct sa_request req;
	size_t i;

	ok(!sa_line(sa_add_parse, "vpn0 out spi 1 " GCM, &req) && !req.has_sel,
	   "sa add without sel has no selector");
	ok(!sa_line(sa_add_parse,
		    "vpn0 out spi 1 " GCM " sel src 10.10.0.0/16 dst 10.20.20.0/24 proto tcp "
		    "dport 80",
		    &req) &&
		   req.has_sel && req.sel.src.addr.family == AF_INET && req.sel.src.len == 16 &&
		   req.sel.src.addr.v4.s_addr == htonl(0x0a0a0000) && req.sel.dst.len == 24 &&
		   req.sel.dst.addr.v4.s_addr == htonl(0x0a141400) && req.sel.proto == 6 &&
		   req.sel.dport == 80 && !req.sel.sport,
	   "sa add with sel src, dst, proto and dport");
	ok(!sa_line(sa_add_parse,
		    "vpn0 in spi 2 sel dport 53 proto udp dst 192.168.0.0/24 src 10.20.30.0/24 "
		    "sport 5353 esn " GCM,
		    &req) &&
		   req.has_sel && req.sel.src.len == 24 && req.sel.dst.len == 24 &&
		   req.sel.proto == 17 && req.sel.sport == 5353 && req.sel.dport == 53 && req.esn &&
		   req.alg.aead,
	   "sel's words in any order, before other options and the algorithm");
	ok(sa_line(sa_add_parse, "vpn0 out spi 3 " GCM " sel src 192.0.2.1 dst 2001:db8::1",
		   &req) == EXIT_ERROR &&
		   strstr(log_last_error(), "same family"),
	   "bare addresses of two families refused");
	ok(!sa_line(sa_add_parse, "vpn0 out spi 3 " GCM " sel src 2001:db8::1 dst ::/0 proto 58",
		    &req) &&
		   req.sel.src.addr.family == AF_INET6 && req.sel.src.len == 128 &&
		   req.sel.dst.len == 0 && req.sel.proto == 58,
	   "IPv6 selector: a bare address is /128, ::/0 is any");
	ok(!sa_line(sa_add_parse,
		    "vpn0 out spi 3 " GCM " sel src 0.0.0.0/0 dst 0.0.0.0/0 proto gre", &req) &&
		   req.has_sel && req.sel.proto == 47,
	   "sel 0.0.0.0/0 -> 0.0.0.0/0 proto gre");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(sa_line(sa_add_parse, bad[i].line, &req) == bad[i].ret &&
			   strstr(log_last_error(), bad[i].needle),
		   "sa add '%s' refused with exit %d, naming %s", bad[i].line + 16, bad[i].ret,
		   bad[i].needle);
	ok(sa_line(sa_set_parse, "vpn0 out spi 1 sel src 10.0.0.0/8 dst 10.1.0.0/16", &req) ==
			   EXIT_USAGE &&
		   strstr(log_last_error(), "a selector never changes"),
	   "sa set refuses sel: a selector never changes");
}

static void test_sa_set(void)
{
	struct sa_request req;

	ok(!sa_line(sa_set_parse, "vpn0 in spi 7 lifetime hard seconds 60 soft bytes 1000", &req) &&
		   req.dir == ESPTUN_DIR_IN && req.spi == 7 &&
		   req.lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS] == 60 &&
		   req.lifetime[ESPTUN_A_LIFETIME_SOFT_BYTES] == 1000 &&
		   !req.lifetime[ESPTUN_A_LIFETIME_SOFT_SECONDS],
	   "sa set: the named limits, none for the rest");
	ok(!sa_line(sa_set_parse, "vpn0 out spi 7", &req) &&
		   !req.lifetime[ESPTUN_A_LIFETIME_HARD_SECONDS],
	   "sa set without limits removes them");
	ok(sa_line(sa_set_parse, "vpn0 in spi 7 " GCM, &req) == EXIT_USAGE &&
		   strstr(log_last_error(), "'aead'"),
	   "sa set refuses an algorithm: keys never change");
	ok(sa_line(sa_set_parse, "vpn0 in spi 7 lifetime soft packets 9 hard packets 9", &req) ==
		   EXIT_ERROR,
	   "sa set refuses a soft limit not below the hard one");
	ok(sa_line(sa_set_parse, "vpn0 in spi 7 lifetime hard days 9", &req) == EXIT_USAGE &&
		   strstr(log_last_error(), "'days'"),
	   "sa set names an unknown unit");
}

static void test_sa_del_flush(void)
{
	struct sa_request req;

	ok(!sa_line(sa_del_parse, "vpn0 out spi 0xc0ffee", &req) && req.dir == ESPTUN_DIR_OUT &&
		   req.spi == 0xc0ffee && !strcmp(req.ifname, "vpn0"),
	   "sa del");
	ok(sa_line(sa_del_parse, "vpn0 out spi 0xc0ffee " GCM, &req) == EXIT_USAGE &&
		   strstr(log_last_error(), "'aead'"),
	   "sa del refuses an algorithm");
	ok(sa_line(sa_del_parse, "vpn0 out", &req) == EXIT_USAGE, "sa del without spi refused");
	ok(sa_line(sa_del_parse, "vpn0 out spi 0", &req) == EXIT_ERROR, "sa del spi 0 refused");
	ok(!sa_line(sa_flush_parse, "vpn0", &req) && !strcmp(req.ifname, "vpn0"), "sa flush");
	ok(sa_line(sa_flush_parse, "", &req) == EXIT_USAGE, "sa flush without a device refused");
	ok(sa_line(sa_flush_parse, "vpn0 in", &req) == EXIT_USAGE &&
		   strstr(log_last_error(), "'in'"),
	   "sa flush with extra words refused");
}

void test_request(void)
{
	test_set();
	test_sa_add();
	test_sa_add_sel();
	test_sa_set();
	test_sa_del_flush();
}
