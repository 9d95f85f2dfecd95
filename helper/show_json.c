// SPDX-License-Identifier: GPL-2.0
/*
 * esptun -j show [DEV]: what esptun show prints, as one JSON document for
 * scripts and monitoring (schema in esptun(8), stable). Never keys: the
 * kernel does not return them, and the status file has none.
 */
#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include <linux/esptun.h>

#include "json.h"
#include "log.h"
#include "reply.h"
#include "status.h"
#include "subcommands.h"

/* Seconds on CLOCK_BOOTTIME: the kernel's and the daemon's clock for the times they report. */
static unsigned long long boottime(void)
{
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	return (unsigned long long)now.tv_sec;
}

static unsigned long long since(unsigned long long then, unsigned long long now)
{
	return then && then <= now ? now - then : 0;
}

static unsigned long long until(unsigned long long at, unsigned long long now)
{
	return at > now ? at - now : 0;
}

static void address(struct json *j, const char *key, const struct nlattr *attr)
{
	char text[INET6_ADDRSTRLEN];
	int len = nla_len(attr);

	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, nla_data(attr), text, sizeof(text)))
		snprintf(text, sizeof(text), "(malformed)");
	json_string(j, key, text);
}

static void selector(struct json *j, const struct selector *sel)
{
	char text[PREFIX_TEXT_MAX];

	json_object_begin(j, "selector");
	prefix_format(&sel->src, true, text, sizeof(text));
	json_string(j, "src", text);
	prefix_format(&sel->dst, true, text, sizeof(text));
	json_string(j, "dst", text);
	json_u64(j, "proto", sel->proto);
	json_u64(j, "sport", sel->sport);
	json_u64(j, "dport", sel->dport);
	json_object_end(j);
}

static const char *const stats_keys[] = {
	[ESPTUN_A_STATS_PACKETS] = "packets",
	[ESPTUN_A_STATS_BYTES] = "bytes",
	[ESPTUN_A_STATS_REPLAY_DROPS] = "replay_drops",
	[ESPTUN_A_STATS_ICV_FAILURES] = "icv_failures",
	[ESPTUN_A_STATS_OTHER_DROPS] = "other_drops",
	[ESPTUN_A_STATS_SELECTOR_DROPS] = "selector_drops",
};

static void kernel_sa(struct json *j, const struct sa_info *sa)
{
	unsigned long long now = boottime();
	int unit, hard;
	size_t i;

	json_object_begin(j, NULL);
	json_string(j, "direction", dir_name(sa->dir));
	json_u64(j, "spi", sa->spi);
	if (sa->aead)
		json_string(j, "aead", sa->aead);
	if (sa->enc)
		json_string(j, "cipher", sa->enc);
	if (sa->auth)
		json_string(j, "auth", sa->auth);
	json_u64(j, "icv_bits", sa->icv_bits);
	json_bool(j, "esn", sa->flags & ESPTUN_SA_F_ESN);
	json_u64(j, "replay_window", sa->replay_window);
	json_u64(j, "seq", sa->seq);
	for (i = 0; i < sizeof(stats_keys) / sizeof(stats_keys[0]); i++)
		if (stats_keys[i])
			json_u64(j, stats_keys[i], sa->stats[i]);
	/* 0 is no limit, as in the uapi. */
	json_object_begin(j, "lifetime");
	for (unit = 0; unit < LIFETIME_UNITS; unit++)
		for (hard = 0; hard <= 1; hard++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_%s", hard ? "hard" : "soft",
				 lifetime_units[unit]);
			json_u64(j, key, sa->lifetime[lifetime_attr(unit, hard)]);
		}
	json_object_end(j);
	json_u64(j, "age_seconds", since(sa->add_time, now));
	if (sa->dir == ESPTUN_DIR_IN && sa->stats[ESPTUN_A_STATS_LAST_RX])
		json_u64(j, "last_rx_seconds_ago", since(sa->stats[ESPTUN_A_STATS_LAST_RX], now));
	if (sa->dir == ESPTUN_DIR_OUT && sa->stats[ESPTUN_A_STATS_LAST_MS])
		json_u64(j, "last_tx_seconds_ago",
			 since(sa->stats[ESPTUN_A_STATS_LAST_MS] / 1000, now));
	if (sa->has_sel)
		selector(j, &sa->sel);
	json_object_end(j);
}

static void ike_sa(struct json *j, const struct status_ike_sa *sa, unsigned long long now)
{
	json_string(j, "initiator_spi", sa->icookie);
	json_string(j, "responder_spi", sa->rcookie);
	json_string(j, "mode", sa->mode);
	json_string(j, "role", sa->role);
	json_string(j, "state", sa->state);
	json_string(j, "peer", sa->peer);
	if (sa->established) {
		json_u64(j, "age_seconds", since(sa->established, now));
		json_u64(j, "lifetime_seconds", sa->life);
		json_u64(j, "seconds_left", until(sa->expires, now));
	}
}

static void child_sa(struct json *j, const struct status_child_sa *child, unsigned long long now)
{
	json_object_begin(j, NULL);
	json_u64(j, "spi_in", child->spi_in);
	json_u64(j, "spi_out", child->spi_out);
	json_bool(j, "active", child->active);
	if (child->expires)
		json_u64(j, "seconds_left", until(child->expires, now));
	if (*child->sel)
		json_string(j, "selector", child->sel);
	json_object_end(j);
}

/* VALUE when LINE is "LABEL: VALUE", else NULL. */
static const char *labelled(const char *line, const char *label)
{
	size_t len = strlen(label);

	return !strncmp(line, label, len) && !strncmp(line + len, ": ", 2) ? line + len + 2 : NULL;
}

/*
 * The daemon's status file as "daemon": {...}, when a daemon runs the
 * device; its child-sa lines follow the ike-sa line they belong to.
 */
static void daemon_status(struct json *j, const char *ifname)
{
	char text[STATUS_MAX], *line, *save = NULL;
	unsigned long long now = boottime();
	struct status_child_sa child;
	struct status_ike_sa sa;
	const char *nat = NULL, *peer = NULL, *problem = NULL;
	bool down = false, in_ike_sa = false;

	if (status_read(ifname, text, sizeof(text)))
		return;
	json_object_begin(j, "daemon");
	json_array_begin(j, "ike_sas");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (status_parse_ike_sa(line, &sa)) {
			if (in_ike_sa) {
				json_array_end(j);
				json_object_end(j);
			}
			json_object_begin(j, NULL);
			ike_sa(j, &sa, now);
			json_array_begin(j, "esp_sas");
			in_ike_sa = true;
		} else if (in_ike_sa && status_parse_child_sa(line, &child)) {
			child_sa(j, &child, now);
		} else if (!strcmp(line, "admin: down")) {
			down = true;
		} else {
			nat = labelled(line, "nat") ?: nat;
			peer = labelled(line, "ike peer") ?: peer;
			problem = labelled(line, "problem") ?: problem;
		}
	}
	if (in_ike_sa) {
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_bool(j, "admin_down", down);
	/* The lines stay in TEXT: strtok_r only cut them apart. */
	if (nat)
		json_string(j, "nat", nat);
	if (peer)
		json_string(j, "ike_peer", peer);
	if (problem)
		json_string(j, "problem", problem);
	json_object_end(j);
}

int show_json_reply(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	struct show_state *state = arg;
	struct json *j = state->json;
	const char *ifname;
	struct nlattr *nest;
	struct sa_info sa;
	int rem, ret = 0;

	(void)cmd;
	if (!attrs[ESPTUN_A_IFNAME]) {
		log_error("kernel reply without a device name");
		return EXIT_ERROR;
	}
	ifname = nla_get_string(attrs[ESPTUN_A_IFNAME]);
	json_object_begin(j, NULL);
	json_string(j, "name", ifname);
	if (attrs[ESPTUN_A_LOCAL])
		address(j, "local", attrs[ESPTUN_A_LOCAL]);
	if (attrs[ESPTUN_A_REMOTE])
		address(j, "remote", attrs[ESPTUN_A_REMOTE]);
	if (attrs[ESPTUN_A_ENCAP] && nla_get_u8(attrs[ESPTUN_A_ENCAP]) == ESPTUN_ENCAP_UDP) {
		json_string(j, "encap", "udp");
		json_u64(j, "sport",
			 attrs[ESPTUN_A_SPORT] ? nla_get_u16(attrs[ESPTUN_A_SPORT]) : 0);
		json_u64(j, "dport",
			 attrs[ESPTUN_A_DPORT] ? nla_get_u16(attrs[ESPTUN_A_DPORT]) : 0);
	} else {
		json_string(j, "encap", "none");
	}
	if (attrs[ESPTUN_A_CARRIER])
		json_string(j, "carrier",
			    nla_get_u8(attrs[ESPTUN_A_CARRIER]) == ESPTUN_CARRIER_ON ? "on"
										     : "auto");
	if (attrs[ESPTUN_A_DEV_NO_SA_DROPS])
		json_u64(j, "no_sa_drops", nla_get_u64(attrs[ESPTUN_A_DEV_NO_SA_DROPS]));
	json_array_begin(j, "sas");
	if (attrs[ESPTUN_A_SAS])
		nla_for_each_nested(nest, attrs[ESPTUN_A_SAS], rem) {
			if (nla_type(nest) != ESPTUN_A_SA)
				continue;
			ret = sa_info_parse(nest, &sa);
			if (ret)
				break;
			kernel_sa(j, &sa);
		}
	json_array_end(j);
	daemon_status(j, ifname);
	json_object_end(j);
	return ret;
}
