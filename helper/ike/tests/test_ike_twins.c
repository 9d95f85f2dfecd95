// SPDX-License-Identifier: GPL-2.0
/*
 * Simultaneous negotiations (twins.c) between two in-memory negotiators:
 * both ends initiate at once in Main Mode, in Aggressive Mode, one a
 * little after the other's IKE SA came up, with two sub-tunnels, against
 * a peer without the rule, against one that deletes the IKE SA we would
 * keep alone, and both restart together after DPD found the path dead;
 * and both rekey one pair at once under one IKE SA.
 * Each time the race must really happen (two IKE SAs on each side), and
 * end with one IKE SA (the one with the lowest cookies; the one the peer
 * initiated when it has no rule) and one pair per sub-tunnel on both
 * sides, each side sending on an SA the other decrypts all along, the
 * spare pairs removed, and nothing negotiated after that.
 */
#include "peers.h"

static int established(const struct side *s)
{
	int n = 0;

	for (const struct ike_sa *sa = s->ctx.sas; sa; sa = sa->next)
		n += sa->state == MM_ESTABLISHED;
	return n;
}

/* Run until both sides hold two established IKE SAs: whether the race happened. */
static bool race(int max_ticks)
{
	while (max_ticks-- && (established(&a) < 2 || established(&b) < 2))
		run(1);
	return established(&a) == 2 && established(&b) == 2;
}

/* The IKE SA kept is the one B initiated, not the lowest cookies. */
static bool kept_is_bs;

/* The lowest cookie pair of S's established IKE SAs, as twins.c compares them. */
static void lowest_cookies(const struct side *s, uint8_t out[16])
{
	uint8_t c[16];

	memset(out, 0xff, 16);
	for (const struct ike_sa *sa = s->ctx.sas; sa; sa = sa->next) {
		if (sa->state != MM_ESTABLISHED || (kept_is_bs && sa->initiator))
			continue;
		memcpy(c, sa->icookie, 8);
		memcpy(c + 8, sa->rcookie, 8);
		if (memcmp(c, out, 16) < 0)
			memcpy(out, c, 16);
	}
}

static bool kept(const struct side *s, const uint8_t cookies[16])
{
	const struct ike_sa *sa = s->ctx.sas;

	return sa && !sa->next && sa->state == MM_ESTABLISHED && !memcmp(sa->icookie, cookies, 8) &&
	       !memcmp(sa->rcookie, cookies + 8, 8);
}

static void setup(bool aggressive, const char *more_ts)
{
	aggressive_mode = aggressive;
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	aggressive_mode = aggressive;
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	if (more_ts) {
		set_ts(a.t.local_ts, &a.t.n_local_ts, "10.1.0.0/16");
		set_ts(a.t.remote_ts, &a.t.n_remote_ts, more_ts);
		set_ts(b.t.local_ts, &b.t.n_local_ts, more_ts);
		set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.1.0.0/16");
	}
}

/*
 * The race is on: both sides hold two IKE SAs (then THEN, if set, runs).
 * Then it settles with no break in ESP, to PAIRS pairs a side, under the
 * IKE SA both keep: the one with the lowest cookies still established.
 */
static void settles(int pairs, void (*then)(void))
{
	uint8_t low[16];
	int nchild;

	CHECK(race(30));
	if (then) {
		then();
		run(2);
	}
	lowest_cookies(&a, low);
	installed_max = 3 * pairs; /* each twin's and the renewal's */
	CHECK(run_checked(60));
	CHECK(kept(&a, low) && kept(&b, low));
	CHECK(installed(&a) == pairs && installed(&b) == pairs);
	/* Each twin's pairs and the renewal's (none when B falls back): the spares went. */
	if (!b.xfrm_out || a.nchild == 3 * pairs) {
		CHECK(a.nremoved == 2 * pairs && b.nremoved == 2 * pairs);
		CHECK(a.nchild == 3 * pairs && b.nchild == 3 * pairs);
	} else {
		CHECK(a.nremoved == pairs && b.nremoved == pairs);
		CHECK(a.nchild == 2 * pairs && b.nchild == 2 * pairs);
	}
	/* Settled for good: no Quick Mode, no removal for a while. */
	nchild = a.nchild;
	CHECK(run_checked(120));
	CHECK(a.nchild == nchild && b.nchild == nchild && installed(&a) == pairs);
	CHECK(kept(&a, low) && kept(&b, low));
}

static void test_start_together(bool aggressive)
{
	setup(aggressive, NULL);
	CHECK(ike_initiate(&a.ctx, &a.t) && ike_initiate(&b.ctx, &b.t));
	settles(1, NULL);
	cleanup();
}

/* B, told to initiate at the same time, is slower: its MM1 leaves once A's IKE SA is up. */
static void test_peer_starts_later(void)
{
	setup(false, NULL);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(2);
	CHECK(established(&a) == 1 && established(&b) == 1);
	CHECK(ike_initiate(&b.ctx, &b.t) != NULL);
	settles(1, NULL);
	cleanup();
}

static void test_sub_tunnels(void)
{
	setup(false, "10.2.0.0/16, 10.3.0.0/16");
	CHECK(ike_initiate(&a.ctx, &a.t) && ike_initiate(&b.ctx, &b.t));
	settles(2, NULL);
	cleanup();
}

/*
 * B has no rule of its own, as charon and pluto (nor their vendor ID), and
 * sends on whichever outbound SA is left, as xfrm does: A keeps the IKE
 * SA B initiated and settles the twins for both, by deleting the spare
 * pair when it sends on B's, else by renewing it.
 */
static void b_without_rule(void)
{
	b.xfrm_out = true;
	for (struct ike_sa *sa = b.ctx.sas; sa; sa = sa->next)
		sa->twin_ms = 0;
	for (struct ike_sa *sa = a.ctx.sas; sa; sa = sa->next)
		sa->peer_twins = false;
	kept_is_bs = true;
}

static void test_peer_without_rule(void)
{
	setup(false, NULL);
	CHECK(ike_initiate(&a.ctx, &a.t) && ike_initiate(&b.ctx, &b.t));
	settles(1, b_without_rule);
	kept_is_bs = false;
	cleanup();
}

/*
 * B deletes the IKE SA both would keep, alone (IKEv1 allows it; strongSwan
 * with unique = replace deletes its older IKE SA so): the other IKE SA
 * takes its pairs over on both sides, then settles them.
 */
static void b_deletes_keeper(void)
{
	struct ike_sa *sa, *low = NULL;

	for (sa = b.ctx.sas; sa; sa = sa->next)
		if (!low || memcmp(sa->icookie, low->icookie, 8) < 0)
			low = sa;
	info_delete_ike(low);
	low->state = MM_DEAD;
	ike_sa_due_by(low, b.ctx.now_ms);
}

static void test_peer_deletes_ike_sa(void)
{
	setup(false, NULL);
	CHECK(ike_initiate(&a.ctx, &a.t) && ike_initiate(&b.ctx, &b.t));
	settles(1, b_deletes_keeper);
	cleanup();
}

/*
 * Under one IKE SA both ends rekey the pair at once (esptun rekey on
 * both): two new pairs, each side sending on the peer's. Both old pairs go
 * after the grace as any rekey's; the two new ones are settled as twins.
 */
static void test_rekey_collision(void)
{
	char msg[160];
	int nchild;

	setup(false, NULL);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
	CHECK(rekey_now(&b.ctx, &b.t, msg, sizeof(msg)) == 0);
	installed_max = 3;
	CHECK(run_checked(60));
	CHECK(installed(&a) == 1 && installed(&b) == 1);
	CHECK(a.nchild == 4 && b.nchild == 4); /* the first, both rekeys', the renewal */
	nchild = a.nchild;
	CHECK(run_checked(120));
	CHECK(a.nchild == nchild && b.nchild == nchild && installed(&a) == 1);
	cleanup();
}

/*
 * Both ends find the path dead by DPD at about the same time and restart
 * (with INITIAL-CONTACT, each towards a peer it thinks it has no SA with):
 * their MM1s cross once the path is back.
 */
static void test_dpd_restart_together(void)
{
	setup(false, NULL);
	a.t.dpd_delay = b.t.dpd_delay = 10;
	a.t.dpd_timeout = b.t.dpd_timeout = 30;
	a.t.dpd_action = b.t.dpd_action = DPD_RESTART;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	a.dead = true;
	run(45);
	CHECK(a.nremoved == 1 && b.nremoved == 1); /* both cleared the tunnel */
	CHECK(a.ctx.sas && a.ctx.sas->initiator && b.ctx.sas && b.ctx.sas->initiator);
	a.nremoved = b.nremoved = 0;
	a.nchild = b.nchild = 0;
	a.dead = false;
	settles(1, NULL);
	cleanup();
}

int main(void)
{
	test_start_together(false);
	test_start_together(true);
	test_peer_starts_later();
	test_sub_tunnels();
	test_peer_without_rule();
	test_peer_deletes_ike_sa();
	test_rekey_collision();
	test_dpd_restart_together();
	TEST_DONE("test_ike_twins");
}
