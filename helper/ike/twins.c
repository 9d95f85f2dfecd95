// SPDX-License-Identifier: GPL-2.0
/*
 * Simultaneous negotiations. When both ends start phase 1 at once (both
 * start = initiate, or both restart after DPD found the other gone), a
 * tunnel gets two IKE SAs, twins: one came up while the other was being
 * negotiated, or shortly before (window()). Each initiator brings its
 * pairs up under its own. Each side then sends on the pair it installed
 * last, which in a symmetric race is the peer's: two pairs carry the
 * traffic, and each would be rekeyed and re-authenticated on its own from
 * then on.
 *
 * Two esptun ends (each sends twins_vid) settle it the same way without a
 * word about it: of the established IKE SAs, the one with the lowest
 * cookie pair (the initiator's cookie, then the responder's, as they are
 * on the wire) stays. TWIN_SETTLE_MS after the second came up, which gives
 * a peer with a rule of its own time to apply it first (strongSwan's
 * unique = replace deletes the older IKE SA 10 s after the newer), the
 * side that initiated the one that stays renews every sub-tunnel under it
 * by Quick Mode. The new pair supersedes all the sub-tunnel's pairs on
 * both sides, and the old ones are deleted with DELETE after the grace
 * period, as a rekey's are (rekey.c); so is the other IKE SA, as a
 * re-authentication's predecessor is (reauth.c). The other side only
 * answers, unless TWIN_FALLBACK_MS later nothing was settled.
 *
 * Another peer (charon, pluto) settles nothing, and may take the deletion
 * of an IKE SA it initiated for a reason to negotiate again (pluto's
 * auto=start does). With it, the IKE SA it initiated stays, and we renew
 * the pairs under it at TWIN_SETTLE_MS.
 */
#include <string.h>

#include "ike_sa.h"
#include "lifecycle.h"

/* MD5("esptun: simultaneous negotiations, the lowest cookies stay") */
static const uint8_t twins_vid[16] = { 0x53, 0xf3, 0x31, 0xc6, 0x7b, 0x9e, 0xb0, 0x21,
				       0x3b, 0xe1, 0x6d, 0xc5, 0xef, 0x9b, 0x32, 0xc0 };

#define TWIN_WINDOW_MS 10000 /* see window() */
/* A Quick Mode that began this soon after another of the pair ended races it. */
#define QM_RACE_SLACK_MS 2000
#define TWIN_SETTLE_MS 15000   /* longer than strongSwan's 10 s */
#define TWIN_FALLBACK_MS 10000 /* the keeper's initiator had this long to renew */

/* An established IKE SA that carries its tunnel on: not retiring, not given up for a twin. */
static bool current(const struct ike_sa *sa)
{
	return sa->state == MM_ESTABLISHED && !sa->retire_ms && !sa->twin_loser;
}

static int cookie_cmp(const struct ike_sa *x, const struct ike_sa *y)
{
	int c = memcmp(x->icookie, y->icookie, 8);

	return c ? c : memcmp(x->rcookie, y->rcookie, 8);
}

void twins_add_vid(struct isakmp_builder *b)
{
	isakmp_add(b, ISAKMP_NP_VID, twins_vid, sizeof(twins_vid));
}

bool twins_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid)
{
	if (vid->len != sizeof(twins_vid) || memcmp(vid->body, twins_vid, sizeof(twins_vid)))
		return false;
	sa->peer_twins = true;
	return true;
}

/* Whether the peer settles twins as we do: it announced it in each. */
static bool peer_settles(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (current(o) && !o->peer_twins)
			return false;
	return true;
}

/*
 * The IKE SA both ends keep for SA's tunnel: the current one with the
 * lowest cookies; with a peer that does not settle twins, the lowest of
 * those it initiated, if any.
 */
static struct ike_sa *keeper(struct ike_sa *sa, bool peer_rule)
{
	struct ike_sa *o, *keep = NULL;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		if (!current(o))
			continue;
		if (!keep || (!peer_rule && keep->initiator && !o->initiator) ||
		    ((peer_rule || keep->initiator == o->initiator) && cookie_cmp(o, keep) < 0))
			keep = o;
	}
	return keep;
}

/*
 * How long after O came up another negotiation with the peer still makes
 * a twin: one side by side with O's, or one the peer started a little
 * later, not knowing of O yet (pluto answers our MM1 before it sends its
 * own). The peer's re-authentication starts at half the lifetime at the
 * earliest (reauth.c), so never within a quarter of it.
 */
static uint64_t window(const struct ike_sa *o)
{
	uint64_t quarter = (uint64_t)o->life_s * 1000 / 4;

	return quarter < TWIN_WINDOW_MS ? quarter : TWIN_WINDOW_MS;
}

/* Settle SA's tunnel TWIN_SETTLE_MS from now, unless already due. */
static void settle_later(struct ike_sa *sa)
{
	if (sa->twin_ms)
		return;
	sa->twin_ms = sa->ctx->now_ms + TWIN_SETTLE_MS;
	ike_sa_due_by(sa, sa->twin_ms);
}

void twins_established(struct ike_sa *sa)
{
	char mine[IKE_COOKIES_STR], theirs[IKE_COOKIES_STR];
	struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		/* Our re-authentication is no race: reauth.c retires its predecessor. */
		if (o == sa || !current(o) || sa->reauth || o->reauth_started ||
		    o->established_ms + window(o) < sa->started_ms)
			continue;
		ike_log("%s: IKE SA %s came up beside IKE SA %s: both ends negotiated at once; "
			"settling in %d s",
			sa->cfg->name, ike_cookies_str(sa, mine), ike_cookies_str(o, theirs),
			TWIN_SETTLE_MS / 1000);
		settle_later(sa);
		return;
	}
}

void twins_pair_installed(struct ike_sa *sa, const struct quick_mode *qm,
			  const struct quick_mode *o)
{
	if (!ts_sel_equal(&o->sel, &qm->sel) || qm->started_ms > o->done_ms + QM_RACE_SLACK_MS)
		return;
	ike_log("%s: ESP SAs %08x/%08x came up beside %08x/%08x: both ends negotiated the pair "
		"at once; settling in %d s",
		sa->cfg->name, qm->spi_in, qm->spi_out, o->spi_in, o->spi_out,
		TWIN_SETTLE_MS / 1000);
	settle_later(sa);
}

void twins_pass_on(struct ike_sa *sa)
{
	struct ike_sa *o;

	if (!sa->twin_ms)
		return;
	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		if (o == sa || !current(o))
			continue;
		if (!o->twin_ms || o->twin_ms > sa->twin_ms) {
			o->twin_ms = sa->twin_ms;
			o->twin_waited = sa->twin_waited;
			ike_sa_due_by(o, o->twin_ms);
		}
		return;
	}
}

/* Whether a current IKE SA of KEEP's tunnel other than QM's holder has QM's pair with QM's selectors. */
static bool duplicated(const struct ike_sa *keep, const struct quick_mode *qm)
{
	const struct quick_mode *o;
	const struct ike_sa *s;

	for_each_tunnel_sa(s, keep->ctx, keep->cfg)
		for (o = s->qms; current(s) && o; o = o->next)
			if (o != qm && o->installed && o->state == QM_DONE && !o->delete_ms &&
			    o->pair == qm->pair && ts_sel_equal(&o->sel, &qm->sel))
				return true;
	return false;
}

/* The pair under KEEP with REF's selectors that our device sends on, or NULL. */
static const struct quick_mode *sending(const struct ike_sa *keep, const struct quick_mode *ref)
{
	const struct quick_mode *qm;

	for (qm = keep->qms; qm; qm = qm->next)
		if (qm->pair == ref->pair && ts_sel_equal(&qm->sel, &ref->sel) && qm->installed &&
		    qm->state == QM_DONE && qm->out_active && !qm->delete_ms)
			return qm;
	return NULL;
}

/*
 * The sub-tunnels KEEP must negotiate anew: those with two pairs in the
 * kernel for the same selectors, or with a pair under another IKE SA
 * (pairs a peer with narrower sub-tunnels made side by side stay). With a
 * PEER_RULE-less peer, whose kernel (xfrm) sends on whichever SA of a
 * pair is left, not those where we send on a pair under KEEP: that one
 * stays, and the others are deleted (settle()).
 */
static uint32_t to_renew(const struct ike_sa *keep, bool peer_rule)
{
	const struct quick_mode *qm;
	const struct ike_sa *o;
	uint32_t renew = 0;

	for_each_tunnel_sa(o, keep->ctx, keep->cfg)
		for (qm = o->qms; current(o) && qm; qm = qm->next)
			if (qm->installed && qm->state == QM_DONE && !qm->delete_ms &&
			    qm->pair < CONFIG_PAIRS_MAX && (o != keep || duplicated(keep, qm)) &&
			    (peer_rule || !sending(keep, qm)))
				renew |= 1u << qm->pair;
	return renew;
}

/* Whether KEEP's tunnel has another current IKE SA, or a spare pair. */
static bool unsettled(const struct ike_sa *keep)
{
	const struct ike_sa *o;

	for_each_tunnel_sa(o, keep->ctx, keep->cfg)
		if (o != keep && current(o))
			return true;
	return to_renew(keep, true) != 0;
}

/*
 * QM, a spare pair under SA: DELETE goes to the peer now, so that it stops
 * sending on it (an xfrm peer sends on the pair left), and it leaves our
 * kernel at END, once what the peer sent on it has arrived.
 */
static void delete_spare(struct ike_sa *sa, struct quick_mode *qm, uint64_t end)
{
	ike_log("%s: deleting the spare ESP SAs %08x/%08x", sa->cfg->name, qm->spi_in, qm->spi_out);
	info_delete_esp(sa, qm->spi_in);
	qm->delete_sent = true;
	qm->delete_ms = end;
	ike_sa_due_by(sa, end);
}

/*
 * Keep KEEP alone. The sub-tunnels that need it are negotiated anew under
 * it: their pairs in the kernel now are deleted once the new pair is in
 * (rekey_installed), the other current IKE SAs once the grace after it is
 * over (reauth_installed). The other spare pairs go at once (DELETE) and
 * from the kernel after the grace; so do the other IKE SAs without a
 * renewal.
 */
static void settle(struct ike_sa *keep, bool peer_rule)
{
	uint32_t renew = to_renew(keep, peer_rule);
	uint64_t end = keep->ctx->now_ms + REKEY_GRACE_MS;
	char cookies[IKE_COOKIES_STR];
	struct quick_mode *qm;
	struct ike_sa *o;

	for_each_tunnel_sa(o, keep->ctx, keep->cfg) {
		if (o != keep && !current(o))
			continue;
		for (qm = o->qms; qm; qm = qm->next) {
			if (!qm->installed || qm->state != QM_DONE || qm->delete_ms ||
			    qm->pair >= CONFIG_PAIRS_MAX)
				continue;
			if (renew & (1u << qm->pair))
				qm->rekey_ours = true;
			else if (o != keep || (sending(keep, qm) && sending(keep, qm) != qm))
				delete_spare(o, qm, end);
		}
		if (o == keep)
			continue;
		o->twin_loser = true;
		ike_log("%s: deleting IKE SA %s%s", o->cfg->name, ike_cookies_str(o, cookies),
			renew ? " once the new pairs are in" : " after the grace period");
		if (!renew) {
			o->retire_ms = end;
			ike_sa_due_by(o, o->retire_ms);
		}
	}
	if (!renew)
		return;
	ike_log("%s: renewing %d pair(s) under IKE SA %s", keep->cfg->name,
		__builtin_popcount(renew), ike_cookies_str(keep, cookies));
	pairs_renew(keep, renew);
}

void twins_tick(struct ike_sa *sa, int64_t *next)
{
	char cookies[IKE_COOKIES_STR];
	uint64_t now = sa->ctx->now_ms;
	struct ike_sa *keep;
	bool peer_rule;

	if (!sa->twin_ms)
		return;
	if (now < sa->twin_ms) {
		ike_timer_at(next, sa->twin_ms, now);
		return;
	}
	sa->twin_ms = 0;
	peer_rule = peer_settles(sa);
	keep = keeper(sa, peer_rule);
	if (!keep || !unsettled(keep)) {
		ike_log("%s: simultaneous negotiations settled: one IKE SA, one pair per "
			"sub-tunnel",
			sa->cfg->name);
		return;
	}
	if (peer_rule && !keep->initiator && !sa->twin_waited) {
		ike_log("%s: keeping IKE SA %s (the lowest cookies): its initiator, the peer, "
			"renews the pairs under it",
			sa->cfg->name, ike_cookies_str(keep, cookies));
		sa->twin_waited = true;
		sa->twin_ms = now + TWIN_FALLBACK_MS;
		ike_timer_at(next, sa->twin_ms, now);
		return;
	}
	ike_log("%s: keeping IKE SA %s (%s)", sa->cfg->name, ike_cookies_str(keep, cookies),
		!peer_rule	  ? "the peer's: it does not settle twins"
		: keep->initiator ? "the lowest cookies"
				  : "the lowest cookies; the peer did not settle them");
	settle(keep, peer_rule);
	ike_sa_due_by(keep, now);
}
