// SPDX-License-Identifier: GPL-2.0
/*
 * esptun monitor: print esptun.ko's events (lifetime expiry, sequence
 * number exhaustion, acquire, a peer that moved behind its NAT) as they
 * happen, one line each.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "kernel.h"
#include "log.h"
#include "parse.h"
#include "reply.h"
#include "subcommands.h"

const char monitor_usage[] =
	"Usage: esptun monitor\n"
	"\n"
	"Print the events of the esptun devices in this network namespace as they\n"
	"happen, one line each, until interrupted:\n"
	"  soft-expire DEV in|out spi SPI     a soft lifetime limit was reached\n"
	"  hard-expire DEV in|out spi SPI     a hard limit was reached; the SA is gone\n"
	"  seq-exhausted DEV out spi SPI      the SA is about to run out of sequence numbers\n"
	"  acquire DEV [sel SRC -> DST [proto P] [sport N] [dport N]]\n"
	"                                     a packet no outbound SA carries was\n"
	"                                     dropped (the packet's addresses, protocol\n"
	"                                     and ports)\n"
	"  remote-changed DEV in spi SPI to ADDR port PORT\n"
	"                                     the peer's NAT mapping moved; the device\n"
	"                                     follows it\n";

static const char *const event_names[] = {
	[ESPTUN_CMD_EVENT_SOFT_EXPIRE] = "soft-expire",
	[ESPTUN_CMD_EVENT_HARD_EXPIRE] = "hard-expire",
	[ESPTUN_CMD_EVENT_SEQ_EXHAUSTED] = "seq-exhausted",
	[ESPTUN_CMD_EVENT_ACQUIRE] = "acquire",
	[ESPTUN_CMD_EVENT_REMOTE_CHANGED] = "remote-changed",
};

static void print_remote(const struct nlattr *addr, const struct nlattr *port)
{
	char text[INET6_ADDRSTRLEN];
	int len = nla_len(addr);

	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, nla_data(addr), text, sizeof(text)))
		snprintf(text, sizeof(text), "(malformed)");
	printf(" to %s port %u", text, port ? nla_get_u16(port) : 0);
}

/* The packet an ACQUIRE is about, as "sel SRC -> DST [proto P] [sport N] [dport N]". */
static void print_selector(struct nlattr *nest)
{
	char text[SELECTOR_TEXT_MAX];
	struct selector sel;

	if (selector_parse(nest, &sel))
		printf(" sel (malformed)");
	else {
		selector_format(&sel, text, sizeof(text));
		printf(" sel %s", text);
	}
}

int monitor_event(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	const char *ifname = attrs[ESPTUN_A_IFNAME] ? nla_get_string(attrs[ESPTUN_A_IFNAME]) : "?";
	struct sa_info sa;

	(void)arg;
	/* A command this helper does not know is a newer module's event: show it, do not stop. */
	if (cmd < sizeof(event_names) / sizeof(event_names[0]) && event_names[cmd])
		printf("%s %s", event_names[cmd], ifname);
	else
		printf("event-%u %s", cmd, ifname);
	if (attrs[ESPTUN_A_SA] && !sa_info_parse(attrs[ESPTUN_A_SA], &sa))
		printf(" %s spi 0x%08x", dir_name(sa.dir), sa.spi);
	if (attrs[ESPTUN_A_REMOTE])
		print_remote(attrs[ESPTUN_A_REMOTE], attrs[ESPTUN_A_DPORT]);
	if (attrs[ESPTUN_A_SELECTOR])
		print_selector(attrs[ESPTUN_A_SELECTOR]);
	printf("\n");
	/* Each event as it comes, also when stdout is a pipe to a script. */
	fflush(stdout);
	return 0;
}

int monitor_main(int argc, char **argv)
{
	if (argc > 1)
		return unknown_word(argv[1]);
	return kernel_monitor(monitor_event, NULL);
}
