// SPDX-License-Identifier: GPL-2.0
/*
 * esptun show [DEV] and esptun show DEV dump: what the kernel reports about
 * devices and their SAs (never keys: the kernel does not return them).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/esptun.h>

#include "json.h"
#include "kernel.h"
#include "log.h"
#include "parse.h"
#include "reply.h"
#include "request.h"
#include "status.h"
#include "subcommands.h"

const char show_usage[] =
	"Usage: esptun show [DEV]\n"
	"       esptun show DEV dump\n"
	"       esptun -j show [DEV]\n"
	"\n"
	"Show esptun devices (all of them in this network namespace, or DEV) with their\n"
	"endpoints and SAs: algorithm, counters, lifetimes, and, for a device the daemon\n"
	"runs, the NAT it detected, the IKE peer's address and its IKE SAs (cookies,\n"
	"mode, role, state, age, time left) with their ESP SA pairs; each SA's traffic\n"
	"selector (sel), the packets no outbound SA would carry (no-SA drops) and\n"
	"those outside an inbound SA's selector (selector drops). 'dump' prints one\n"
	"kernel SA per line in tab-separated columns for scripts:\n"
	"  device dir spi cipher auth icv-bits esn replay-window seq packets bytes\n"
	"  replay-drops icv-failures other-drops soft-bytes hard-bytes soft-packets\n"
	"  hard-packets soft-seconds hard-seconds add-time last-rx selector-drops\n"
	"  sel-src sel-dst sel-proto sel-sport sel-dport\n"
	"See esptun(8) for their meaning.\n"
	"\n"
	"esptun -j show (or --json) prints the same as one JSON document, also when\n"
	"there are no devices: {\"devices\": [...]}; esptun(8) has its stable schema.\n";

bool json_output;

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* Columns 24 to 28: prefixes always as ADDR/LEN; "-" and 0s for an SA without a selector. */
static void print_sel_columns(const struct sa_info *sa)
{
	char src[PREFIX_TEXT_MAX] = "-", dst[PREFIX_TEXT_MAX] = "-";

	if (sa->has_sel) {
		prefix_format(&sa->sel.src, true, src, sizeof(src));
		prefix_format(&sa->sel.dst, true, dst, sizeof(dst));
	}
	printf("\t%s\t%s\t%u\t%u\t%u", src, dst, sa->sel.proto, sa->sel.sport, sa->sel.dport);
}

static void print_sa_line(const char *ifname, const struct sa_info *sa)
{
	int type;

	printf("%s\t%s\t0x%08x\t%s\t%s\t%u\t%s\t%u\t%" PRIu64, ifname, dir_name(sa->dir), sa->spi,
	       or_dash(sa->aead ? sa->aead : sa->enc), or_dash(sa->auth), sa->icv_bits,
	       sa->flags & ESPTUN_SA_F_ESN ? "on" : "off", sa->replay_window, sa->seq);
	for (type = ESPTUN_A_STATS_PACKETS; type <= ESPTUN_A_STATS_OTHER_DROPS; type++)
		printf("\t%" PRIu64, sa->stats[type]);
	for (type = ESPTUN_A_LIFETIME_SOFT_BYTES; type <= ESPTUN_A_LIFETIME_HARD_SECONDS; type++)
		printf("\t%" PRIu64, sa->lifetime[type]);
	printf("\t%" PRIu64 "\t%" PRIu64, sa->add_time, sa->stats[ESPTUN_A_STATS_LAST_RX]);
	printf("\t%" PRIu64, sa->stats[ESPTUN_A_STATS_SELECTOR_DROPS]);
	print_sel_columns(sa);
	printf("\n");
}

static uint64_t boottime_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	return now.tv_sec;
}

static void print_lifetimes(const struct sa_info *sa)
{
	const char *sep = "";
	int unit, hard;

	printf("  lifetime:");
	for (unit = 0; unit < LIFETIME_UNITS; unit++)
		for (hard = 0; hard <= 1; hard++) {
			uint64_t limit = sa->lifetime[lifetime_attr(unit, hard)];

			if (!limit)
				continue;
			printf("%s %s %" PRIu64 " %s", sep, hard ? "hard" : "soft", limit,
			       lifetime_units[unit]);
			sep = ",";
		}
	printf("%s\n", *sep ? "" : " unlimited");
}

static void print_sa(const struct sa_info *sa)
{
	uint64_t now = boottime_now();

	printf("\nsa: %s spi 0x%08x\n", dir_name(sa->dir), sa->spi);
	if (sa->has_sel) {
		char sel[SELECTOR_TEXT_MAX];

		selector_format(&sa->sel, sel, sizeof(sel));
		printf("  sel: %s\n", sel);
	}
	if (sa->aead)
		printf("  algorithm: %s, icv %u bits\n", sa->aead, sa->icv_bits);
	else
		printf("  algorithm: %s %s, icv %u bits\n", or_dash(sa->enc), or_dash(sa->auth),
		       sa->icv_bits);
	printf("  esn: %s\n", sa->flags & ESPTUN_SA_F_ESN ? "on" : "off");
	if (sa->dir == ESPTUN_DIR_IN)
		printf("  replay window: %u packets\n", sa->replay_window);
	printf("  %s: %" PRIu64 "\n",
	       sa->dir == ESPTUN_DIR_IN ? "highest sequence number" : "last sequence number",
	       sa->seq);
	printf("  transfer: %" PRIu64 " packets, %" PRIu64 " bytes\n",
	       sa->stats[ESPTUN_A_STATS_PACKETS], sa->stats[ESPTUN_A_STATS_BYTES]);
	printf("  drops: %" PRIu64 " replay, %" PRIu64 " icv-fail, %" PRIu64 " other, %" PRIu64
	       " selector\n",
	       sa->stats[ESPTUN_A_STATS_REPLAY_DROPS], sa->stats[ESPTUN_A_STATS_ICV_FAILURES],
	       sa->stats[ESPTUN_A_STATS_OTHER_DROPS], sa->stats[ESPTUN_A_STATS_SELECTOR_DROPS]);
	print_lifetimes(sa);
	if (sa->add_time && sa->add_time <= now)
		printf("  added: %" PRIu64 " seconds ago\n", now - sa->add_time);
	if (sa->dir == ESPTUN_DIR_IN && sa->stats[ESPTUN_A_STATS_LAST_RX] &&
	    sa->stats[ESPTUN_A_STATS_LAST_RX] <= now)
		printf("  last received: %" PRIu64 " seconds ago\n",
		       now - sa->stats[ESPTUN_A_STATS_LAST_RX]);
	if (sa->dir == ESPTUN_DIR_OUT && sa->stats[ESPTUN_A_STATS_LAST_MS] &&
	    sa->stats[ESPTUN_A_STATS_LAST_MS] / 1000 <= now)
		printf("  last sent: %" PRIu64 " seconds ago\n",
		       now - sa->stats[ESPTUN_A_STATS_LAST_MS] / 1000);
}

static void print_address(const char *label, const struct nlattr *attr)
{
	char text[INET6_ADDRSTRLEN];
	int len = nla_len(attr);

	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, nla_data(attr), text, sizeof(text)))
		snprintf(text, sizeof(text), "(malformed)");
	printf("  %s: %s\n", label, text);
}

/* Seconds on CLOCK_BOOTTIME: the daemon's clock for the times in its status (ike/report.h). */
static unsigned long long daemon_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	return (unsigned long long)now.tv_sec;
}

static unsigned long long left(unsigned long long at, unsigned long long now)
{
	return at > now ? at - now : 0;
}

/* "ike-sa ..." of the status file (ike/report.h); false when it is not one. */
static bool print_ike_sa(const char *line, unsigned long long now)
{
	struct status_ike_sa sa;
	char *p;

	if (!status_parse_ike_sa(line, &sa))
		return false;
	/* "mm3-sent" is the MM3 sent of the log. */
	for (p = sa.state; *p && *p != '-'; p++)
		*p = (char)toupper((unsigned char)*p);
	if (*p == '-')
		*p = ' ';
	else
		for (p = sa.state; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	printf("\n  ike sa: i-spi %s r-spi %s\n", sa.icookie, sa.rcookie);
	printf("    %s mode, %s, %s, peer %s\n", sa.mode, sa.role, sa.state, sa.peer);
	if (sa.established)
		printf("    age %llu s, lifetime %u s, %llu s left\n", now - sa.established,
		       sa.life, left(sa.expires, now));
	return true;
}

/* "child-sa ..." of the status file; false when it is not one. */
static bool print_child_sa(const char *line, unsigned long long now)
{
	struct status_child_sa child;

	if (!status_parse_child_sa(line, &child))
		return false;
	printf("    esp sa: spi in 0x%08x out 0x%08x%s", child.spi_in, child.spi_out,
	       child.active ? " (active)" : "");
	if (child.expires)
		printf(", %llu s left", left(child.expires, now));
	printf("\n");
	/* The sub-tunnel, as Cisco's show crypto ipsec sa gives local and remote ident. */
	if (*child.sel)
		printf("      sel %s\n", child.sel);
	return true;
}

/* The daemon's view (NAT, IKE peer, problem, IKE SAs), when a daemon runs the device. */
static void print_status(const char *ifname)
{
	char text[STATUS_MAX], *line, *save = NULL;
	unsigned long long now = daemon_now();

	if (status_read(ifname, text, sizeof(text)))
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!print_ike_sa(line, now) && !print_child_sa(line, now))
			printf("  %s\n", line);
}

static void print_device(struct nlattr **attrs)
{
	printf("device: %s\n", nla_get_string(attrs[ESPTUN_A_IFNAME]));
	if (attrs[ESPTUN_A_LOCAL])
		print_address("local", attrs[ESPTUN_A_LOCAL]);
	if (attrs[ESPTUN_A_REMOTE])
		print_address("remote", attrs[ESPTUN_A_REMOTE]);
	if (attrs[ESPTUN_A_ENCAP] && nla_get_u8(attrs[ESPTUN_A_ENCAP]) == ESPTUN_ENCAP_UDP)
		printf("  encap: udp, source port %u, destination port %u\n",
		       attrs[ESPTUN_A_SPORT] ? nla_get_u16(attrs[ESPTUN_A_SPORT]) : 0,
		       attrs[ESPTUN_A_DPORT] ? nla_get_u16(attrs[ESPTUN_A_DPORT]) : 0);
	else
		printf("  encap: none\n");
	if (attrs[ESPTUN_A_CARRIER])
		printf("  carrier: %s\n", nla_get_u8(attrs[ESPTUN_A_CARRIER]) == ESPTUN_CARRIER_ON
						  ? "always on"
						  : "on while an outbound SA is usable");
	if (attrs[ESPTUN_A_DEV_NO_SA_DROPS])
		printf("  no-SA drops: %" PRIu64 "\n",
		       (uint64_t)nla_get_u64(attrs[ESPTUN_A_DEV_NO_SA_DROPS]));
	print_status(nla_get_string(attrs[ESPTUN_A_IFNAME]));
}

int show_reply(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	struct show_state *state = arg;
	struct nlattr *nest;
	struct sa_info sa;
	int rem, ret = 0;

	(void)cmd;
	if (!attrs[ESPTUN_A_IFNAME]) {
		log_error("kernel reply without a device name");
		return EXIT_ERROR;
	}
	if (!state->dump) {
		if (state->devices++)
			printf("\n");
		print_device(attrs);
	}
	if (!attrs[ESPTUN_A_SAS])
		return 0;
	nla_for_each_nested(nest, attrs[ESPTUN_A_SAS], rem) {
		if (nla_type(nest) != ESPTUN_A_SA)
			continue;
		ret = sa_info_parse(nest, &sa);
		if (ret)
			break;
		if (state->dump)
			print_sa_line(nla_get_string(attrs[ESPTUN_A_IFNAME]), &sa);
		else
			print_sa(&sa);
	}
	return ret;
}

static int fill_show(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const char *ifname = arg;

	(void)cmd;
	return ifname ? nla_put_string(msg, ESPTUN_A_IFNAME, ifname) : 0;
}

/* GET_DEVICE of IFNAME (NULL: all devices), as JSON when json_output. */
static int show_devices(const char *ifname, struct show_state *state)
{
	struct json json;
	int ret;

	if (!json_output)
		return kernel_execute(ESPTUN_CMD_GET_DEVICE, !ifname, fill_show, ifname, show_reply,
				      state);
	json_init(&json, stdout);
	state->json = &json;
	json_object_begin(&json, NULL);
	json_array_begin(&json, "devices");
	ret = kernel_execute(ESPTUN_CMD_GET_DEVICE, !ifname, fill_show, ifname, show_json_reply,
			     state);
	/* A failure is on stderr and in the exit code; stdout stays one valid document. */
	json_array_end(&json);
	json_object_end(&json);
	return ret;
}

int show_main(int argc, char **argv)
{
	struct show_state state = { 0 };
	char ifname[IFNAMSIZ];
	int ret;

	if (argc == 1)
		return show_devices(NULL, &state);
	if (argc > 3)
		return unknown_word(argv[3]);
	if (argc == 3 && strcmp(argv[2], "dump"))
		return unknown_word(argv[2]);
	if (argc == 3 && json_output)
		return unknown_word("-j");
	ret = parse_ifname(argv[1], ifname);
	if (ret)
		return ret;
	state.dump = argc == 3;
	return show_devices(ifname, &state);
}
