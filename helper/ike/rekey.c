// SPDX-License-Identifier: GPL-2.0
/*
 * Rekeying of CHILD SAs, make-before-break, each sub-tunnel (pairs.c) on
 * its own. A pair's rekey is due at about 90% of its lifetime on the side
 * that initiated its Quick Mode, at 95% on the other (the kernel's soft
 * limit), each minus jitter; then a new Quick Mode runs under the same IKE
 * SA. When the new pair is in (inbound first, then the outbound SA, which
 * the module switches atomically), the older pairs it supersedes are
 * never rekeyed. A pair whose rekey
 * we started has its inbound SA deleted, and a DELETE sent for it, after
 * REKEY_GRACE_MS, so that packets still in flight decrypt; so has one a
 * peer other than esptun rekeyed (pluto and charon may never delete it);
 * one an esptun peer rekeyed waits for the peer's DELETE.
 *
 * A side whose rekey is due while the peer's Quick Mode is half done (QM2
 * sent, QM3 not yet in) waits for it. Collisions (both sides rekey at
 * once) leave two new pairs: each side sends on the one it installed last
 * and deletes only the pair whose rekey it started, so no SA in use is
 * deleted; the two new ones are then settled as twins are (twins.c).
 */
#include <stdio.h>
#include <string.h>

#include "ike_sa.h"
#include "lifecycle.h"

#define REKEY_RETRY_MS 5000
#define REKEY_WAIT_MS 200
#define QM_SWITCH_POLL_MS 20

uint64_t rekey_after_ms(uint32_t life_s, bool initiator)
{
	uint64_t life_ms = (uint64_t)life_s * 1000,
		 spread = initiator ? life_ms / 20 : life_ms / 40;
	uint32_t r = 0;

	if (spread && !ike_random(&r, sizeof(r)))
		spread = r % spread;
	else
		spread = 0;
	return (initiator ? life_ms * 9 / 10 : life_ms * 19 / 20) - spread;
}

uint32_t rekey_soft_s(uint32_t life_s)
{
	return life_s - life_s / 20;
}

uint64_t rekey_soft_bytes(uint32_t life_kb, bool initiator)
{
	uint64_t bytes = (uint64_t)life_kb * 1024;

	return initiator ? bytes / 10 * 9 : bytes / 20 * 19;
}

void rekey_kernel_event(struct ike_ctx *ctx, const char *ifname, bool in, uint32_t spi, bool hard)
{
	struct quick_mode *qm = NULL;
	struct ike_sa *sa;

	for_each_named_sa(sa, ctx, ifname) {
		for (qm = sa->qms; qm; qm = qm->next)
			if (qm->installed && (in ? qm->spi_in : qm->spi_out) == spi)
				break;
		if (qm)
			break;
	}
	if (!qm)
		return;
	/* A pair gone, or a rekey due now: the tunnel's SAs look again. */
	ike_sa_touch(sa);
	if (hard) {
		ike_changed(ctx, sa->cfg);
		/* The other half runs to its own limit; the kernel removes it then. */
		ike_log("%s: the kernel removed ESP SA %08x: it reached its hard limit", ifname,
			spi);
		if (in) {
			qm->installed = false;
		} else {
			qm->out_active = false;
			qm->out_kept = false;
		}
	} else if (!qm->rekeyed && (!qm->rekey_ms || qm->rekey_ms > ctx->now_ms)) {
		ike_log("%s: ESP SA %08x reached its soft limit in the kernel: rekeying now",
			ifname, spi);
		qm->rekey_ms = ctx->now_ms;
	}
}

void rekey_remove(struct ike_sa *sa, struct quick_mode *qm)
{
	if (!qm->installed)
		return;
	sa->ctx->remove(sa->ctx->arg, sa->cfg, qm->spi_in,
			qm->out_active || qm->out_kept ? qm->spi_out : 0);
	qm->installed = false;
	qm->out_active = false;
	qm->out_kept = false;
}

/*
 * The grace period, cut short so that the DELETE goes out before the hard
 * expiry, but never to nothing: it starts as QM3 leaves, and until the
 * peer has taken QM3 it still sends on the old pair. Close to the hard
 * expiry, half of the time left is kept for that.
 */
uint64_t rekey_grace_end(const struct quick_mode *qm, uint64_t now)
{
	uint64_t end = now + REKEY_GRACE_MS, margin;

	if (!qm->hard_ms || end + 1000 <= qm->hard_ms)
		return end;
	if (qm->hard_ms <= now)
		return now;
	margin = (qm->hard_ms - now) / 2;
	return qm->hard_ms - (margin < 1000 ? margin : 1000);
}

/*
 * Whether the new pair QM takes over from the older pair O: a pair of the
 * same sub-tunnel that we negotiated (our rekey, or our first pair after
 * the peer's), or the peer's pair for the selectors O carries. Pairs the
 * peer negotiated for other selectors within one sub-tunnel of ours (a
 * peer with narrower sub-tunnels) stand side by side.
 */
static bool supersedes(const struct quick_mode *qm, const struct quick_mode *o)
{
	return o != qm && o->pair == qm->pair && (qm->initiator || ts_sel_equal(&o->sel, &qm->sel));
}

void rekey_installed(struct ike_sa *sa, struct quick_mode *qm, uint32_t life_s)
{
	uint64_t now = sa->ctx->now_ms;
	struct ike_sa *s;
	struct quick_mode *o;

	qm->out_active = true;
	/* The pair came up: should it go missing, it is negotiated again at once. */
	sa->pair_retry_ms[qm->pair] = 0;
	/*
	 * The kernel counts from each SA's addition; the inbound one came first,
	 * maybe a round trip or retransmissions ago: time the pair from it.
	 */
	qm->hard_ms = life_s ? qm->added_ms + (uint64_t)life_s * 1000 : 0;
	qm->rekey_ms = life_s ? qm->added_ms + rekey_after_ms(life_s, qm->initiator) : 0;
	if (life_s)
		ike_sa_due_by(sa, qm->rekey_ms);
	/* Every older pair it supersedes, under this IKE SA or an older one. */
	for_each_tunnel_sa(s, sa->ctx, sa->cfg) {
		for (o = s->qms; o; o = o->next) {
			/* A responder's half-installed pair (QM3 not yet in) is newer. */
			if (!supersedes(qm, o) || !o->installed || o->state != QM_DONE)
				continue;
			/*
			 * The kernel replaced o's outbound SA only if both carry the
			 * same selector; otherwise it stays in until o is removed.
			 */
			if (o->out_active && !ts_sel_equal(&o->sel, &qm->sel))
				o->out_kept = true;
			o->out_active = false;
			o->rekeyed = true;
			if (o->delete_ms)
				continue;
			if ((o->rekey_ours && qm->initiator) ||
			    (!qm->initiator && !sa->peer_twins)) {
				/*
				 * Ours to delete: our rekey's, or one a peer other than
				 * esptun replaced, which may never DELETE it (pluto;
				 * charon's delete_rekeyed = no): a spare until expiry.
				 */
				o->delete_ms = rekey_grace_end(o, now);
				ike_sa_due_by(s, o->delete_ms);
			} else if (!o->rekey_ours) {
				twins_pair_installed(sa, qm, o);
			}
		}
	}
}

uint64_t rekey_switch_by(const struct ike_sa *sa, const struct quick_mode *qm)
{
	uint64_t now = sa->ctx->now_ms, by = now + QM_SWITCH_MS, latest;
	const struct ike_sa *s;
	const struct quick_mode *o;
	bool rekey = false;

	for_each_tunnel_sa(s, sa->ctx, sa->cfg) {
		for (o = s->qms; o; o = o->next) {
			if (!supersedes(qm, o) || !o->installed || !o->out_active)
				continue;
			rekey = true;
			/* Half of what the old pair has left, so it still carries until then. */
			latest = o->hard_ms > now ? now + (o->hard_ms - now) / 2 : now;
			if (o->hard_ms && latest < by)
				by = latest;
		}
	}
	return rekey ? by : 0;
}

/* QM (QM_I_QM3_SENT) switches to its outbound SA once the peer sends on the new pair. */
static void switch_tick(struct ike_sa *sa, struct quick_mode *qm, int64_t *next)
{
	uint64_t now = sa->ctx->now_ms, n = 0;

	if (now < qm->switch_ms && sa->ctx->esp_packets &&
	    (sa->ctx->esp_packets(sa->ctx->arg, sa->cfg, true, qm->spi_in, &n) || !n)) {
		ike_timer_at(next, now + QM_SWITCH_POLL_MS, now);
		return;
	}
	ike_log("%s: %s: switching to the new outbound SA", sa->cfg->name,
		n ? "the peer sends on the new pair" : "no packet from the peer on it yet");
	qm_switch_out(sa, qm);
}

/* Our rekey of QM failed (no new pair, no exchange under way): try again, before its end. */
static bool rekey_lost(const struct ike_sa *sa, const struct quick_mode *qm)
{
	const struct quick_mode *o;

	if (!qm->rekey_ours || !qm->out_active)
		return false;
	for (o = sa->qms; o; o = o->next)
		if (o->pair == qm->pair && o->initiator &&
		    (o->state == QM_I_QM1_SENT || o->state == QM_I_QM3_SENT))
			return false;
	return true;
}

/*
 * The peer's rekey of QM's sub-tunnel is under way: we answered its QM1,
 * its QM3 has not come. Its new pair will supersede ours; starting our
 * own now would only make a spare pair that ages out.
 */
static bool peer_rekeying(const struct ike_sa *sa, const struct quick_mode *qm)
{
	const struct quick_mode *o;

	for (o = sa->qms; o; o = o->next)
		if (o->pair == qm->pair && !o->initiator && o->state == QM_R_QM2_SENT)
			return true;
	return false;
}

void rekey_tick(struct ike_sa *sa, int64_t *next)
{
	uint64_t now = sa->ctx->now_ms;
	struct quick_mode *qm, *due = NULL;
	bool ours = pairs_negotiating(sa), wait;

	for (qm = sa->qms; qm; qm = qm->next) {
		if (qm->installed && qm->state == QM_I_QM3_SENT)
			switch_tick(sa, qm, next);
		if (!qm->installed || qm->state == QM_I_QM3_SENT)
			continue;
		/* One Quick Mode of ours at a time (pairs_negotiating). */
		wait = ours || peer_rekeying(sa, qm);
		if (qm->delete_ms && now >= qm->delete_ms) {
			ike_log("%s: rekeyed: deleting the old inbound SA %08x", sa->cfg->name,
				qm->spi_in);
			if (sa->state == MM_ESTABLISHED && !qm->delete_sent)
				info_delete_esp(sa, qm->spi_in);
			rekey_remove(sa, qm);
			continue;
		}
		if (qm->hard_ms && now >= qm->hard_ms) {
			/* The kernel has removed both halves itself. */
			ike_log("%s: ESP SAs %08x/%08x reached their hard lifetime", sa->cfg->name,
				qm->spi_in, qm->spi_out);
			qm->installed = false;
			qm->out_active = false;
			continue;
		}
		if (qm->rekeyed && rekey_lost(sa, qm) && now >= qm->rekey_ms + REKEY_RETRY_MS &&
		    now + REKEY_RETRY_MS < qm->hard_ms) {
			qm->rekeyed = false;
			qm->rekey_ms = now;
		}
		if (!qm->rekeyed && qm->rekey_ms && now >= qm->rekey_ms && !due &&
		    sa->state == MM_ESTABLISHED && !wait)
			due = qm;
		ike_timer_at(next, qm->hard_ms, now);
		ike_timer_at(next, qm->delete_ms, now);
		if (!qm->rekeyed && wait && qm->rekey_ms && now >= qm->rekey_ms)
			ike_timer_at(next, now + REKEY_WAIT_MS, now);
		else if (!qm->rekeyed)
			ike_timer_at(next, qm->rekey_ms, now);
		else if (qm->rekey_ours && qm->out_active)
			ike_timer_at(next, qm->rekey_ms + REKEY_RETRY_MS, now);
	}
	if (!due) {
		pairs_tick(sa, next);
		return;
	}
	/* Once per pair: later ticks only retry a rekey that failed. */
	due->rekeyed = true;
	due->rekey_ours = true;
	due->rekey_ms = now;
	ike_log("%s: rekeying ESP SAs %08x/%08x", sa->cfg->name, due->spi_in, due->spi_out);
	if (qm_start(sa, due->pair))
		ike_log("%s: cannot start the rekeying Quick Mode", sa->cfg->name);
	ike_timer_at(next, now + REKEY_RETRY_MS, now);
}

/*
 * Whether PAIR of T cannot be rekeyed now: an exchange of it in flight, or
 * our last rekey's old pair in its grace period. A second new pair would
 * only be a spare that ages out.
 */
static bool pair_rekeying(const struct ike_ctx *ctx, const struct tunnel_cfg *t, unsigned int pair)
{
	const struct quick_mode *qm;
	const struct ike_sa *sa;

	for_each_tunnel_sa(sa, ctx, t) {
		if (sa->state != MM_ESTABLISHED)
			continue;
		for (qm = sa->qms; qm; qm = qm->next)
			if (qm->pair == pair &&
			    (qm->state != QM_DONE || (qm->installed && qm->delete_ms) ||
			     (qm->out_active &&
			      (qm->rekeyed || (qm->rekey_ms && qm->rekey_ms <= ctx->now_ms)))))
				return true;
	}
	return false;
}

int rekey_now(struct ike_ctx *ctx, const struct tunnel_cfg *t, char *msg, size_t len)
{
	struct quick_mode *qm, *last = NULL;
	unsigned int active = 0, busy = 0;
	struct ike_sa *sa;

	for_each_tunnel_sa(sa, ctx, t) {
		if (sa->state != MM_ESTABLISHED)
			continue;
		for (qm = sa->qms; qm; qm = qm->next) {
			if (!qm->installed || !qm->out_active || qm->state != QM_DONE)
				continue;
			active++;
			last = qm;
			if (pair_rekeying(ctx, t, qm->pair)) {
				busy++;
				continue;
			}
			qm->rekey_ms = ctx->now_ms;
			ike_sa_due_by(sa, ctx->now_ms);
		}
	}
	if (!active) {
		snprintf(msg, len, "%s has no established ESP SAs to rekey", t->name);
		return -1;
	}
	if (busy == active) {
		snprintf(msg, len,
			 "%s: a rekey is under way (its Quick Mode, or the old pair's %u s grace "
			 "period): ESP SAs %08x/%08x",
			 t->name, REKEY_GRACE_MS / 1000, last->spi_in, last->spi_out);
		return -1;
	}
	if (active == 1)
		snprintf(msg, len, "%s: rekeying ESP SAs %08x/%08x", t->name, last->spi_in,
			 last->spi_out);
	else
		snprintf(msg, len, "%s: rekeying %u of %u sub-tunnels", t->name, active - busy,
			 active);
	ike_log("%s: rekey asked for (esptun rekey)", t->name);
	return 0;
}
