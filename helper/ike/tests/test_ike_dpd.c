// SPDX-License-Identifier: GPL-2.0
/*
 * Dead Peer Detection between two in-memory negotiators on a fake clock:
 * a quiet live peer is probed and answers, a busy tunnel (inbound ESP
 * counted) is never probed, an ACK must carry a number we sent, a dead
 * peer is cleared after dpd-timeout (its ESP SAs removed), and restart
 * initiates again, which a revived peer answers.
 */
#include "peers.h"

static void setup(enum dpd_action action)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	a.t.dpd_delay = b.t.dpd_delay = 10;
	a.t.dpd_timeout = b.t.dpd_timeout = 30;
	a.t.dpd_action = action;
	b.t.dpd_action = DPD_CLEAR;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(keys_match());
	CHECK(a.ctx.sas && a.ctx.sas->peer_dpd && b.ctx.sas && b.ctx.sas->peer_dpd);
}

static unsigned int probes(const struct side *s)
{
	return s->ctx.sas ? s->ctx.sas->dpd.probes : 0;
}

static void test_alive(void)
{
	setup(DPD_CLEAR);
	run(60);
	CHECK(probes(&a) + probes(&b) >= 3); /* one every 10 s of quiet, by either side */
	CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED && !a.ctx.sas->dpd.probe_ms);
	CHECK(b.ctx.sas && b.ctx.sas->state == MM_ESTABLISHED);
	CHECK(a.removed_in == 0 && b.removed_in == 0);
	cleanup();
}

static void test_busy(void)
{
	setup(DPD_CLEAR);
	a.busy = b.busy = true;
	run(60);
	CHECK(probes(&a) == 0 && probes(&b) == 0);
	CHECK(a.ctx.sas && b.ctx.sas && a.removed_in == 0);
	cleanup();
}

static void test_ack_seq(void)
{
	struct ike_sa *sa;

	setup(DPD_CLEAR);
	b.dead = true;
	run(11);
	sa = a.ctx.sas;
	CHECK(sa && sa->dpd.probe_ms && probes(&a) == 1);
	if (!sa)
		return cleanup();
	dpd_ack(sa, sa->dpd.seq + 1); /* not one we sent */
	CHECK(sa->dpd.probe_ms != 0);
	dpd_ack(sa, sa->dpd.first_seq - 1);
	CHECK(sa->dpd.probe_ms != 0);
	dpd_ack(sa, sa->dpd.seq);
	CHECK(sa->dpd.probe_ms == 0);
	cleanup();
}

static void test_dead_clear(void)
{
	setup(DPD_CLEAR);
	b.dead = true;
	run(35);
	CHECK(a.ctx.sas && a.removed_in == 0); /* still within dpd-delay + dpd-timeout */
	run(10);
	CHECK(!a.ctx.sas);
	CHECK(a.removed_in == a.child[0].spi_in && a.removed_out == a.child[0].spi_out);
	CHECK(probes(&a) == 0);
	cleanup();
}

static void test_dead_restart(void)
{
	setup(DPD_RESTART);
	b.dead = true;
	run(45);
	CHECK(a.removed_in == a.child[0].spi_in);
	CHECK(a.ctx.sas && a.ctx.sas->initiator && a.ctx.sas->state == MM_I_MM1_SENT);
	/* The peer comes back (with its old state): the new negotiation succeeds. */
	b.dead = false;
	run(80);
	CHECK(a.nchild == 2 && b.nchild == 2);
	CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED);
	/* The restart carried INITIAL-CONTACT: the peer dropped its old SAs. */
	CHECK(b.removed_in == b.child[0].spi_in);
	CHECK(b.ctx.sas && !b.ctx.sas->next);
	cleanup();
}

static void test_off(void)
{
	setup(DPD_CLEAR);
	a.t.dpd_delay = b.t.dpd_delay = 0;
	b.dead = true;
	run(200);
	CHECK(probes(&a) == 0 && a.ctx.sas && a.removed_in == 0);
	cleanup();
}

/* B sends R-U-THERE number SEQ; returns a copy of the datagram, delivered too. */
static struct packet probe_from_b(uint32_t seq)
{
	uint8_t be[4] = { seq >> 24, seq >> 16, seq >> 8, seq };
	struct packet p = { 0 };

	info_notify_data(b.ctx.sas, ISAKMP_N_R_U_THERE, be, 4);
	CHECK(qlen == 1);
	if (qlen == 1)
		p = queue[0];
	deliver_queued();
	return p;
}

/*
 * RFC 3706 7: R-U-THERE numbers only grow. A replayed older probe is not
 * answered and is no sign for path.c; the last one again is answered (the
 * peer may have lost our ACK) but is not a new probe either.
 */
static void test_replayed_probe(void)
{
	struct packet old;
	int sent;

	setup(DPD_CLEAR);
	sent = a.sent;
	old = probe_from_b(1000);
	CHECK(a.sent == sent + 1 && a.ctx.sas->path.peer_probe_ms == a.ctx.now_ms);
	a.ctx.sas->path.peer_probe_ms = 0;
	deliver(&a.ctx, &old, old.buf, old.len);
	deliver_queued();
	CHECK(a.sent == sent + 2 && a.ctx.sas->path.peer_probe_ms == 0);
	probe_from_b(1001);
	CHECK(a.sent == sent + 3 && a.ctx.sas->path.peer_probe_ms == a.ctx.now_ms);
	a.ctx.sas->path.peer_probe_ms = 0;
	deliver(&a.ctx, &old, old.buf, old.len);
	deliver(&a.ctx, &old, old.buf, old.len);
	CHECK(qlen == 0);
	CHECK(a.sent == sent + 3 && a.ctx.sas->path.peer_probe_ms == 0);
	/* Across the wrap of the 32-bit number. */
	probe_from_b(0x80000000);
	probe_from_b(0xfffffff0);
	probe_from_b(5);
	CHECK(a.sent == sent + 6);
	cleanup();
}

int main(void)
{
	test_alive();
	test_busy();
	test_ack_seq();
	test_dead_clear();
	test_dead_restart();
	test_off();
	test_replayed_probe();
	TEST_DONE("test_ike_dpd");
}
