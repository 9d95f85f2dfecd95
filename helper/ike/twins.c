// SPDX-License-Identifier: GPL-2.0
/*
 * Simultaneous negotiations. When both ends start phase 1 at once (both
 * start = initiate, or both restart after DPD found the other gone), a
 * tunnel gets two IKE SAs, twins: each came up while the other was being
 * negotiated (a re-authentication starts long after its predecessor came
 * up). Each initiator brings its pairs up under its own. Each side then sends on the pair it installed last,
 * which in a symmetric race is the peer's: two pairs carry the traffic,
 * and each would be rekeyed and re-authenticated on its own from then on.
 *
 * Both ends settle it the same way without a word about it: of the
 * established IKE SAs, the one with the lowest cookie pair (the
 * initiator's cookie, then the responder's, as they are on the wire)
 * stays. TWIN_SETTLE_MS after the second came up, which gives a peer with
 * a rule of its own time to apply it first (strongSwan's unique = replace
 * deletes the older IKE SA 10 s after the newer), the side that initiated
 * the one that stays renews every sub-tunnel under it by Quick Mode. The
 * new pair supersedes all the sub-tunnel's pairs on both sides, and the
 * old ones are deleted with DELETE after the grace period, as a rekey's
 * are (rekey.c); so is the other IKE SA, as a re-authentication's
 * predecessor is (reauth.c). The other side only answers, unless
 * TWIN_FALLBACK_MS later nothing was settled: a peer without this rule
 * (any but esptun), and then it renews them itself.
 */
#include <string.h>

#include "ike_sa.h"

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

/* The IKE SA both ends keep for SA's tunnel: the current one with the lowest cookies. */
static struct ike_sa *keeper(struct ike_sa *sa)
{
	struct ike_sa *o, *keep = NULL;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (current(o) && (!keep || cookie_cmp(o, keep) < 0))
			keep = o;
	return keep;
}

/*
 * Whether SA's tunnel still has more than one current IKE SA, or a
 * sub-tunnel with more than one pair in the kernel that nobody deletes.
 */
static bool unsettled(const struct ike_sa *sa)
{
	unsigned int pairs[CONFIG_PAIRS_MAX] = { 0 }, sas = 0;
	const struct quick_mode *qm;
	const struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		if (!current(o))
			continue;
		sas++;
		for (qm = o->qms; qm; qm = qm->next)
			if (qm->installed && qm->state == QM_DONE && !qm->delete_ms &&
			    qm->pair < CONFIG_PAIRS_MAX && ++pairs[qm->pair] > 1)
				return true;
	}
	return sas > 1;
}

void twins_established(struct ike_sa *sa)
{
	char mine[IKE_COOKIES_STR], theirs[IKE_COOKIES_STR];
	struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		/* Negotiated side by side: O came up after SA's first message. */
		if (o == sa || !current(o) || o->established_ms < sa->started_ms)
			continue;
		ike_log("%s: IKE SA %s came up beside IKE SA %s: both ends negotiated at once; "
			"settling in %d s",
			sa->cfg->name, ike_cookies_str(sa, mine), ike_cookies_str(o, theirs),
			TWIN_SETTLE_MS / 1000);
		sa->twin_ms = sa->ctx->now_ms + TWIN_SETTLE_MS;
		ike_sa_due_by(sa, sa->twin_ms);
		return;
	}
}

/*
 * Renew every sub-tunnel under KEEP: the pairs in the kernel now are
 * deleted once the new pair is in (rekey_installed), the other current
 * IKE SAs once the grace after it is over (reauth_installed).
 */
static void renew(struct ike_sa *keep)
{
	char cookies[IKE_COOKIES_STR];
	struct quick_mode *qm;
	struct ike_sa *o;

	for_each_tunnel_sa(o, keep->ctx, keep->cfg) {
		if (o != keep && current(o)) {
			o->twin_loser = true;
			ike_log("%s: deleting IKE SA %s and its ESP SAs once the new pairs are in",
				o->cfg->name, ike_cookies_str(o, cookies));
		}
		for (qm = o->qms; qm; qm = qm->next)
			if (qm->installed && qm->state == QM_DONE)
				qm->rekey_ours = true;
	}
	pairs_renew(keep);
}

void twins_tick(struct ike_sa *sa, int64_t *next)
{
	char cookies[IKE_COOKIES_STR];
	uint64_t now = sa->ctx->now_ms;
	struct ike_sa *keep;

	if (!sa->twin_ms)
		return;
	if (now < sa->twin_ms) {
		ike_timer_at(next, sa->twin_ms, now);
		return;
	}
	sa->twin_ms = 0;
	keep = keeper(sa);
	if (!keep || !unsettled(sa)) {
		ike_log("%s: simultaneous negotiations settled: one IKE SA, one pair per "
			"sub-tunnel",
			sa->cfg->name);
		return;
	}
	if (!keep->initiator && !sa->twin_waited) {
		ike_log("%s: keeping IKE SA %s (the lowest cookies): its initiator, the peer, "
			"renews the pairs under it",
			sa->cfg->name, ike_cookies_str(keep, cookies));
		sa->twin_waited = true;
		sa->twin_ms = now + TWIN_FALLBACK_MS;
		ike_timer_at(next, sa->twin_ms, now);
		return;
	}
	ike_log("%s: keeping IKE SA %s (the lowest cookies)%s: renewing the pairs under it",
		sa->cfg->name, ike_cookies_str(keep, cookies),
		keep->initiator ? "" : "; the peer did not settle it");
	renew(keep);
	ike_sa_due_by(keep, now);
}
