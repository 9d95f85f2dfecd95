/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What keeps a tunnel's SAs current once phase 1 is done: rekeying of ESP
 * pairs (rekey.c), sub-tunnels (pairs.c), simultaneous negotiations
 * (twins.c) and re-authentication of IKE SAs (reauth.c), each make-before-
 * break. The exchanges and the daemon call in here; these files call the
 * exchanges (qm_start, info_delete_*) through ike_sa.h.
 */
#ifndef ESPTUN_IKE_LIFECYCLE_H
#define ESPTUN_IKE_LIFECYCLE_H

#include "ike_sa.h"

/* rekey.c: make-before-break rekeying of CHILD SAs */
/* The grace period before the old inbound SA of a rekeyed pair is deleted. */
#define REKEY_GRACE_MS 5000
/* A rekey's initiator keeps the old outbound SA at most this long after QM3. */
#define QM_SWITCH_MS 2000
/*
 * Milliseconds into a pair's lifetime LIFE_S when its rekey starts: 90%
 * minus up to 5% jitter for the side that initiated its Quick Mode, 95%
 * minus up to 2.5% for the responder, so that both seldom collide.
 */
uint64_t rekey_after_ms(uint32_t life_s, bool initiator);
/* The kernel's soft limit in seconds: the responder's latest rekey time. */
uint32_t rekey_soft_s(uint32_t life_s);
/*
 * The kernel's soft byte limit for a pair of LIFE_KB KiB: 90% for the side
 * that initiated its Quick Mode, 95% for the other, so that the first
 * rekeys both directions of traffic before the other side would.
 */
uint64_t rekey_soft_bytes(uint32_t life_kb, bool initiator);
/*
 * The kernel reports that SA SPI of IFNAME's device (inbound when IN)
 * reached a limit: its soft limit (or its sequence numbers run out) asks
 * for a rekey now, a hard limit means the kernel removed it.
 */
void rekey_kernel_event(struct ike_ctx *ctx, const char *ifname, bool in, uint32_t spi, bool hard);
/*
 * When to delete QM's superseded pair: REKEY_GRACE_MS after NOW, cut short
 * so that the DELETE goes out before its hard expiry.
 */
uint64_t rekey_grace_end(const struct quick_mode *qm, uint64_t now);
/* QM's pair is in the kernel (both halves): arm its timers, supersede older pairs. */
void rekey_installed(struct ike_sa *sa, struct quick_mode *qm, uint32_t life_s);
/* Due rekeys, deletes after grace, pairs the kernel expired; lowers *NEXT. */
void rekey_tick(struct ike_sa *sa, int64_t *next);
/*
 * A rekey's initiator, QM3 of QM sent and its new inbound SA in: when it
 * switches to the new outbound SA at the latest (it does once the peer
 * sends on the new pair): QM_SWITCH_MS from now, or half-way to the hard
 * expiry of the active pair QM supersedes if sooner. 0 when QM's sub-tunnel
 * has no active pair: not a rekey, switch at once.
 */
uint64_t rekey_switch_by(const struct ike_sa *sa, const struct quick_mode *qm);
/* Remove QM's pair from the kernel (its outbound half only while it is ours). */
void rekey_remove(struct ike_sa *sa, struct quick_mode *qm);
/*
 * esptun rekey: rekey T's active pairs now, make-before-break as at their
 * lifetime. 0 with what starts in MSG, or -1 with why nothing can: no
 * pair, or for each a Quick Mode of its sub-tunnel under way, or our last
 * rekey's old pair not yet deleted (one rekey at a time: no third pair).
 */
int rekey_now(struct ike_ctx *ctx, const struct tunnel_cfg *t, char *msg, size_t len);

/* pairs.c: sub-tunnels, one Quick Mode and ESP SA pair per (local-ts, remote-ts) */
/* SA is established: start the first pair it brings up; pairs_tick() the rest, in turn. */
void pairs_established(struct ike_sa *sa);
/* esptun up: bring up every pair SA neither holds nor negotiates, one after another. */
void pairs_start_all(struct ike_sa *sa);
/*
 * Start the next pair SA should bring up, one Quick Mode of ours at a
 * time; an initiator's pairs that went missing come up again, each at
 * most every 30 s. Lowers *NEXT.
 */
void pairs_tick(struct ike_sa *sa, int64_t *next);
/*
 * Whether a Quick Mode we started under SA waits for its QM2. strongSwan
 * keeps the IVs of 3 phase-2 exchanges per IKE SA (max_ikev1_exchanges)
 * and fails the rest: we run one at a time, pairs and rekeys alike.
 */
bool pairs_negotiating(const struct ike_sa *sa);
/*
 * The module dropped a packet SRC -> DST (FAMILY) on IFNAME's device that
 * no outbound SA carries: bring up the sub-tunnel holding it under the
 * tunnel's IKE SA, as a crypto map does on the first packet; with none,
 * a start = initiate tunnel negotiates one first. At most every 5 s per
 * pair; a packet outside every pair is left.
 */
void pairs_acquire(struct ike_ctx *ctx, const char *ifname, int family, const uint8_t *src,
		   const uint8_t *dst);
/* Whether T has ESP SAs in the kernel: its routes go in (routes.c). */
bool pairs_up(const struct ike_ctx *ctx, const struct tunnel_cfg *t);
/* Negotiate the sub-tunnels PAIRS (a bit each) anew under SA, in turn, held pairs or not. */
void pairs_renew(struct ike_sa *sa, uint32_t pairs);
/*
 * SA is gone with pairs still in the kernel (the peer deleted the IKE SA
 * alone, as IKEv1 allows): the tunnel's newest established IKE SA takes
 * them over, so that DELETEs, rekeys and twins.c still find them.
 */
void pairs_adopt(struct ike_sa *sa);

/* twins.c: simultaneous negotiations, settled alike by both ends */
/* SA is established: is it a twin of another (both ends initiated at once)? */
void twins_established(struct ike_sa *sa);
/* Settle SA's tunnel's twins when due: the lowest cookies stay. Lowers *NEXT. */
void twins_tick(struct ike_sa *sa, int64_t *next);
/* Our vendor ID on a first message; whether VID is a peer's, noted in SA. */
void twins_add_vid(struct isakmp_builder *b);
bool twins_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid);
/*
 * QM, new under SA, supersedes O, which nobody deletes: when QM's
 * exchange began before O's ended (or just after), both ends negotiated
 * the pair at once (under one IKE SA, or twins'), and SA settles it as it
 * does twins.
 */
void twins_pair_installed(struct ike_sa *sa, const struct quick_mode *qm,
			  const struct quick_mode *o);
/* SA goes (the peer deleted it, say) before it settled its twins: another takes it over. */
void twins_pass_on(struct ike_sa *sa);

/* reauth.c: make-before-break re-authentication of IKE SAs */
/* SA is established: arm its re-authentication when this side does it. */
void reauth_established(struct ike_sa *sa);
/* Start a due successor; delete SA once the grace after its successor's pair ends. */
void reauth_tick(struct ike_sa *sa, int64_t *next);
/*
 * SA's newest ESP pair is in: the older IKE SAs we re-authenticated, and
 * the twins given up for SA (twins.c), retire after the grace.
 */
void reauth_installed(struct ike_sa *sa);
/*
 * Our Quick Mode QM under SA gave up: when the peer sent nothing
 * authenticated since its QM1, the peer has likely lost the IKE SA (it
 * restarted, or it never had AM3): re-authenticate now. Lowers *NEXT.
 */
void reauth_unanswered(struct ike_sa *sa, const struct quick_mode *qm, int64_t *next);
/*
 * SA protected an IKE message of LEN encrypted bytes, sent or received and
 * authenticated: against its byte lifetime, a re-authentication is due at
 * the share of it rekey_soft_bytes() gives, the expiry at all of it.
 */
void reauth_count(struct ike_sa *sa, size_t len);

#endif /* ESPTUN_IKE_LIFECYCLE_H */
