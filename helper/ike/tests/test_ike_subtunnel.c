// SPDX-License-Identifier: GPL-2.0
/*
 * Sub-tunnels (pairs.c): two negotiators back to back with two local and
 * two remote subnets each, mirrored, negotiate four Quick Modes under one
 * IKE SA, each pair with its own selectors and keys; a rekey of one pair
 * supersedes that pair alone; a responder with one wide pair takes the
 * peer's narrower ones side by side and refuses one outside; an ACQUIRE
 * brings up the pair holding the packet (phase 1 first if need be) and
 * nothing for a packet outside every pair.
 */
#include "peers.h"

static const char *const a_pairs[] = { "10.10.0.0/16 <-> 10.20.20.0/24",
				       "10.10.0.0/16 <-> 10.20.30.0/24",
				       "192.168.0.0/24 <-> 10.20.20.0/24",
				       "192.168.0.0/24 <-> 10.20.30.0/24" };

static void setup_2x2(bool initiate)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   initiate);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	set_ts(a.t.local_ts, &a.t.n_local_ts, "10.10.0.0/16, 192.168.0.0/24");
	set_ts(a.t.remote_ts, &a.t.n_remote_ts, "10.20.20.0/24, 10.20.30.0/24");
	set_ts(b.t.local_ts, &b.t.n_local_ts, "10.20.20.0/24, 10.20.30.0/24");
	set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.10.0.0/16, 192.168.0.0/24");
}

/* The child of S (as installed, in any order) whose pair reads WANT, or NULL. */
static const struct child_sa *child_of(const struct side *s, const char *want)
{
	char got[128];

	for (int i = 0; i < s->nchild; i++) {
		ts_sel_str(&s->child[i].sel, got, sizeof(got));
		if (!strcmp(got, want))
			return &s->child[i];
	}
	return NULL;
}

/* How many of S's pairs the device sends on. */
static int active(const struct side *s)
{
	const struct quick_mode *qm;
	int n = 0;

	for (qm = s->ctx.sas ? s->ctx.sas->qms : NULL; qm; qm = qm->next)
		n += qm->installed && qm->out_active;
	return n;
}

static void test_four_pairs(void)
{
	const struct child_sa *x, *y;
	struct quick_mode *qm;
	char mirrored[128];

	setup_2x2(true);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(5);
	CHECK(a.nchild == 4 && b.nchild == 4);
	CHECK(a.ctx.sas && !a.ctx.sas->next && b.ctx.sas && !b.ctx.sas->next);
	for (int i = 0; i < 4; i++) {
		const char *sp = strstr(a_pairs[i], " <-> ");

		snprintf(mirrored, sizeof(mirrored), "%s <-> %.*s", sp + 5, (int)(sp - a_pairs[i]),
			 a_pairs[i]);
		x = child_of(&a, a_pairs[i]);
		y = child_of(&b, mirrored);
		CHECK(x && y && x->spi_in == y->spi_out && x->spi_out == y->spi_in &&
		      !memcmp(x->key_in, y->key_out, x->alg.enc_key_len));
	}
	CHECK(active(&a) == 4 && active(&b) == 4);

	/* Rekey one pair: its new SAs supersede its old ones alone. */
	for (qm = a.ctx.sas->qms; qm && qm->pair != 2; qm = qm->next)
		;
	CHECK(qm && qm->installed);
	if (qm) {
		qm->rekey_ms = a.ctx.now_ms;
		ike_sa_due_by(a.ctx.sas, a.ctx.now_ms);
	}
	run(4 + REKEY_GRACE_MS / 1000);
	CHECK(a.nchild == 5 && b.nchild == 5);
	CHECK(sel_is(&a.child[4].sel, a_pairs[2]));
	/* One old inbound SA deleted; its outbound SA the kernel replaced (same selector). */
	CHECK(a.nremoved == 1 && a.removed_out == 0 && b.nremoved == 1);
	CHECK(active(&a) == 4 && active(&b) == 4);
	cleanup();
}

/* A responder with one wide pair takes the peer's four, side by side. */
static void test_wide_responder(void)
{
	setup_2x2(true);
	b.t.n_local_ts = b.t.n_remote_ts = 0;
	set_ts(b.t.local_ts, &b.t.n_local_ts, "10.20.0.0/16");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(5);
	CHECK(a.nchild == 4 && b.nchild == 4 && active(&a) == 4 && active(&b) == 4);
	cleanup();

	/* One pair outside the responder's: refused, the other three come up. */
	setup_2x2(true);
	set_ts(b.t.remote_ts, &b.t.n_remote_ts, "10.10.0.0/16");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(5);
	CHECK(a.nchild == 2 && b.nchild == 2);
	CHECK(child_of(&a, a_pairs[0]) && child_of(&a, a_pairs[1]));
	cleanup();
}

static void packet(const char *src, const char *dst)
{
	uint8_t s[4], d[4];

	inet_pton(AF_INET, src, s);
	inet_pton(AF_INET, dst, d);
	pairs_acquire(&a.ctx, "vpn0", AF_INET, s, d);
}

static void test_acquire(void)
{
	/* B brought phase 1 up and no pair: A, its responder, acquires them. */
	setup_2x2(false);
	CHECK(ike_initiate(&b.ctx, &b.t) != NULL);
	run(3);
	CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED && a.nchild == 0);
	/* Outside every pair: nothing starts. */
	packet("10.99.0.1", "10.20.20.1");
	run(3);
	CHECK(a.nchild == 0);
	/* The first packet of pair 3 starts its Quick Mode alone. */
	packet("192.168.0.7", "10.20.30.9");
	run(3);
	CHECK(keys_match() && child_of(&a, a_pairs[3]));
	/* More packets of it start nothing; one of pair 0 starts pair 0. */
	packet("192.168.0.7", "10.20.30.9");
	packet("10.10.1.1", "10.20.20.1");
	packet("10.10.1.1", "10.20.20.2");
	run(3);
	CHECK(a.nchild == 2 && b.nchild == 2 && child_of(&a, a_pairs[0]));
	CHECK(a.ctx.sas && !a.ctx.sas->next);
	cleanup();

	/* No IKE SA: a start = respond tunnel waits, a start = initiate one starts phase 1. */
	setup_2x2(false);
	packet("10.10.1.1", "10.20.20.1");
	CHECK(!a.ctx.sas);
	a.t.initiate = true;
	packet("10.10.1.1", "10.20.20.1");
	CHECK(a.ctx.sas != NULL);
	run(5);
	CHECK(a.nchild == 4 && b.nchild == 4);
	cleanup();
}

int main(void)
{
	test_four_pairs();
	test_wide_responder();
	test_acquire();
	TEST_DONE("test_ike_subtunnel");
}
