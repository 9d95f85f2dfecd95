// SPDX-License-Identifier: GPL-2.0
/*
 * CHILD SA rekeying between two in-memory negotiators on a fake clock
 * (a second per tick): the initiator rekeys before the hard expiry, the
 * peer accepts the Quick Mode on the established IKE SA, the old inbound
 * SA stays until the grace period ends (rekeying side) or the peer's
 * DELETE arrives (other side), both sides rekeying at once converge, and
 * at every tick each side's outbound SA is an inbound SA the other holds.
 */
#include "peers.h"

#define LIFE 100

static void setup(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	a.t.lifetime = b.t.lifetime = LIFE;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
}

static void test_rekey(void)
{
	uint32_t old_a, old_b;
	int i;

	setup();
	a.sending = b.sending = true; /* the new pair's outbound SA goes in with QM3 */
	old_a = a.child[0].spi_in;
	old_b = b.child[0].spi_in;
	CHECK(a.child[0].soft_s == LIFE - LIFE / 20 && a.child[0].life_s == LIFE);
	/* The initiator rekeys between 85% and 90%; the responder would only at 92.5%. */
	CHECK(run_checked(80));
	CHECK(a.nchild == 1);
	for (i = 0; i < 12 && a.nchild == 1; i++)
		CHECK(run_checked(1));
	CHECK(a.nchild == 2 && b.nchild == 2 && pair_matches(1));
	CHECK(a.out_spi == a.child[1].spi_out && b.out_spi == b.child[1].spi_out);
	/* Both old inbound SAs are still there until the grace period ends. */
	CHECK(find_in(&a, old_a) && find_in(&b, old_b) && a.nremoved == 0 && b.nremoved == 0);
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 1));
	/* A deleted its old inbound SA and told B, which removed its own: inbound only. */
	CHECK(a.nremoved == 1 && a.removed_in == old_a && a.removed_out == 0);
	CHECK(b.nremoved == 1 && b.removed_in == old_b && b.removed_out == 0);
	CHECK(!find_in(&a, old_a) && !find_in(&b, old_b));
	/* Four more lifetimes: a rekey each, never a hard expiry, never a break. */
	CHECK(run_checked(4 * LIFE));
	CHECK(a.nchild >= 5 && a.nchild == b.nchild);
	for (i = 0; i < a.nchild; i++)
		CHECK(pair_matches(i));
	CHECK(installed(&a) <= 2 && installed(&b) <= 2);
	cleanup();
}

/* The responder of the first Quick Mode rekeys: the initiator answers, as responder. */
static void test_peer_rekeys(void)
{
	uint32_t old_a;

	setup();
	a.sending = b.sending = true; /* the new pair's outbound SA goes in with QM3 */
	old_a = a.child[0].spi_in;
	b.ctx.sas->qms->rekey_ms = b.ctx.now_ms + 10000;
	ike_sa_due_by(b.ctx.sas, b.ctx.now_ms); /* its timers moved */
	CHECK(run_checked(12));
	CHECK(a.nchild == 2 && b.nchild == 2 && pair_matches(1));
	CHECK(a.ctx.sas->qms->rekeyed && !a.ctx.sas->qms->rekey_ours);
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 1));
	/* B's DELETE removed A's old inbound SA; A never rekeyed the superseded pair. */
	CHECK(a.nremoved == 1 && a.removed_in == old_a && !find_in(&a, old_a));
	CHECK(run_checked(LIFE / 2));
	CHECK(a.nchild == 2);
	cleanup();
}

/* Both sides start a rekey in the same tick: two new pairs, no SA in use deleted. */
static void test_collision(void)
{
	setup();
	a.ctx.sas->qms->rekey_ms = a.ctx.now_ms + 5000;
	ike_sa_due_by(a.ctx.sas, a.ctx.now_ms); /* its timers moved */
	b.ctx.sas->qms->rekey_ms = b.ctx.now_ms + 5000;
	ike_sa_due_by(b.ctx.sas, b.ctx.now_ms); /* its timers moved */
	CHECK(run_checked(6));
	CHECK(a.nchild == 3 && b.nchild == 3);
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 1));
	/* Each deleted the first pair; the two new ones stay. */
	CHECK(!find_in(&a, a.child[0].spi_in) && !find_in(&b, b.child[0].spi_in));
	CHECK(installed(&a) == 2 && installed(&b) == 2);
	/* Later rekeys converge back to one pair in use and one spare at most. */
	CHECK(run_checked(3 * LIFE));
	CHECK(installed(&a) <= 3 && installed(&b) <= 3);
	cleanup();
}

/* A rekey due while the peer's Quick Mode waits for its QM3 waits too: no spare pair. */
static void test_peer_rekey_pending(void)
{
	setup();
	a.ctx.sas->qms->rekey_ms = a.ctx.now_ms + 5000;
	ike_sa_due_by(a.ctx.sas, a.ctx.now_ms); /* its timers moved */
	b.ctx.sas->qms->rekey_ms = b.ctx.now_ms + 6000;
	ike_sa_due_by(b.ctx.sas, b.ctx.now_ms); /* its timers moved */
	/* A's QM1, B's QM2, then A's QM3: lost, so B's QM2 is retransmitted. */
	drop_nth = seq + 3;
	CHECK(run_checked(6));
	CHECK(a.nchild == 2 && b.nchild == 2);
	CHECK(b.ctx.sas->qms->next && b.ctx.sas->qms->next->state == QM_R_QM2_SENT);
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 10));
	CHECK(a.nchild == 2 && b.nchild == 2 && pair_matches(1));
	CHECK(installed(&a) == 1 && installed(&b) == 1);
	cleanup();
}

/*
 * Each side adds its inbound SA before it sends the QM2 or QM3 on which the
 * peer adds, and sends on, the outbound twin: with the peer acting on QM2
 * (QM3) before the responder (initiator) has gone on, no outbound SA is
 * ever added before the other side holds the inbound one.
 */
static void test_inbound_first(void)
{
	for (int i = 0; i < 2; i++) {
		setup();
		sync_from = i ? &b : &a;
		CHECK(run_checked(2 * LIFE));
		CHECK(a.nchild >= 3 && a.nchild == b.nchild);
		CHECK(a.early_out == 0 && b.early_out == 0);
		cleanup();
	}
}

/*
 * The kernel's soft limit (bytes, here) starts a rekey at once; the shorter
 * byte lifetime wins; a hard limit means the kernel removed the SA.
 */
static void test_kernel_limits(void)
{
	uint64_t kb = 2048;

	setup();
	a.t.lifetime_kb = 2 * kb;
	b.t.lifetime_kb = kb;
	rekey_kernel_event(&b.ctx, a.t.name, false, b.out_spi, false);
	CHECK(run_checked(2));
	CHECK(a.nchild == 2 && b.nchild == 2 && pair_matches(1));
	CHECK(a.child[1].life_kb == kb && b.child[1].life_kb == kb);
	/* B started that Quick Mode: its soft limit comes first, in both directions. */
	CHECK(b.child[1].soft_bytes == kb * 1024 / 10 * 9 &&
	      a.child[1].soft_bytes == kb * 1024 / 20 * 19);
	/* Events for another device or an unknown SPI change nothing. */
	rekey_kernel_event(&a.ctx, "vpn9", true, a.child[1].spi_in, true);
	rekey_kernel_event(&a.ctx, a.t.name, true, 0x12345678, true);
	CHECK(find_in(&a, a.child[1].spi_in) && find_in(&a, a.child[0].spi_in));
	rekey_kernel_event(&a.ctx, a.t.name, true, a.child[0].spi_in, true);
	CHECK(!find_in(&a, a.child[0].spi_in) && find_in(&a, a.child[1].spi_in));
	CHECK(run_checked(LIFE / 2));
	cleanup();
}

/* The peer deleted the tunnel's only pair: the initiator negotiates another at once. */
static void test_pair_deleted(void)
{
	struct ike_sa *sb;

	setup();
	sb = b.ctx.sas;
	info_delete_esp(sb, sb->qms->spi_in);
	rekey_remove(sb, sb->qms);
	run(3);
	CHECK(a.nchild == 2 && b.nchild == 2 && pair_matches(1));
	CHECK(installed(&a) == 1 && installed(&b) == 1);
	cleanup();
}

/*
 * A responder that adds a new pair only once it has QM3, as charon does:
 * the rekey's initiator keeps sending on the old pair until the peer sends
 * on the new one, so no packet goes out on an SA the peer does not hold.
 */
static void test_late_responder(void)
{
	setup();
	b.late_in = true;
	a.spi_exact = true;
	a.sending = b.sending = true;
	CHECK(run_checked(3 * LIFE));
	CHECK(a.nchild >= 3 && a.nchild == b.nchild);
	CHECK(a.early_out == 0);
	cleanup();
}

/* A peer that stopped answering: the rekey is retried, then the pair expires. */
/*
 * esptun rekey, from either side, ten times in a row: each a new pair,
 * make-before-break, the old inbound SA gone after the grace period; a
 * second request while one is under way, or before any pair, is refused.
 */
static void test_forced(void)
{
	char msg[128];
	int i;

	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == -1 && strstr(msg, "no established"));
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	a.sending = b.sending = true;
	for (i = 0; i < 10; i++) {
		struct side *s = i % 2 ? &b : &a;
		int n = a.nchild;

		CHECK(rekey_now(&s->ctx, &s->t, msg, sizeof(msg)) == 0 && strstr(msg, "rekeying"));
		CHECK(rekey_now(&s->ctx, &s->t, msg, sizeof(msg)) == -1 &&
		      strstr(msg, "under way"));
		CHECK(run_checked(3));
		CHECK(a.nchild == n + 1 && b.nchild == n + 1 && pair_matches(n));
		/* The old pair's grace period is part of the rekey. */
		CHECK(rekey_now(&s->ctx, &s->t, msg, sizeof(msg)) == -1 && strstr(msg, "grace"));
		CHECK(run_checked(REKEY_GRACE_MS / 1000 + 1));
		CHECK(installed(&a) == 1 && installed(&b) == 1);
	}
	/* Within the hour of lifetime, nothing rekeys by itself afterwards. */
	CHECK(run_checked(600) && a.nchild == 11 && b.nchild == 11);
	cleanup();
}

static void test_dead_peer(void)
{
	struct quick_mode *qm;

	setup();
	b.dead = true;
	run(LIFE + 5);
	qm = a.ctx.sas ? a.ctx.sas->qms : NULL;
	CHECK(qm && !qm->installed && a.nchild == 1);
	cleanup();
}

int main(void)
{
	test_rekey();
	test_peer_rekeys();
	test_collision();
	test_peer_rekey_pending();
	test_inbound_first();
	test_kernel_limits();
	test_pair_deleted();
	test_late_responder();
	test_forced();
	test_dead_peer();
	TEST_DONE("test_ike_rekey");
}
