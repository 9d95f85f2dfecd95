// SPDX-License-Identifier: GPL-2.0
/*
 * Negotiation log lines, in the order engineers read a capture: message
 * name, direction, peer, cookies, message ID, payload list. Never keys.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "../log.h"
#include "ike_sa.h"

bool ike_log_quiet;

/* A timestamped line; in the journal, its priority instead (log.h). */
static void vlog(int priority, const char *fmt, va_list ap)
{
	struct timespec ts;
	struct tm tm;

	if (ike_log_quiet)
		return;
	if (log_to_journal()) {
		fprintf(stderr, "<%d>", priority);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			ts.tv_nsec / 1000000);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ike_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void ike_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void ike_addr_str(const struct sockaddr_storage *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)a;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(s->sin_port));
	} else if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)a;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
}

void ike_log_msg(const char *name, bool out, const struct sockaddr_storage *peer,
		 const struct isakmp_msg *m)
{
	char addr[64], list[ISAKMP_MAX_PAYLOADS * 7 + 1] = "";
	size_t i, off = 0;

	ike_addr_str(peer, addr, sizeof(addr));
	for (i = 0; i < m->n && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? " " : "",
					isakmp_payload_name(m->p[i].type));
	ike_log("%s %s %s I-SPI %02x%02x%02x%02x%02x%02x%02x%02x "
		"R-SPI %02x%02x%02x%02x%02x%02x%02x%02x M-ID %08x [%s]",
		name, out ? "->" : "<-", addr, m->icookie[0], m->icookie[1], m->icookie[2],
		m->icookie[3], m->icookie[4], m->icookie[5], m->icookie[6], m->icookie[7],
		m->rcookie[0], m->rcookie[1], m->rcookie[2], m->rcookie[3], m->rcookie[4],
		m->rcookie[5], m->rcookie[6], m->rcookie[7], m->msgid, list);
}

void ike_log_built(const char *name, const struct sockaddr_storage *peer,
		   const struct isakmp_builder *b)
{
	struct isakmp_msg m;

	if (isakmp_parse_header(&m, b->buf, b->len) == 0)
		isakmp_parse_payloads(&m, m.np, m.body, m.body_len);
	ike_log_msg(name, true, peer, &m);
}
