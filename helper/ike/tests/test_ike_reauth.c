// SPDX-License-Identifier: GPL-2.0
/*
 * Re-authentication of the IKE SA between two in-memory negotiators on a
 * fake clock (a second per tick): before the IKE SA expires a new one is
 * negotiated, with a Quick Mode under it; its pair takes the traffic, the
 * old IKE SA and its ESP SAs are deleted after the grace period, and at
 * every tick each side's outbound SA is an inbound SA the other holds.
 * The ESP lifetime is much longer than the IKE lifetime, so every new
 * pair here comes from a re-authentication.
 */
#include "peers.h"

#define IKE_LIFE 100

static int ike_sas(const struct side *s)
{
	const struct ike_sa *sa;
	int n = 0;

	for (sa = s->ctx.sas; sa; sa = sa->next)
		n += sa->state == MM_ESTABLISHED;
	return n;
}

/* A_KB, B_KB: each side's ike-lifetime-bytes in KiB, 0 for none. */
static void setup_kb(bool b_initiates, uint32_t a_kb, uint32_t b_kb)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", b_initiates);
	a.t.ike_lifetime = b.t.ike_lifetime = IKE_LIFE;
	a.t.lifetime = b.t.lifetime = 100 * IKE_LIFE;
	a.t.ike_lifetime_kb = a_kb;
	b.t.ike_lifetime_kb = b_kb;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	/* The successor's initiator switches to its pair when the peer sends on it. */
	a.sending = b.sending = true;
}

static void setup(bool b_initiates)
{
	setup_kb(b_initiates, 0, 0);
}

/*
 * Every pair both sides negotiated carries the same keys, mirrored. When
 * both negotiate at once, each side may add the two new pairs in another
 * order.
 */
static bool pairs_match(void)
{
	for (int i = 0; i < a.nchild; i++) {
		const struct child_sa *x = &a.child[i];
		size_t len = x->alg.enc_key_len + x->alg.auth_key_len;
		int j;

		for (j = 0; j < b.nchild; j++) {
			const struct child_sa *y = &b.child[j];

			if (x->spi_in == y->spi_out && x->spi_out == y->spi_in &&
			    !memcmp(x->key_in, y->key_out, len) &&
			    !memcmp(x->key_out, y->key_in, len))
				break;
		}
		if (j == b.nchild)
			return false;
	}
	return a.nchild == b.nchild;
}

/* The initiator re-authenticates; the responder, which only responds, never starts one. */
static void test_reauth(void)
{
	uint32_t old_a, old_b;
	int i;

	setup(false);
	old_a = a.child[0].spi_in;
	old_b = b.child[0].spi_in;
	CHECK(a.ctx.sas->reauth_ms && !b.ctx.sas->reauth_ms);
	/* Due at 85% of the lifetime: the room for phase 1 and the grace period is 15 s. */
	CHECK(run_checked(80));
	CHECK(ike_sas(&a) == 1 && a.nchild == 1);
	for (i = 0; i < 10 && a.nchild == 1; i++)
		CHECK(run_checked(1));
	CHECK(a.nchild == 2 && pairs_match());
	CHECK(ike_sas(&a) == 2 && ike_sas(&b) == 2);
	CHECK(run_checked(1));
	CHECK(a.out_spi == a.child[1].spi_out && b.out_spi == b.child[1].spi_out);
	/* The old pair still decrypts during the grace period... */
	CHECK(find_in(&a, old_a) && find_in(&b, old_b));
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 1));
	/* ...then the old IKE SA and its ESP SAs are gone on both sides, before it expires. */
	CHECK(!find_in(&a, old_a) && !find_in(&b, old_b));
	CHECK(ike_sas(&a) == 1 && ike_sas(&b) == 1);
	CHECK(installed(&a) == 1 && installed(&b) == 1);
	/* Four more lifetimes: a re-authentication each, never an expiry, never a break. */
	CHECK(run_checked(4 * IKE_LIFE));
	CHECK(a.nchild >= 6 && pairs_match());
	CHECK(installed(&a) <= 2 && installed(&b) <= 2);
	cleanup();
}

/* The responder of phase 1, with start = initiate, re-authenticates when the initiator does not. */
static void test_responder_reauths(void)
{
	setup(true);
	CHECK(b.ctx.sas->reauth_ms > a.ctx.sas->reauth_ms);
	a.ctx.sas->reauth_ms = 0;
	CHECK(run_checked(IKE_LIFE));
	CHECK(a.nchild == 2 && pairs_match());
	CHECK(ike_sas(&a) == 1 && ike_sas(&b) == 1 && b.ctx.sas->initiator);
	CHECK(run_checked(3 * IKE_LIFE));
	CHECK(a.nchild >= 5 && pairs_match());
	cleanup();
}

/* Both sides start one at once: the tunnel never breaks and does not pile up SAs. */
static void test_collision(void)
{
	setup(true);
	a.ctx.sas->reauth_ms = a.ctx.now_ms + 5000;
	ike_sa_due_by(a.ctx.sas, a.ctx.now_ms); /* its timers moved */
	b.ctx.sas->reauth_ms = b.ctx.now_ms + 5000;
	ike_sa_due_by(b.ctx.sas, b.ctx.now_ms); /* its timers moved */
	CHECK(run_checked(6));
	CHECK(a.nchild == 3 && pairs_match());
	CHECK(run_checked(5 * IKE_LIFE));
	CHECK(pairs_match());
	CHECK(ike_sas(&a) <= 2 && ike_sas(&b) <= 2);
	CHECK(installed(&a) <= 3 && installed(&b) <= 3);
	cleanup();
}

/* A successor that gets no answer is given up, and another one started. */
static void test_retry(void)
{
	setup(false);
	a.ctx.sas->expire_ms = b.ctx.sas->expire_ms = a.ctx.now_ms + 3 * IKE_LIFE * 1000;
	a.ctx.sas->reauth_ms = a.ctx.now_ms + 5000;
	ike_sa_due_by(a.ctx.sas, a.ctx.now_ms); /* its timers moved */
	b.dead = true;
	run(80);
	CHECK(a.nchild == 1 && a.ctx.sas->next && a.ctx.sas->state != MM_ESTABLISHED);
	b.dead = false;
	run(60);
	CHECK(a.nchild == 2 && pairs_match());
	CHECK(ike_sas(&a) == 1 && ike_sas(&b) == 1);
	cleanup();
}

/*
 * A byte lifetime: the IKE messages of forced rekeys use it up, and the
 * initiator re-authenticates at 90% of it, long before the time lifetime.
 * The responder takes the shorter of its own and the offered one, and
 * the initiator does not learn it (the reply echoes the offer): then the
 * responder's IKE SA expires first, and its DELETE ends the initiator's
 * too, while their ESP SAs run on.
 */
static void test_byte_lifetime(void)
{
	uint8_t first[8];
	char msg[128];
	int i;

	setup_kb(false, 4, 4);
	memcpy(first, a.ctx.sas->icookie, 8);
	CHECK(a.ctx.sas->life_kb == 4 && b.ctx.sas->life_kb == 4);
	for (i = 0; i < 10 && !memcmp(a.ctx.sas->icookie, first, 8); i++) {
		CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
		CHECK(run_checked(REKEY_GRACE_MS / 1000 + 2));
	}
	/* A Quick Mode with PFS protects about 1K: the third to sixth uses up 90%. */
	CHECK(i >= 3 && i <= 6);
	CHECK(run_checked(REKEY_GRACE_MS / 1000 + 5));
	CHECK(ike_sas(&a) == 1 && ike_sas(&b) == 1 && memcmp(a.ctx.sas->icookie, first, 8));
	CHECK(a.ctx.sas->life_kb == 4 && a.ctx.sas->bytes < 2048);
	CHECK(pairs_match() && installed(&a) == 1 && installed(&b) == 1);
	cleanup();

	setup_kb(false, 8, 4);
	CHECK(a.ctx.sas->life_kb == 8 && b.ctx.sas->life_kb == 4);
	for (i = 0; i < 10 && ike_sas(&b) == 1; i++) {
		CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
		run(REKEY_GRACE_MS / 1000 + 2);
	}
	CHECK(ike_sas(&b) == 0 && ike_sas(&a) == 0 && i >= 3);
	/* Nothing took the newest pair out of the devices. */
	CHECK(a.out_spi == a.child[a.nchild - 1].spi_out &&
	      b.out_spi == b.child[b.nchild - 1].spi_out);
	cleanup();
}

/*
 * A forged MM1 from the peer's address every 20 s keeps a half-open
 * responder SA of the tunnel alive all the time: it must not pass for the
 * successor, or re-authentication would never start and the IKE SA expire.
 */
static void test_forged_mm1(void)
{
	int i;

	setup(false);
	for (i = 0; i < 4 * IKE_LIFE / 20; i++) {
		forge_mm1(&a, &b);
		CHECK(half_open(&a) >= 1);
		CHECK(run_checked(20));
	}
	CHECK(a.nchild >= 4 && pairs_match());
	CHECK(ike_sas(&a) >= 1 && ike_sas(&b) >= 1);
	/* The forged SAs are given up unanswered, each after IKE_HALF_OPEN_MS. */
	CHECK(half_open(&a) <= IKE_HALF_OPEN_MS / 20000 + 1);
	cleanup();
}

/* A peer that stops answering: no successor, the IKE SA expires, its ESP SAs stay in. */
static void test_dead_peer(void)
{
	setup(false);
	b.dead = true;
	run(IKE_LIFE + 5);
	CHECK(ike_sas(&a) == 0 && a.nchild == 1);
	cleanup();
}

/*
 * The peer lost the IKE SA (it restarted): our next Quick Mode gets no
 * answer at all. Once its retransmissions give up, a new IKE SA is
 * negotiated rather than Quick Mode tried again under the old one, in
 * Main and Aggressive Mode alike. A Quick Mode the peer refuses was
 * answered: no new phase 1 for that.
 */
static void test_peer_lost_ike_sa(void)
{
	/* QM1 sent, then again after 2, 4, 8 and 16 s, given up 32 s later. */
	const int give_up_s = IKE_RETRANSMIT_MS / 1000 * ((1 << IKE_RETRANSMIT_TRIES) - 1);
	char msg[128], err[200];

	for (int refused = 0; refused < 2; refused++) {
		for (int am = 0; am < 2; am++) {
			aggressive_mode = am;
			setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
				   "aes128gcm16-modp2048", true);
			setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
				   "aes128gcm16-modp2048", false);
			CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
			run(3);
			CHECK(keys_match());
			if (refused)
				b.t.n_esp = (size_t)prop_parse_esp("aes256gcm16", b.t.esp, err,
								   sizeof(err));
			else
				ike_ctx_free(&b.ctx);
			CHECK(rekey_now(&a.ctx, &a.t, msg, sizeof(msg)) == 0);
			/* The rekey starts at the next tick, phase 1 one tick after it gave up. */
			run(give_up_s + 3);
			if (refused) {
				CHECK(a.nchild == 1 && ike_sas(&a) == 1 && !a.ctx.sas->next);
			} else {
				CHECK(ike_sas(&b) == 1 && b.nchild == 2 && pair_matches(1));
				/* The new pair takes over, the old IKE SA goes after the grace. */
				run(REKEY_GRACE_MS / 1000 + 2);
				CHECK(a.out_spi == a.child[1].spi_out && b.out_spi == b.child[1].spi_out);
				CHECK(ike_sas(&a) == 1 && installed(&a) == 1 && installed(&b) == 1);
			}
			cleanup();
		}
	}
}

int main(void)
{
	test_reauth();
	test_responder_reauths();
	test_collision();
	test_retry();
	test_byte_lifetime();
	test_dead_peer();
	test_forged_mm1();
	test_peer_lost_ike_sa();
	TEST_DONE("test_ike_reauth");
}
