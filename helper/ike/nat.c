// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal for IKEv1 (RFC 3947) with UDP-encapsulated ESP (RFC 3948).
 *
 * Both sides announce NAT-T by vendor ID in their first phase-1 message;
 * the RFC's ID and those of the drafts older peers still send. When both
 * did, MM3/MM4 (AM2/AM3) carry NAT-D payloads: hashes of the destination
 * address and port as the sender sees it, then of its own. A hash that does
 * not match what the receiver computes for the datagram in hand means a
 * NAT rewrote that side. Then the initiator moves IKE to port 4500 with
 * the non-ESP marker from MM5 (AM3) on, Quick Mode negotiates the UDP
 * encapsulation mode, the device sends ESP in UDP, and the side behind
 * the NAT sends keepalives to hold the mapping open. Whenever an
 * authenticated message arrives from a new address or port, the peer's
 * NAT mapping changed: we follow it and re-point the device.
 *
 * encap = always sends a random hash for our own address (as strongSwan's
 * forceencaps does), so the peer sees us behind a NAT and both sides use
 * UDP; encap = never announces nothing, so the peer sends no NAT-D.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"

#define NATT_PORT 4500
#define IKE_PORT 500

/* MD5 of the RFC's title and of the drafts' names (RFC 3947 3.1). */
static const struct {
	enum natt_version version;
	uint8_t id[16];
} vids[] = {
	{ NATT_RFC,
	  { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95,
	    0x45, 0x2f } },
	{ NATT_DRAFT_03,
	  { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f, 0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52,
	    0x9d, 0x56 } },
	{ NATT_DRAFT_02_N,
	  { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42,
	    0x7b, 0x1f } },
	{ NATT_DRAFT_02,
	  { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8, 0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6,
	    0xa4, 0x48 } },
};

static uint16_t our_port(const struct ike_ctx *ctx, bool natt)
{
	if (natt)
		return ctx->natt_port ? ctx->natt_port : NATT_PORT;
	return ctx->port ? ctx->port : IKE_PORT;
}

/* The drafts numbered the payloads from the private range (RFC 3947 5). */
static uint8_t natd_type(const struct ike_sa *sa)
{
	return sa->nat.version == NATT_RFC ? ISAKMP_NP_NATD : ISAKMP_NP_NATD_DRAFT;
}

void nat_add_vids(const struct ike_sa *sa, struct isakmp_builder *b)
{
	size_t i;

	if (sa->cfg->encap == ENCAP_NEVER)
		return;
	/* The initiator offers every version; the responder answers with the one it chose. */
	for (i = 0; i < sizeof(vids) / sizeof(vids[0]); i++)
		if (sa->initiator || vids[i].version == sa->nat.version)
			isakmp_add(b, ISAKMP_NP_VID, vids[i].id, sizeof(vids[i].id));
}

bool nat_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid)
{
	size_t i;

	if (vid->len != sizeof(vids[0].id))
		return false;
	for (i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		if (memcmp(vid->body, vids[i].id, sizeof(vids[i].id)))
			continue;
		if (sa->cfg->encap != ENCAP_NEVER && vids[i].version > sa->nat.version)
			sa->nat.version = vids[i].version;
		return true;
	}
	return false;
}

static void set_port(struct sockaddr_storage *a, uint16_t port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)a)->sin6_port = htons(port);
}

static bool same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	return x->sin6_port == y->sin6_port && !memcmp(&x->sin6_addr, &y->sin6_addr, 16);
}

size_t nat_hash(const struct ike_sa *sa, const struct sockaddr_storage *addr, uint8_t *out)
{
	size_t len = ike_hash_len(sa->prop.hash);
	struct chunk parts[4] = { { sa->icookie, 8 }, { sa->rcookie, 8 } };

	if (addr->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)addr;

		parts[2] = (struct chunk){ &s->sin_addr, 4 };
		parts[3] = (struct chunk){ &s->sin_port, 2 }; /* network order, as on the wire */
	} else if (addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)addr;

		parts[2] = (struct chunk){ &s->sin6_addr, 16 };
		parts[3] = (struct chunk){ &s->sin6_port, 2 };
	} else {
		return 0;
	}
	return len && !ike_hash(sa->prop.hash, parts, 4, out) ? len : 0;
}

/* Our own address and the port we send from (or received on, with NATT). */
static void local_endpoint(const struct ike_sa *sa, bool natt, struct sockaddr_storage *out)
{
	ike_sockaddr(sa->cfg->family, sa->cfg->local, our_port(sa->ctx, natt), out);
}

int nat_add_natd(struct ike_sa *sa, struct isakmp_builder *b)
{
	struct sockaddr_storage local;
	uint8_t h[IKE_MAX_HASH];
	size_t len;

	if (!sa->nat.version)
		return 0;
	len = nat_hash(sa, &sa->peer, h);
	if (!len)
		return -1;
	isakmp_add(b, natd_type(sa), h, len);
	if (sa->cfg->encap == ENCAP_ALWAYS || sa->encap_fallback) {
		/* No address of ours hashes to this: the peer sees us behind a NAT. */
		if (ike_random(h, len))
			return -1;
		sa->nat.forced = true;
	} else {
		local_endpoint(sa, sa->nat.floated, &local);
		if (!nat_hash(sa, &local, h))
			return -1;
	}
	isakmp_add(b, natd_type(sa), h, len);
	return 0;
}

const char *nat_describe(const struct ike_sa *sa)
{
	const struct natt *n = &sa->nat;

	if (!n->version)
		return "no NAT-T (the peer did not announce it, or encap = never)";
	if (n->local_nat && n->remote_nat)
		return "both hosts behind NAT, ESP in UDP";
	if (n->local_nat)
		return "local host behind NAT, ESP in UDP";
	if (n->remote_nat)
		return "peer behind NAT, ESP in UDP";
	if (n->forced && sa->encap_fallback)
		return "no NAT, ESP in UDP because plain ESP was blocked";
	if (n->forced)
		return "no NAT, ESP in UDP forced by encap = always";
	return "no NAT detected, plain ESP";
}

int nat_take_natd(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct sockaddr_storage *from = sa->ctx->rx_from;
	uint8_t mine[IKE_MAX_HASH], theirs[IKE_MAX_HASH];
	const struct isakmp_payload *pl;
	struct sockaddr_storage local;
	bool local_ok = false, remote_ok = false;
	size_t i = 0, n = 0, len;

	if (!sa->nat.version || !from)
		return 0;
	local_endpoint(sa, sa->ctx->rx_natt, &local);
	len = nat_hash(sa, &local, mine);
	if (!len || nat_hash(sa, from, theirs) != len)
		return ISAKMP_N_INVALID_HASH_INFORMATION;
	/* The first hashes the destination (us), the others the sender's own addresses. */
	while ((pl = isakmp_find(m, natd_type(sa), &i))) {
		if (pl->len != len)
			return ISAKMP_N_PAYLOAD_MALFORMED;
		if (n++ == 0)
			local_ok = !CRYPTO_memcmp(pl->body, mine, len);
		else
			remote_ok |= !CRYPTO_memcmp(pl->body, theirs, len);
	}
	if (n == 1)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (!n) {
		/* The peer announced NAT-T but does not use it: neither do we (RFC 3947 3.2). */
		sa->nat.version = NATT_NONE;
		return 0;
	}
	sa->nat.local_nat = !local_ok;
	sa->nat.remote_nat = !remote_ok;
	ike_log("%s: NAT detection: %s", sa->cfg->name, nat_describe(sa));
	return 0;
}

bool nat_udp(const struct ike_sa *sa)
{
	const struct natt *n = &sa->nat;

	return n->version && (n->local_nat || n->remote_nat || n->forced);
}

void nat_float(struct ike_sa *sa)
{
	char addr[64];

	if (!nat_udp(sa) || sa->nat.floated)
		return;
	set_port(&sa->peer, NATT_PORT);
	sa->nat.floated = true;
	ike_addr_str(&sa->peer, addr, sizeof(addr));
	ike_log("%s: IKE moves to %s with the non-ESP marker", sa->cfg->name, addr);
}

void nat_endpoint(const struct ike_sa *sa, struct ike_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->peer = sa->peer;
	/* Only a floated peer listens on a NAT-T port we know. */
	ep->udp = nat_udp(sa) && sa->nat.floated;
	ep->sport = our_port(sa->ctx, true);
	ep->nat = nat_describe(sa);
}

void nat_follow(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;
	const struct quick_mode *qm;
	struct ike_endpoint ep;
	char was[64], now[64];

	/* Only NAT-T peers move, and only on the NAT-T port: port 500 is fixed by configuration. */
	if (!ctx->rx_from || !ctx->rx_natt || !sa->nat.version)
		return;
	if (!sa->nat.floated) {
		sa->nat.floated = true;
		ike_log("%s: the peer moved IKE to the NAT-T port", sa->cfg->name);
	}
	/*
	 * Only a peer behind a NAT moves (as strongSwan has it): anyone else's
	 * address and port are its own, and one replayed message from
	 * elsewhere must not re-point the tunnel.
	 */
	if (!sa->nat.remote_nat || same_endpoint(ctx->rx_from, &sa->peer))
		return;
	ike_addr_str(&sa->peer, was, sizeof(was));
	ike_addr_str(ctx->rx_from, now, sizeof(now));
	ike_log("%s: the peer's address changed from %s to %s (NAT mapping): following it",
		sa->cfg->name, was, now);
	sa->peer = *ctx->rx_from;
	for (qm = sa->qms; qm; qm = qm->next)
		if (qm->installed)
			break;
	if (qm && ctx->endpoint) {
		nat_endpoint(sa, &ep);
		ctx->endpoint(ctx->arg, sa->cfg, &ep);
	}
}

struct ike_sa *nat_peer_moved(struct ike_ctx *ctx, const char *ifname,
			      const struct sockaddr_storage *to)
{
	struct ike_sa *sa, *moved = NULL;
	char was[64], now[64];

	for_each_named_sa(sa, ctx, ifname) {
		if (sa->state != MM_ESTABLISHED || !sa->nat.floated || same_endpoint(to, &sa->peer))
			continue;
		ike_addr_str(&sa->peer, was, sizeof(was));
		ike_addr_str(to, now, sizeof(now));
		ike_log("%s: the kernel saw the peer's ESP come from %s (was %s): IKE follows",
			sa->cfg->name, now, was);
		sa->peer = *to;
		moved = sa;
	}
	return moved;
}

uint16_t nat_encap_mode(const struct ike_sa *sa)
{
	if (!nat_udp(sa))
		return ESP_MODE_TUNNEL;
	return sa->nat.version == NATT_RFC ? ESP_MODE_UDP_TUNNEL : ESP_MODE_UDP_TUNNEL_DRAFT;
}

/*
 * NAT-OA (RFC 3947 5.2): the sender's original address, which transport
 * mode needs for checksums. Tunnel mode has no use for it, but a malformed
 * one still makes the message malformed.
 */
int nat_check_oa(const struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *pl;
	char text[INET6_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < m->n; i++) {
		pl = &m->p[i];
		if (pl->type != ISAKMP_NP_NATOA && pl->type != ISAKMP_NP_NATOA_DRAFT)
			continue;
		if (pl->len == 8 && pl->body[0] == ID_IPV4_ADDR)
			inet_ntop(AF_INET, pl->body + 4, text, sizeof(text));
		else if (pl->len == 20 && pl->body[0] == ID_IPV6_ADDR)
			inet_ntop(AF_INET6, pl->body + 4, text, sizeof(text));
		else
			return ISAKMP_N_PAYLOAD_MALFORMED;
		ike_log("%s: NAT-OA: the peer's original address is %s", sa->cfg->name, text);
	}
	return 0;
}

void nat_tick(struct ike_sa *sa, int64_t *next)
{
	struct natt *n = &sa->nat;
	uint64_t now = sa->ctx->now_ms, every = (uint64_t)sa->cfg->nat_keepalive * 1000;

	/* RFC 3948 4: the side behind the NAT keeps its mapping alive. */
	if (sa->state != MM_ESTABLISHED || !n->floated || !(n->local_nat || n->forced) || !every ||
	    !sa->ctx->keepalive)
		return;
	if (!n->keepalive_ms)
		n->keepalive_ms = now + every;
	if (n->keepalive_ms <= now) {
		sa->ctx->keepalive(sa->ctx->arg, &sa->peer);
		n->keepalive_ms = now + every;
	}
	ike_timer_at(next, n->keepalive_ms, now);
}
