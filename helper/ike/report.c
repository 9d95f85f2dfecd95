// SPDX-License-Identifier: GPL-2.0
/*
 * IKE and ESP SAs as status-file lines for esptun show (report.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static const char *const state_names[] = {
	[MM_I_MM1_SENT] = "mm1-sent", [MM_I_MM3_SENT] = "mm3-sent",
	[MM_I_MM5_SENT] = "mm5-sent", [MM_R_MM2_SENT] = "mm2-sent",
	[MM_R_MM4_SENT] = "mm4-sent", [AM_I_AM1_SENT] = "am1-sent",
	[AM_R_AM2_SENT] = "am2-sent", [MM_ESTABLISHED] = "established",
	[MM_DEAD] = "dead",
};

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

static void hex8(const uint8_t *b, char *out)
{
	for (int i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

size_t ike_report(const struct ike_ctx *ctx, const struct tunnel_cfg *cfg, char *buf, size_t len)
{
	const struct ike_sa *sa;
	const struct quick_mode *qm;
	char sel[160];
	size_t off = len ? strlen(buf) : 0;
	char icookie[17], rcookie[17], peer[64];

	for_each_tunnel_sa(sa, ctx, cfg) {
		bool up = sa->state == MM_ESTABLISHED;

		hex8(sa->icookie, icookie);
		hex8(sa->rcookie, rcookie);
		ike_addr_str(&sa->peer, peer, sizeof(peer));
		append(buf, len, &off, "ike-sa %s %s %s %s %s %s %llu %u %llu\n", icookie, rcookie,
		       sa->aggressive ? "aggressive" : "main",
		       sa->initiator ? "initiator" : "responder", state_names[sa->state], peer,
		       up ? (unsigned long long)sa->established_ms / 1000 : 0ULL, sa->life_s,
		       up ? (unsigned long long)sa->expire_ms / 1000 : 0ULL);
		for (qm = sa->qms; qm; qm = qm->next) {
			if (!qm->installed)
				continue;
			sel[0] = 0;
			if (!qm->sel.any)
				ts_sel_str(&qm->sel, sel, sizeof(sel));
			append(buf, len, &off, "child-sa %08x %08x %llu %s%s%s\n", qm->spi_in,
			       qm->spi_out, (unsigned long long)qm->hard_ms / 1000,
			       qm->out_active ? "active" : "standby", *sel ? " " : "", sel);
		}
	}
	return off;
}
