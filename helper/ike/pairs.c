// SPDX-License-Identifier: GPL-2.0
/*
 * Sub-tunnels: a tunnel's local-ts and remote-ts lists make one pair of
 * selectors per (local, remote), config_pair(), and each gets its own
 * Quick Mode and ESP SA pair under the tunnel's one IKE SA, as the lines
 * of a Cisco crypto map ACL do. Here: which pairs an IKE SA brings up when
 * it is established, bringing a pair up again when it went missing (its
 * Quick Mode gave up, the peer deleted it, DPD cleared it), and on the
 * module's ACQUIRE for a packet no SA carries. Rekeying one pair is
 * rekey.c's.
 */
#include <string.h>

#include "ike_sa.h"
#include "lifecycle.h"

#define PAIR_RETRY_MS 30000   /* between Quick Modes for pairs that keep failing */
#define ACQUIRE_RETRY_MS 5000 /* per pair: a packet stream makes an ACQUIRE each */

/* Whether SA negotiates PAIR's ESP SAs, or holds them and need not renew them. */
static bool pair_busy(const struct ike_sa *sa, unsigned int pair)
{
	bool renewing = sa->renew & (1u << pair);
	const struct quick_mode *qm;

	for (qm = sa->qms; qm; qm = qm->next)
		if (qm->pair == pair && ((qm->installed && !renewing) || qm->state != QM_DONE))
			return true;
	return false;
}

/*
 * A newer established IKE SA of the tunnel carries its pairs instead of
 * SA, or the successor we are negotiating will (reauth_unanswered).
 */
static bool superseded(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (o != sa && (o->state == MM_ESTABLISHED ? o->established_ms > sa->established_ms
							   : o->reauth && o->state != MM_DEAD))
			return true;
	return false;
}

/*
 * Whether another IKE SA of the tunnel holds a pair of PAIR that came up
 * after SA did: SA's own went because that one superseded it (twins.c's
 * renewal under the IKE SA both ends keep), not because it went missing.
 * A re-authentication's successor still brings its own pairs up: its
 * predecessor's pairs are older than it.
 */
static bool held_elsewhere(const struct ike_sa *sa, unsigned int pair)
{
	const struct quick_mode *qm;
	const struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		for (qm = o->qms; o != sa && qm; qm = qm->next)
			if (qm->pair == pair && qm->installed && qm->added_ms >= sa->established_ms)
				return true;
	return false;
}

/* Every sub-tunnel of SA's tunnel, as a bit mask. */
static uint32_t all_pairs(const struct ike_sa *sa)
{
	return (uint32_t)((1ull << config_pairs(sa->cfg)) - 1);
}

bool pairs_negotiating(const struct ike_sa *sa)
{
	const struct quick_mode *qm;

	for (qm = sa->qms; qm; qm = qm->next)
		if (qm->initiator && qm->state == QM_I_QM1_SENT)
			return true;
	return false;
}

/*
 * Start the first pair SA should bring up and neither holds nor negotiates:
 * an initiator that starts Quick Mode all of them, whenever they are
 * missing (a Quick Mode gave up, the peer deleted the pair, DPD cleared
 * it), unless a newer IKE SA of the tunnel carries them; any SA those it
 * was asked for once. A responder leaves the rest to the peer that started.
 */
void pairs_tick(struct ike_sa *sa, int64_t *next)
{
	uint64_t now = sa->ctx->now_ms;
	uint32_t want = sa->asked | sa->renew, bit;

	/* One on its way out (re-authenticated, a twin that goes) brings nothing up. */
	if (sa->state != MM_ESTABLISHED || sa->retire_ms || sa->twin_loser || pairs_negotiating(sa))
		return;
	if (sa->initiator && p1_starts_quick_mode(sa))
		want |= all_pairs(sa);
	for (unsigned int i = 0; i < config_pairs(sa->cfg); i++) {
		bit = 1u << i;
		if (!(want & bit) || pair_busy(sa, i) ||
		    (!((sa->asked | sa->renew) & bit) && held_elsewhere(sa, i)))
			continue;
		/* Only now, as it scans every SA: a pair we were not asked for. */
		if (!((sa->asked | sa->renew) & bit) && superseded(sa))
			return;
		if (now < sa->pair_retry_ms[i]) {
			ike_timer_at(next, sa->pair_retry_ms[i], now);
			continue;
		}
		sa->asked &= ~bit;
		sa->renew &= ~bit;
		sa->pair_retry_ms[i] = now + PAIR_RETRY_MS;
		if (qm_start(sa, i)) {
			ike_log("%s: cannot start Quick Mode", sa->cfg->name);
			continue;
		}
		return;
	}
}

void pairs_established(struct ike_sa *sa)
{
	int64_t next = -1;

	pairs_tick(sa, &next);
}

void pairs_renew(struct ike_sa *sa, uint32_t pairs)
{
	int64_t next = -1;

	sa->renew = pairs & all_pairs(sa);
	memset(sa->pair_retry_ms, 0, sizeof(sa->pair_retry_ms));
	pairs_tick(sa, &next);
}

void pairs_adopt(struct ike_sa *sa)
{
	char from[IKE_COOKIES_STR], to[IKE_COOKIES_STR];
	struct ike_sa *o, *heir = NULL;
	struct quick_mode **pp, *qm;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (o != sa && o->state == MM_ESTABLISHED &&
		    (!heir || o->established_ms > heir->established_ms))
			heir = o;
	for (pp = &sa->qms; heir && (qm = *pp);) {
		if (!qm->installed || qm->state != QM_DONE) {
			pp = &qm->next;
			continue;
		}
		*pp = qm->next;
		qm->next = heir->qms;
		heir->qms = qm;
		ike_log("%s: IKE SA %s takes over ESP SAs %08x/%08x from IKE SA %s", sa->cfg->name,
			ike_cookies_str(heir, to), qm->spi_in, qm->spi_out,
			ike_cookies_str(sa, from));
		ike_sa_due_by(heir, sa->ctx->now_ms);
	}
}

void pairs_start_all(struct ike_sa *sa)
{
	int64_t next = -1;

	sa->asked = all_pairs(sa);
	memset(sa->pair_retry_ms, 0, sizeof(sa->pair_retry_ms));
	pairs_tick(sa, &next);
}

/* Whether ADDR of FAMILY lies within TS (unset: any address of the family). */
static bool ts_holds(const struct traffic_sel *ts, int family, const uint8_t *addr)
{
	unsigned int bits = ts->prefix;

	if (!ts->family)
		return true;
	if (ts->family != family)
		return false;
	if (memcmp(addr, ts->addr, bits / 8))
		return false;
	return bits % 8 == 0 || !((addr[bits / 8] ^ ts->addr[bits / 8]) & (0xff00 >> (bits % 8)));
}

/* The first sub-tunnel of T whose selectors hold a packet SRC -> DST, or -1. */
static int pair_of_packet(const struct tunnel_cfg *t, int family, const uint8_t *src,
			  const uint8_t *dst)
{
	const struct traffic_sel *local, *remote;

	for (unsigned int i = 0; i < config_pairs(t); i++) {
		config_pair(t, i, &local, &remote);
		if (ts_holds(local, family, src) && ts_holds(remote, family, dst))
			return (int)i;
	}
	return -1;
}

void pairs_acquire(struct ike_ctx *ctx, const char *ifname, int family, const uint8_t *src,
		   const uint8_t *dst)
{
	const struct tunnel_cfg *t = config_find(ctx->cfg, ifname);
	struct ike_sa *sa, *best = NULL;
	int pair;

	if (!t || (pair = pair_of_packet(t, family, src, dst)) < 0)
		return; /* outside every sub-tunnel: the ACL says it stays out */
	if (ctx->admin_down && ctx->admin_down(ctx->arg, t))
		return;
	for_each_tunnel_sa(sa, ctx, t)
		if (ike_sa_genuine(sa) && sa->state != MM_DEAD &&
		    (!best || sa->established_ms > best->established_ms))
			best = sa;
	if (best && (pair_busy(best, (unsigned int)pair) || ctx->now_ms < best->acquire_ms[pair]))
		return;
	/*
	 * Phase 1 only for a tunnel we initiate anyway (sooner than its retry);
	 * a responder's tunnel waits for its peer, DPD's clear stays clear.
	 */
	if (!best && (!t->initiate || !(best = ike_initiate(ctx, t))))
		return;
	best->acquire_ms[pair] = ctx->now_ms + ACQUIRE_RETRY_MS;
	best->pair_retry_ms[pair] = 0;
	best->asked |= 1u << pair;
	ike_log("%s: acquire: a packet for sub-tunnel %d, which has no ESP SAs: %s", t->name, pair,
		best->state == MM_ESTABLISHED ? "starting its Quick Mode" : "after phase 1");
	pairs_established(best);
}

bool pairs_up(const struct ike_ctx *ctx, const struct tunnel_cfg *t)
{
	const struct quick_mode *qm;
	const struct ike_sa *sa;

	for_each_tunnel_sa(sa, ctx, t)
		for (qm = sa->qms; qm; qm = qm->next)
			if (qm->installed)
				return true;
	return false;
}
