// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors: the ID payloads of Quick Mode (RFC 2409 5.5, with the
 * types of RFC 2407 4.6.2). We offer local-ts and remote-ts; as responder
 * we take the peer's pair when each lies within ours, and as initiator we
 * take a reply that narrows ours but never one that widens it.
 *
 * The pair agreed goes on both SAs, and the kernel enforces it (RFC 4301
 * 5.2): routes choose what enters the device, the selector what an SA may
 * carry. 0.0.0.0/0 <-> 0.0.0.0/0 (::/0) gets no selector: a route-based
 * tunnel stays what it was. The kernel matches prefixes, so a range that
 * is no single prefix is refused rather than widened to the covering one.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "ike_sa.h"

/* An ID payload body as the range of addresses it names. */
struct ts_range {
	int family;
	size_t alen; /* 4 or 16 */
	uint8_t lo[16], hi[16];
};

/* The subnet ADDR/PREFIX of ALEN bytes as a range. */
static void subnet_range(const uint8_t *addr, const uint8_t *mask, size_t alen, struct ts_range *r)
{
	for (size_t i = 0; i < alen; i++) {
		r->lo[i] = addr[i] & mask[i];
		r->hi[i] = addr[i] | (uint8_t)~mask[i];
	}
}

static void prefix_mask(unsigned int prefix, size_t alen, uint8_t *mask)
{
	for (size_t i = 0; i<alen; i++, prefix = prefix> 8 ? prefix - 8 : 0)
		mask[i] = prefix >= 8 ? 0xff : (uint8_t)(0xff00 >> prefix);
}

/* Parse the body of a peer's ID payload (type, protocol, port, data). 0 or -1. */
static int id_range(const uint8_t *id, size_t len, struct ts_range *r)
{
	const uint8_t *d = id + 4;
	size_t dlen = len - 4;

	if (len < 4)
		return -1;
	switch (id[0]) {
	case ID_IPV4_ADDR:
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV4_ADDR_RANGE:
		r->family = AF_INET;
		r->alen = 4;
		break;
	case ID_IPV6_ADDR:
	case ID_IPV6_ADDR_SUBNET:
	case ID_IPV6_ADDR_RANGE:
		r->family = AF_INET6;
		r->alen = 16;
		break;
	default:
		return -1;
	}
	if (id[0] == ID_IPV4_ADDR || id[0] == ID_IPV6_ADDR) {
		if (dlen != r->alen)
			return -1;
		memcpy(r->lo, d, r->alen);
		memcpy(r->hi, d, r->alen);
		return 0;
	}
	if (dlen != 2 * r->alen)
		return -1;
	if (id[0] == ID_IPV4_ADDR_SUBNET || id[0] == ID_IPV6_ADDR_SUBNET) {
		subnet_range(d, d + r->alen, r->alen, r);
		return 0;
	}
	memcpy(r->lo, d, r->alen);
	memcpy(r->hi, d + r->alen, r->alen);
	return memcmp(r->lo, r->hi, r->alen) > 0 ? -1 : 0;
}

/* TS as a range; unset, any address of FAMILY. */
static void ts_range_of(const struct traffic_sel *ts, int family, struct ts_range *r)
{
	uint8_t mask[16];

	r->family = ts->family ? ts->family : family;
	r->alen = r->family == AF_INET ? 4 : 16;
	prefix_mask(ts->family ? ts->prefix : 0, r->alen, mask);
	subnet_range(ts->addr, mask, r->alen, r);
}

size_t ts_id(const struct traffic_sel *ts, int family, uint8_t *out)
{
	struct ts_range r;
	size_t alen;

	ts_range_of(ts, family, &r);
	alen = r.alen;
	out[0] = r.family == AF_INET ? ID_IPV4_ADDR_SUBNET : ID_IPV6_ADDR_SUBNET;
	out[1] = ts->proto;
	out[2] = (uint8_t)(ts->port >> 8);
	out[3] = (uint8_t)ts->port;
	memcpy(out + 4, r.lo, alen);
	prefix_mask(ts->family ? ts->prefix : 0, alen, out + 4 + alen);
	return 4 + 2 * alen;
}

size_t ts_host_id(int family, const uint8_t *addr, uint8_t *out)
{
	size_t alen = family == AF_INET ? 4 : 16;

	memset(out, 0, 4);
	out[0] = family == AF_INET ? ID_IPV4_ADDR : ID_IPV6_ADDR;
	memcpy(out + 4, addr, alen);
	return 4 + alen;
}

bool ts_within(const uint8_t *id, size_t len, const struct traffic_sel *ts)
{
	struct ts_range in, of;

	/* Unset: route-based, anything goes, as 0.0.0.0/0 or ::/0 would. */
	if (!ts->family)
		return true;
	if (id_range(id, len, &in))
		return false;
	/* Ours names a protocol or port: the peer's must name the same (narrower is none). */
	if ((ts->proto && id[1] != ts->proto) ||
	    (ts->port && (uint16_t)(id[2] << 8 | id[3]) != ts->port))
		return false;
	ts_range_of(ts, ts->family, &of);
	return in.family == of.family && memcmp(in.lo, of.lo, in.alen) >= 0 &&
	       memcmp(in.hi, of.hi, in.alen) <= 0;
}

/* The prefix length when R is exactly one subnet, as strongSwan logs it; -1 if not. */
static int range_prefix(const struct ts_range *r)
{
	size_t bit, n = r->alen * 8;

	for (bit = 0; bit < n; bit++) {
		uint8_t m = (uint8_t)(0x80 >> (bit % 8));

		if ((r->lo[bit / 8] & m) != (r->hi[bit / 8] & m))
			break;
	}
	for (size_t b = bit; b < n; b++) {
		uint8_t m = (uint8_t)(0x80 >> (b % 8));

		if ((r->lo[b / 8] & m) || !(r->hi[b / 8] & m))
			return -1;
	}
	return (int)bit;
}

/* "[udp/53]", "[gre]", "[112]": what narrows one side beyond its prefix; empty when nothing. */
static void proto_port_str(uint8_t proto, uint16_t port, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPPROTO_ICMP] = "icmp",	[IPPROTO_TCP] = "tcp",
		[IPPROTO_UDP] = "udp",		[IPPROTO_GRE] = "gre",
		[IPPROTO_ICMPV6] = "ipv6-icmp", [IPPROTO_SCTP] = "sctp",
		[IPPROTO_UDPLITE] = "udplite"
	};
	char p[8];

	*buf = 0;
	if (!proto)
		return;
	if (proto < sizeof(names) / sizeof(names[0]) && names[proto])
		snprintf(p, sizeof(p), "%s", names[proto]);
	else
		snprintf(p, sizeof(p), "%u", proto);
	if (port)
		snprintf(buf, len, "[%s/%u]", p, port);
	else
		snprintf(buf, len, "[%s]", p);
}

void ts_str(const uint8_t *id, size_t len, char *buf, size_t buflen)
{
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN], pp[24];
	struct ts_range r;

	if (id_range(id, len, &r)) {
		snprintf(buf, buflen, "(ID type %u)", len ? id[0] : 0);
		return;
	}
	inet_ntop(r.family, r.lo, lo, sizeof(lo));
	inet_ntop(r.family, r.hi, hi, sizeof(hi));
	proto_port_str(id[1], (uint16_t)(id[2] << 8 | id[3]), pp, sizeof(pp));
	if (!memcmp(r.lo, r.hi, r.alen))
		snprintf(buf, buflen, "%s%s", lo, pp);
	else if (range_prefix(&r) >= 0)
		snprintf(buf, buflen, "%s/%d%s", lo, range_prefix(&r), pp);
	else
		snprintf(buf, buflen, "%s-%s%s", lo, hi, pp);
}

/* The protocols whose packets have ports: the kernel takes a port only with one of them. */
static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

int ts_agreed(const uint8_t *idci, size_t ci_len, const uint8_t *idcr, size_t cr_len,
	      bool initiator, struct child_sel *out, char *why, size_t why_len)
{
	struct ts_range ci, cr;
	int ci_prefix, cr_prefix;
	uint16_t ci_port, cr_port;

	memset(out, 0, sizeof(*out));
	if (id_range(idci, ci_len, &ci) || id_range(idcr, cr_len, &cr) || ci.family != cr.family) {
		snprintf(why, why_len, "not two addresses of one family");
		return -1;
	}
	ci_prefix = range_prefix(&ci);
	cr_prefix = range_prefix(&cr);
	if (ci_prefix < 0 || cr_prefix < 0) {
		snprintf(why, why_len,
			 "an address range that is no single prefix (the kernel matches "
			 "prefixes; the covering one would widen it)");
		return -1;
	}
	/*
	 * A packet must match both IDs: a protocol named on one side holds for
	 * the pair, two different ones leave nothing.
	 */
	if (idci[1] && idcr[1] && idci[1] != idcr[1]) {
		snprintf(why, why_len, "protocols %u and %u: no packet has both", idci[1], idcr[1]);
		return -1;
	}
	out->proto = idci[1] ? idci[1] : idcr[1];
	ci_port = (uint16_t)(idci[2] << 8 | idci[3]);
	cr_port = (uint16_t)(idcr[2] << 8 | idcr[3]);
	if ((ci_port || cr_port) && !has_ports(out->proto)) {
		snprintf(why, why_len, "a port with protocol %u, which has none", out->proto);
		return -1;
	}
	out->family = ci.family;
	memcpy(initiator ? out->local : out->remote, ci.lo, ci.alen);
	memcpy(initiator ? out->remote : out->local, cr.lo, cr.alen);
	out->local_len = (uint8_t)(initiator ? ci_prefix : cr_prefix);
	out->remote_len = (uint8_t)(initiator ? cr_prefix : ci_prefix);
	out->local_port = initiator ? ci_port : cr_port;
	out->remote_port = initiator ? cr_port : ci_port;
	out->any = !ci_prefix && !cr_prefix && !out->proto;
	return 0;
}

bool ts_sel_equal(const struct child_sel *a, const struct child_sel *b)
{
	size_t alen = a->family == AF_INET ? 4 : 16;

	if (a->any || b->any)
		return a->any == b->any;
	return a->family == b->family && a->local_len == b->local_len &&
	       a->remote_len == b->remote_len && a->proto == b->proto &&
	       a->local_port == b->local_port && a->remote_port == b->remote_port &&
	       !memcmp(a->local, b->local, alen) && !memcmp(a->remote, b->remote, alen);
}

void ts_sel_str(const struct child_sel *s, char *buf, size_t len)
{
	/* Never left unset: a pair that was not agreed still logs something. */
	char l[INET6_ADDRSTRLEN] = "?", r[INET6_ADDRSTRLEN] = "?", lp[24], rp[24];

	inet_ntop(s->family, s->local, l, sizeof(l));
	inet_ntop(s->family, s->remote, r, sizeof(r));
	proto_port_str(s->proto, s->local_port, lp, sizeof(lp));
	proto_port_str(s->proto, s->remote_port, rp, sizeof(rp));
	snprintf(buf, len, "%s/%u%s <-> %s/%u%s%s", l, s->local_len, lp, r, s->remote_len, rp,
		 s->any ? " (no selector: routes decide)" : "");
}
