// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatch, above the bookkeeping of ike_sa.c: each received datagram to
 * the exchange it belongs to (Main, Aggressive or Quick Mode,
 * informational), each timer to what it drives (retransmissions, expiry,
 * DPD, rekeying, re-authentication, NAT keepalives, the ESP path), and
 * the shutdown. It is the top: nothing below calls into it. Every
 * exchange and timer passes here, so here, once, each datagram for an SA
 * and each visit names its tunnel to ctx->changed.
 *
 * A request repeated (our reply was lost) gets the stored reply again,
 * here for every exchange: the exchange never sees the repeat, and tells
 * only, by the slot it returns, which reply answered a request. A reply
 * goes out again for a repeat only, one datagram out per datagram in, as
 * libreswan does: MM2 and AM2, sent to an address no one has verified,
 * have no timer at all, so a forged MM1 or AM1 cannot be amplified.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "dispatch.h"
#include "lifecycle.h"

/* An unprotected notify (before phase 1 completes) is logged, never acted upon. */
static void log_plain_info(struct ike_ctx *ctx, const struct sockaddr_storage *from,
			   struct isakmp_msg *m)
{
	struct isakmp_notify_info n;
	const struct isakmp_payload *pl;
	struct ike_sa *sa;
	size_t i = 0;

	if (isakmp_parse_payloads(m, m->np, m->body, m->body_len))
		return;
	ike_log_msg("INFO", false, from, m);
	for_each_icookie_sa(sa, ctx, m->icookie)
		if (sa->state != MM_ESTABLISHED)
			break;
	while ((pl = isakmp_find(m, ISAKMP_NP_N, &i))) {
		if (isakmp_notify_parse(pl, &n))
			continue;
		ike_log("  unauthenticated notify %s (%u)", isakmp_notify_name(n.type), n.type);
		if (sa)
			sa->peer_notify = n.type;
	}
}

/* What a repeated request is known by. */
static void digest(const uint8_t *buf, size_t len, uint8_t out[32])
{
	struct chunk c = { buf, len };

	if (ike_hash(IKE_HASH_SHA256, &c, 1, out))
		memset(out, 0, 32);
}

static void resend(struct ike_sa *sa, const struct retransmit *rt)
{
	if (rt->len)
		ike_sendto(sa, rt->buf, rt->len, true);
}

/* Whether the datagram hashed to H repeats the request RT's reply answered: then resent. */
static bool repeated(struct ike_sa *sa, const struct retransmit *rt, const uint8_t h[32])
{
	if (!rt->have_last_in || !rt->len || CRYPTO_memcmp(h, rt->last_in, 32))
		return false;
	ike_log("%s: duplicate request, resending %s", sa->cfg->name, rt->name);
	resend(sa, rt);
	return true;
}

/* The exchange answered the datagram hashed to H with RT's reply (NULL: none). */
static void answered(struct retransmit *rt, const uint8_t h[32])
{
	if (!rt)
		return;
	memcpy(rt->last_in, h, 32);
	rt->have_last_in = true;
}

static void phase1(struct ike_ctx *ctx, const struct sockaddr_storage *from, struct isakmp_msg *m,
		   const uint8_t *buf, size_t len)
{
	bool mm = m->exchange == ISAKMP_XCHG_MAIN;
	struct ike_sa *sa;
	uint8_t h[32];

	if (m->msgid) /* phase 1 has none */
		return;
	sa = mm ? mm_find(ctx, from, m) : am_find(ctx, m);
	if (sa) /* a first message's new SA is named as it is made (ike_sa_new) */
		ike_changed(ctx, sa->cfg);
	digest(buf, len, h);
	if (sa && repeated(sa, &sa->rt, h))
		return;
	answered(mm ? mm_input(ctx, sa, from, m) : am_input(ctx, sa, from, m), h);
}

static void quick(struct ike_sa *sa, struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	struct quick_mode *qm;
	uint8_t h[32];

	if (!m->msgid) /* each Quick Mode has its own */
		return;
	qm = qm_find(sa, m->msgid);
	digest(buf, len, h);
	if (qm && repeated(sa, &qm->rt, h))
		return;
	answered(qm_input(sa, qm, m), h);
}

static void input(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
		  size_t len);

/*
 * The IKE SA of ours a fragment is for: by its cookies, or as initiator
 * still without the responder's cookie, which its reply brings.
 */
static struct ike_sa *fragment_sa(struct ike_ctx *ctx, const struct isakmp_msg *m)
{
	static const uint8_t zero[8];
	struct ike_sa *sa = ike_sa_find(ctx, m->icookie, m->rcookie);

	if (sa)
		return sa;
	for_each_icookie_sa(sa, ctx, m->icookie)
		if (sa->initiator && !memcmp(sa->rcookie, zero, 8))
			return sa;
	return NULL;
}

/* A fragment of a message to an IKE SA of ours from its peer: the whole goes through input(). */
static void fragment(struct ike_ctx *ctx, const struct sockaddr_storage *from,
		     const struct isakmp_msg *m)
{
	uint8_t whole[ISAKMP_MAX_MSG];
	struct ike_sa *sa = fragment_sa(ctx, m);
	char addr[64];
	size_t len;

	if (!sa || !ike_same_address(from, &sa->peer)) {
		ike_addr_str(from, addr, sizeof(addr));
		ike_log("dropped an IKE fragment from %s: no IKE SA with it and these cookies",
			addr);
		return;
	}
	if (frag_input(sa, m, whole, &len) == 1)
		input(ctx, from, whole, len);
}

static void input(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
		  size_t len)
{
	static const uint8_t zero[8];
	char addr[64];
	struct isakmp_msg m;
	struct ike_sa *sa;
	int ret;

	ret = isakmp_parse_header(&m, buf, len);
	if (ret) {
		ike_addr_str(from, addr, sizeof(addr));
		ike_log("dropped %zu bytes from %s: %s", len, addr,
			isakmp_notify_name((uint16_t)ret));
		return;
	}
	if (m.np == ISAKMP_NP_FRAG) {
		fragment(ctx, from, &m);
		return;
	}
	if (m.exchange == ISAKMP_XCHG_MAIN || m.exchange == ISAKMP_XCHG_AGGRESSIVE) {
		phase1(ctx, from, &m, buf, len);
		return;
	}
	if (m.exchange == ISAKMP_XCHG_INFO && !(m.flags & ISAKMP_FLAG_ENC)) {
		log_plain_info(ctx, from, &m);
		return;
	}
	sa = ike_sa_find(ctx, m.icookie, m.rcookie);
	if (!sa || !memcmp(m.rcookie, zero, 8)) {
		ike_addr_str(from, addr, sizeof(addr));
		ike_log("dropped exchange %u from %s: no IKE SA with these cookies", m.exchange,
			addr);
		return;
	}
	ike_changed(ctx, sa->cfg);
	if (sa->state == AM_R_AM2_SENT) {
		am_lost_am3(sa, m.exchange);
		resend(sa, &sa->rt);
		return;
	}
	if (sa->state != MM_ESTABLISHED) {
		ike_log("%s: dropped exchange %u before phase 1 completed", sa->cfg->name,
			m.exchange);
		return;
	}
	if (m.exchange == ISAKMP_XCHG_QUICK)
		quick(sa, &m, buf, len);
	else if (m.exchange == ISAKMP_XCHG_INFO)
		info_input(sa, &m, buf, len);
	else
		ike_log("%s: dropped unsupported exchange type %u", sa->cfg->name, m.exchange);
}

void ike_input(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
	       size_t len)
{
	ctx->rx_from = from;
	ctx->rx_natt = false;
	input(ctx, from, buf, len);
	ctx->rx_from = NULL;
}

void ike_input_natt(struct ike_ctx *ctx, const struct sockaddr_storage *from, const uint8_t *buf,
		    size_t len)
{
	static const uint8_t marker[4];

	/*
	 * Linux hands IKE to the socket with its non-ESP marker (RFC 3948
	 * 2.2); should a kernel strip it, the datagram starts with the
	 * initiator's cookie instead, which is ours to parse just the same.
	 */
	if (len >= sizeof(marker) && !memcmp(buf, marker, sizeof(marker))) {
		buf += sizeof(marker);
		len -= sizeof(marker);
	}
	ctx->rx_from = from;
	ctx->rx_natt = true;
	input(ctx, from, buf, len);
	ctx->rx_from = NULL;
	ctx->rx_natt = false;
}

/* Returns false when RT gave up (the exchange failed). */
static bool retransmit(struct ike_sa *sa, struct retransmit *rt, int64_t *next)
{
	char addr[64];

	if (!rt->next_ms)
		return true;
	if (rt->next_ms <= sa->ctx->now_ms) {
		if (rt->tries >= IKE_RETRANSMIT_TRIES) {
			ike_addr_str(&sa->peer, addr, sizeof(addr));
			if (rt == &sa->rt && sa->peer_notify)
				ike_log("%s: %s failed after %d tries: the peer answered %s "
					"(unauthenticated)",
					sa->cfg->name, rt->name, rt->tries,
					isakmp_notify_name(sa->peer_notify));
			else if (rt == &sa->rt && sa->our_refusal)
				ike_log("%s: %s failed after %d tries: we refused the peer's "
					"answers: %s",
					sa->cfg->name, rt->name, rt->tries,
					isakmp_notify_name(sa->our_refusal));
			else
				ike_problem(sa->ctx, sa->cfg,
					    "no IKE reply from %s (to %s, %d tries): "
					    "UDP %s may be blocked on the path",
					    addr, rt->name, rt->tries,
					    sa->nat.floated ? "4500" : "500");
			rt->next_ms = 0;
			return false;
		}
		rt->tries++;
		rt->timeout_ms *= 2;
		rt->next_ms = sa->ctx->now_ms + rt->timeout_ms;
		ike_log("%s: retransmitting %s (try %d)", sa->cfg->name, rt->name, rt->tries);
		ike_sendto(sa, rt->buf, rt->len, true);
	}
	ike_timer_at(next, rt->next_ms, sa->ctx->now_ms);
	return true;
}

/* Everything due of SA; the visit ends with SA freed or due again by its earliest timer. */
static void visit(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;
	struct quick_mode **pp;
	int64_t next = -1;

	/* What is due may change the tunnel's report; named while SA is sure to exist. */
	ike_changed(ctx, sa->cfg);
	if (!retransmit(sa, &sa->rt, &next))
		sa->state = MM_DEAD;
	if (sa->state != MM_DEAD && sa->expire_ms <= ctx->now_ms) {
		ike_log("%s: IKE SA %s", sa->cfg->name,
			sa->state == MM_ESTABLISHED ? "expired" : "negotiation timed out");
		/* A peer that took a longer lifetime must not go on using it. */
		info_delete_ike(sa);
		sa->state = MM_DEAD;
	}
	if (sa->state != MM_DEAD && (next < 0 || sa->expire_ms - ctx->now_ms < (uint64_t)next))
		next = (int64_t)(sa->expire_ms - ctx->now_ms);
	dpd_tick(sa, &next);
	if (sa->state == MM_DEAD) {
		pairs_adopt(sa);
		twins_pass_on(sa);
		ike_sa_free(sa);
		return;
	}
	rekey_tick(sa, &next);
	reauth_tick(sa, &next);
	twins_tick(sa, &next);
	nat_tick(sa, &next);
	path_tick(sa, &next);
	for (pp = &sa->qms; *pp;) {
		struct quick_mode *qm = *pp;

		if (!retransmit(sa, &qm->rt, &next)) {
			reauth_unanswered(sa, qm, &next);
			rekey_remove(sa, qm); /* a responder's inbound half, without QM3 */
			*pp = qm->next;
			qm_free(qm);
			/* Without it, the SA may lack a pair (rekey_tick): look again next tick. */
			next = 0;
			continue;
		}
		pp = &qm->next;
	}
	if (next >= 0)
		ike_sa_due_by(sa, ctx->now_ms + (uint64_t)next);
}

int64_t ike_tick(struct ike_ctx *ctx)
{
	struct ike_sa *sa;

	while ((sa = timer_pop_due(ctx)))
		visit(sa);
	return timer_requeue(ctx);
}

void ike_shutdown(struct ike_ctx *ctx)
{
	struct ike_sa *sa;

	for (sa = ctx->sas; sa; sa = sa->next)
		info_delete_all(sa);
}
