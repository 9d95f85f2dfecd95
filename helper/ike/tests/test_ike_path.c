// SPDX-License-Identifier: GPL-2.0
/*
 * Blocked ESP (path.c) between two in-memory negotiators with DPD on a
 * fake clock: a path dropping plain ESP both ways or one way is diagnosed
 * by the side whose ESP goes unheard, which renegotiates with ESP in UDP
 * (encap = auto) and retires the old IKE SA on both sides; busy, one-way
 * and idle tunnels on a clean path are never touched, nor is traffic that
 * starts after a probe, nor by two brief losses far apart; encap = never and a tunnel already in UDP get the
 * diagnosis only.
 */
#include "peers.h"

static void setup(enum encap_policy encap)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	a.t.dpd_delay = b.t.dpd_delay = 5;
	a.t.dpd_timeout = b.t.dpd_timeout = 60;
	a.t.esp_timeout = b.t.esp_timeout = 10;
	a.t.encap = b.t.encap = encap;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(3);
	CHECK(a.nchild == 1 && b.nchild == 1 && keys_match());
}

static int live_sas(const struct side *s)
{
	int n = 0;

	for (const struct ike_sa *sa = s->ctx.sas; sa; sa = sa->next)
		n += sa->state == MM_ESTABLISHED;
	return n;
}

/* After a fallback: one IKE SA each, the new pair in UDP, and ESP flows again. */
static void check_fell_back(struct side *from, struct side *to)
{
	uint64_t rx = to->rx_packets;

	CHECK(a.nchild == 2 && b.nchild == 2);
	CHECK(a.ep.udp && b.ep.udp);
	CHECK(live_sas(&a) == 1 && live_sas(&b) == 1);
	CHECK(a.removed_in == a.child[0].spi_in && b.removed_in == b.child[0].spi_in);
	CHECK(from->ctx.sas && from->ctx.sas->encap_fallback);
	CHECK(!a.problem[0] && !b.problem[0]); /* the new pair cleared it */
	run(5);
	CHECK(to->rx_packets > rx);
}

static void test_both_ways(void)
{
	setup(ENCAP_AUTO);
	a.sending = true;
	a.esp_dropped = b.esp_dropped = true;
	run(60);
	CHECK(a.problems == 1 && b.problems == 0);
	check_fell_back(&a, &b);
	cleanup();
}

/* b's replies are dropped; a's ESP arrives. b hears a's R-U-THERE while it sends. */
static void test_one_way(void)
{
	setup(ENCAP_AUTO);
	a.sending = b.sending = true;
	b.esp_dropped = true;
	run(60);
	CHECK(b.problems == 1 && a.problems == 0);
	check_fell_back(&b, &a);
	cleanup();
}

static void test_healthy(void)
{
	/* Busy both ways, then one way only (a stream nobody answers), then idle. */
	setup(ENCAP_AUTO);
	a.sending = b.sending = true;
	run(60);
	b.sending = false;
	run(60);
	a.sending = false;
	run(60);
	CHECK(a.problems == 0 && b.problems == 0);
	CHECK(a.nchild == 1 && b.nchild == 1 && !a.ep.udp);
	CHECK(live_sas(&a) == 1 && live_sas(&b) == 1);
	cleanup();
}

/*
 * A probe says the peer heard nothing before it: traffic starting right
 * after a routine probe of an idle tunnel, and traffic sparser than the
 * peer's dpd-delay, are no sign. (Judged by what followed the probes, both
 * were once diagnosed as blocked.)
 */
static void test_probe_before_traffic(void)
{
	for (int idle = 5; idle <= 7; idle++) {
		setup(ENCAP_AUTO);
		run(idle);
		a.sending = b.sending = true;
		run(60);
		CHECK(a.problems == 0 && b.problems == 0);
		CHECK(a.nchild == 1 && b.nchild == 1 && !a.ep.udp);
		cleanup();
	}
	/* A packet every 3 to 8 s, DPD after 5 s or 2 s of silence (as in the BGP failover test). */
	for (int delay = 5; delay >= 2; delay -= 3) {
		setup(ENCAP_AUTO);
		a.t.dpd_delay = b.t.dpd_delay = (uint32_t)delay;
		for (int i = 0; i < 20; i++) {
			a.sending = true;
			run(1);
			a.sending = false;
			run(2 + i % 6);
		}
		CHECK(a.problems == 0 && b.problems == 0 && !a.ep.udp);
		cleanup();
	}
}

/* Nothing asks the kernel about a tunnel the peer does not probe, however busy. */
static void test_busy_unasked(void)
{
	setup(ENCAP_AUTO);
	a.sending = b.sending = true;
	a.last_asked = b.last_asked = 0;
	run(600);
	CHECK(a.last_asked == 0 && b.last_asked == 0);
	CHECK(a.problems == 0 && b.problems == 0);
	cleanup();
}

/*
 * Two brief losses far apart are no blocked path: the first one's sign is
 * past by the second (it once made the second a diagnosis at once).
 */
static void test_stale_sign(void)
{
	uint64_t start;
	int i;

	setup(ENCAP_AUTO);
	a.sending = a.esp_dropped = true;
	for (i = 0; i < 20 && a.ctx.sas->path.unheard_probes < 1; i++)
		run(1);
	CHECK(a.ctx.sas->path.unheard_probes == 1 && a.problems == 0);
	a.sending = a.esp_dropped = false;
	run(300);
	CHECK(a.problems == 0);
	start = a.ctx.now_ms;
	a.sending = a.esp_dropped = true;
	for (i = 0; i < 20 && !a.problems && a.ctx.sas->path.unheard_ms < start; i++)
		run(1);
	CHECK(a.ctx.sas->path.unheard_ms >= start && a.problems == 0);
	/* A loss that lasts is still diagnosed. */
	run(60);
	CHECK(a.problems == 1);
	cleanup();
}

static void test_never(void)
{
	setup(ENCAP_NEVER);
	a.sending = true;
	a.esp_dropped = b.esp_dropped = true;
	run(60);
	CHECK(a.problems == 1 && a.problem[0]);
	CHECK(a.nchild == 1 && live_sas(&a) == 1);
	/* The path heals: the peer stops asking, the problem is gone. */
	a.esp_dropped = b.esp_dropped = false;
	run(30);
	CHECK(!a.problem[0]);
	cleanup();
}

static void test_udp_blocked(void)
{
	setup(ENCAP_ALWAYS);
	CHECK(a.ep.udp);
	a.sending = true;
	udp_blocked = true;
	run(60);
	CHECK(a.problems == 1 && strstr(a.problem, "UDP 4500"));
	CHECK(a.nchild == 1 && live_sas(&a) == 1);
	cleanup();
}

int main(void)
{
	test_both_ways();
	test_one_way();
	test_healthy();
	test_probe_before_traffic();
	test_busy_unasked();
	test_stale_sign();
	test_never();
	test_udp_blocked();
	TEST_DONE("test_ike_path");
}
