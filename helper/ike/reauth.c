// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication of IKE SAs, make-before-break. IKEv1 has no rekey of
 * phase 1: before an IKE SA expires, a new one is negotiated from scratch
 * (Main or Aggressive Mode with the PSK, so the peer proves itself again),
 * then a Quick Mode under it. Its pair supersedes the old IKE SA's pairs
 * (rekey_installed switches the outbound SA), and REKEY_GRACE_MS later the
 * side that started it deletes the old IKE SA with its ESP SAs: packets
 * the peer sent on an old pair before it took the new one still decrypt.
 *
 * The side that initiated the IKE SA starts at about 90% of its lifetime,
 * the other at 95%, and only when it may initiate (start = initiate): a
 * side that only responds may not reach its peer (behind a NAT, say).
 * Either leaves REAUTH_ROOM_MS (half that for the other side) for phase 1
 * over a slow or lossy path and the grace period, as long as that is not
 * more than half the lifetime.
 * A Quick Mode of ours that gets no answer at all starts it at once: the
 * peer has lost the IKE SA (reauth_unanswered).
 * Without a successor by the end of the lifetime the IKE SA expires, its
 * ESP SAs run to their own end, and a start = initiate tunnel negotiates
 * anew.
 *
 * A byte lifetime (RFC 2407 4.5: kilobytes protected; ike-lifetime-bytes)
 * counts the encrypted IKE messages under the SA, both ways, since both
 * use its one encryption key: at 90% (95% for the other side) it brings
 * the re-authentication forward, at all of it the SA expires.
 */
#include "ike_sa.h"
#include "lifecycle.h"

#define REAUTH_ROOM_MS (REKEY_GRACE_MS + 10000)

/* Whether this side negotiates SA's successor: it initiated SA, or may initiate. */
static bool reauths(const struct ike_sa *sa)
{
	return sa->initiator || sa->cfg->initiate;
}

void reauth_established(struct ike_sa *sa)
{
	uint64_t life_ms = (uint64_t)sa->life_s * 1000, after, room;

	if (!reauths(sa))
		return;
	after = rekey_after_ms(sa->life_s, sa->initiator);
	room = sa->initiator ? REAUTH_ROOM_MS : REAUTH_ROOM_MS / 2;
	if (room > life_ms / 2)
		room = life_ms / 2;
	if (after > life_ms - room)
		after = life_ms - room;
	sa->reauth_ms = sa->ctx->now_ms + after;
	ike_sa_due_by(sa, sa->reauth_ms);
}

/*
 * Another IKE SA of the tunnel carries it on, or is being negotiated to:
 * a newer established one, or one in phase 1, ours or the peer's once it
 * is past half-open (a forged MM1 must not hold the re-authentication off).
 */
static bool has_successor(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (o != sa && (o->state == MM_ESTABLISHED ? o->established_ms > sa->established_ms
							   : ike_sa_genuine(o)))
			return true;
	return false;
}

void reauth_tick(struct ike_sa *sa, int64_t *next)
{
	struct ike_ctx *ctx = sa->ctx;
	struct ike_sa *successor;

	if (sa->state != MM_ESTABLISHED)
		return;
	if (sa->retire_ms && ctx->now_ms >= sa->retire_ms) {
		ike_log("%s: %s: deleting the old IKE SA and its ESP SAs", sa->cfg->name,
			sa->twin_loser ? "a twin stays" : "re-authenticated");
		info_delete_all(sa); /* freed by the next ike_tick() */
		return;
	}
	ike_timer_at(next, sa->retire_ms, ctx->now_ms);
	if (!sa->reauth_ms)
		return;
	if (ctx->now_ms < sa->reauth_ms) {
		ike_timer_at(next, sa->reauth_ms, ctx->now_ms);
		return;
	}
	/* A successor that fails is freed before this runs again: then the next one starts. */
	if (has_successor(sa))
		return;
	ike_log("%s: %sa new IKE SA before this one expires in %llus", sa->cfg->name,
		sa->reauth_started ? "the last one failed: re-authenticating again, "
				   : "re-authenticating: ",
		(unsigned long long)(sa->expire_ms - ctx->now_ms) / 1000);
	sa->reauth_started = true;
	successor = ike_initiate_encap(ctx, sa->cfg, sa->encap_fallback);
	if (successor)
		successor->reauth = true;
}

/*
 * A peer that restarted drops whatever comes under the old cookies,
 * silently: Quick Mode under the old IKE SA would never be answered
 * (strongSwan, too, gives up an IKE SA whose exchange goes unanswered).
 * A refusal (an authenticated notify) shows the IKE SA alive, so it does
 * not count; nor does ESP, which runs on SAs the peer may still hold.
 */
void reauth_unanswered(struct ike_sa *sa, const struct quick_mode *qm, int64_t *next)
{
	if (!qm->initiator || qm->state != QM_I_QM1_SENT || qm->heard != sa->dpd.heard ||
	    sa->state != MM_ESTABLISHED || !reauths(sa))
		return;
	ike_log("%s: Quick Mode %08x got no answer at all: the peer may have lost the IKE SA",
		sa->cfg->name, qm->msgid);
	/* At once, before rekey_tick() tries Quick Mode under this SA again. */
	sa->reauth_ms = sa->ctx->now_ms;
	reauth_tick(sa, next);
}

void reauth_installed(struct ike_sa *sa)
{
	uint64_t now = sa->ctx->now_ms;
	struct quick_mode *qm;
	struct ike_sa *o;

	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		if (o == sa || o->state != MM_ESTABLISHED || o->retire_ms ||
		    (!o->twin_loser &&
		     (!o->reauth_started || o->established_ms >= sa->established_ms)))
			continue;
		/* The DELETEs go out before the old IKE SA or any of its pairs expires. */
		o->retire_ms = now + REKEY_GRACE_MS;
		if (o->retire_ms + 1000 > o->expire_ms)
			o->retire_ms = o->expire_ms > now + 1000 ? o->expire_ms - 1000 : now;
		for (qm = o->qms; qm; qm = qm->next)
			if (qm->installed && rekey_grace_end(qm, now) < o->retire_ms)
				o->retire_ms = rekey_grace_end(qm, now);
		ike_sa_due_by(o, o->retire_ms);
	}
}

void reauth_count(struct ike_sa *sa, size_t len)
{
	uint64_t limit = (uint64_t)sa->life_kb * 1024, now = sa->ctx->now_ms;

	if (!limit || sa->state != MM_ESTABLISHED)
		return;
	sa->bytes += len;
	if (sa->bytes >= limit && sa->expire_ms > now) {
		ike_log("%s: the IKE SA protected %llu bytes, its byte lifetime %uK: it expires",
			sa->cfg->name, (unsigned long long)sa->bytes, sa->life_kb);
		sa->expire_ms = now;
		ike_sa_due_by(sa, now);
	} else if (sa->reauth_ms > now &&
		   sa->bytes >= rekey_soft_bytes(sa->life_kb, sa->initiator)) {
		ike_log("%s: the IKE SA protected %llu bytes of its byte lifetime %uK",
			sa->cfg->name, (unsigned long long)sa->bytes, sa->life_kb);
		sa->reauth_ms = now;
		ike_sa_due_by(sa, now);
	}
}
