// SPDX-License-Identifier: GPL-2.0
/*
 * Two negotiators back to back in memory: Main Mode and Quick Mode with and
 * without PFS, both roles, lost messages recovered by retransmission and
 * by answering duplicates from the cache, a wrong PSK, a proposal mismatch,
 * every received message replayed, truncated and bit-flipped without
 * changing the outcome, and INITIAL-CONTACT.
 */
#include "peers.h"

static void negotiate(const char *ike_a, const char *esp_a, const char *ike_b, const char *esp_b)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "secret", ike_a, esp_a, true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "secret", ike_b, esp_b, false);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(80);
}

static void test_algorithms(void)
{
	static const char *const cases[][2] = {
		{ "aes256-sha256-modp2048", "aes128gcm16-modp2048" },
		{ "aes128-sha1-modp1024", "aes256-sha256" },
		{ "3des-sha1-modp1536", "3des-sha1" },
		{ "aes192-sha384-ecp384", "aes256gcm16-ecp256" },
		{ "aes256-sha512-ecp521", "aes128-sha512-modp3072" },
		{ "aes128-sha256-ecp256", "aes192-sha384" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		negotiate(cases[i][0], cases[i][1], cases[i][0], cases[i][1]);
		CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED);
		CHECK(b.ctx.sas && b.ctx.sas->state == MM_ESTABLISHED);
		CHECK(keys_match());
		if (!keys_match())
			fprintf(stderr, "  case %s / %s\n", cases[i][0], cases[i][1]);
		cleanup();
	}
	/* The responder takes the first offered it allows. */
	negotiate("aes128-sha1-modp2048, aes256-sha256-modp2048", "aes256-sha256, aes128gcm16",
		  "aes256-sha256-modp2048, aes128-sha1-modp2048", "aes128gcm16, aes256-sha256");
	CHECK(b.ctx.sas && b.ctx.sas->prop.key_bits == 128);
	CHECK(keys_match() && b.child[0].prop.transform == ESP_AES_CBC);
	cleanup();
}

/* Shutdown on one side: DELETE for the ESP pair and the IKE SA, honoured by the peer. */
static void test_delete(void)
{
	negotiate("aes256-sha256-modp2048", "aes128gcm16", "aes256-sha256-modp2048", "aes128gcm16");
	CHECK(keys_match());
	ike_shutdown(&a.ctx);
	run(5);
	CHECK(a.removed_in == a.child[0].spi_in && a.removed_out == a.child[0].spi_out);
	CHECK(b.removed_in == b.child[0].spi_in && b.removed_out == b.child[0].spi_out);
	CHECK(!a.ctx.sas && !b.ctx.sas); /* both IKE SAs gone */
	cleanup();
}

static void test_loss(void)
{
	/* Lose each of MM1..MM6, QM1..QM3 in turn (datagram 1..9): still established. */
	for (int n = 1; n <= 9; n++) {
		setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
			   "aes128gcm16-modp2048", true);
		setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
			   "aes128gcm16-modp2048", false);
		drop_nth = n;
		ike_initiate(&a.ctx, &a.t);
		run(80);
		CHECK(keys_match());
		if (!keys_match())
			fprintf(stderr, "  lost datagram %d\n", n);
		cleanup();
	}
}

static void test_hostile(void)
{
	/* Every message also followed by truncated and bit-flipped copies: same outcome. */
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes256-sha256-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes256-sha256-modp2048", false);
	mangle = 1;
	ike_initiate(&a.ctx, &a.t);
	run(80);
	CHECK(keys_match());
	cleanup();
}

static void test_refusals(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "right", "aes256-sha256-modp2048", "aes256-sha256",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "wrong", "aes256-sha256-modp2048", "aes256-sha256",
		   false);
	ike_initiate(&a.ctx, &a.t);
	run(200);
	CHECK(a.nchild == 0 && b.nchild == 0);
	CHECK(!a.ctx.sas && !b.ctx.sas); /* both gave up and freed their state */
	/* At most one datagram out per datagram in, for the responder. */
	CHECK(b.sent <= a.sent);
	cleanup();

	negotiate("aes256-sha256-modp2048", "aes256-sha256", "aes128-sha1-modp2048",
		  "aes256-sha256");
	CHECK(a.nchild == 0 && !b.ctx.sas);
	cleanup();
	negotiate("aes256-sha256-modp2048", "aes256-sha256", "aes256-sha256-modp2048",
		  "aes128gcm16");
	CHECK(a.nchild == 0 && b.nchild == 0);
	CHECK(a.ctx.sas && a.ctx.sas->state == MM_ESTABLISHED);
	cleanup();
}

static int count_sas(const struct side *s)
{
	int n = 0;

	for (const struct ike_sa *sa = s->ctx.sas; sa; sa = sa->next)
		n++;
	return n;
}

/*
 * A second IKE SA while one is up carries no INITIAL-CONTACT and leaves
 * the first alone; after the initiator loses its state (a reboot: no
 * DELETE), its new negotiation carries it and the responder drops the old,
 * but only where a hash or encryption covers it (not in a plain AM3).
 */
static void test_initial_contact(void)
{
	negotiate("aes256-sha256-modp2048", "aes128gcm16", "aes256-sha256-modp2048", "aes128gcm16");
	CHECK(keys_match());
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(10);
	CHECK(count_sas(&a) == 2 && count_sas(&b) == 2 && b.nchild == 2 && b.removed_in == 0);
	ike_ctx_free(&a.ctx);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(10);
	CHECK(count_sas(&a) == 1 && count_sas(&b) == 1 && b.nchild == 3);
	CHECK(b.removed_in == b.child[0].spi_in || b.removed_in == b.child[1].spi_in);
	CHECK(b.ctx.sas && b.ctx.sas->state == MM_ESTABLISHED && a.ctx.sas &&
	      !memcmp(a.ctx.sas->icookie, b.ctx.sas->icookie, 8));
	cleanup();
	/*
	 * Both sides initiate at once: neither's INITIAL-CONTACT drops the
	 * other's new SA (test_ike_twins has how the two are settled later).
	 */
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	CHECK(ike_initiate(&a.ctx, &a.t) && ike_initiate(&b.ctx, &b.t));
	run(5);
	CHECK(count_sas(&a) == 2 && count_sas(&b) == 2 && a.nchild == 2 && b.nchild == 2);
	CHECK(a.removed_in == 0 && b.removed_in == 0);
	cleanup();
	/*
	 * Aggressive Mode: our AM3 goes encrypted, so its INITIAL-CONTACT
	 * counts as MM5's does (a plain AM3's is ignored: nothing covers it).
	 */
	aggressive_mode = true;
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	aggressive_mode = true;
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(10);
	ike_ctx_free(&a.ctx);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(10);
	CHECK(count_sas(&b) == 1 && b.nchild == 2 && b.removed_in == b.child[0].spi_in);
	cleanup();
}

/*
 * The SAs ike_sa_make_room walks: the half-open ones and no other, once
 * one more MM1 has pruned those that moved on, so an MM1 costs the
 * half-open SAs, not the established ones of every tunnel.
 */
static int half_open_walk(const struct side *s)
{
	const struct ike_sa *sa;
	int n = 0;

	for (sa = s->ctx.half_open; sa; sa = sa->half_open_next, n++)
		CHECK(ike_sa_half_open(sa));
	return n;
}

/* Our inbound SPIs known to the set are those of the Quick Modes, each once. */
static void check_spi_set(const struct side *s)
{
	const struct ike_sa *sa;
	const struct quick_mode *qm;
	size_t n = 0;

	for (sa = s->ctx.sas; sa; sa = sa->next)
		for (qm = sa->qms; qm; qm = qm->next, n++)
			CHECK(spi_set_has(&s->ctx, qm->initiator ? qm->spi_i : qm->spi_r));
	CHECK(s->ctx.spis.count == n);
}

/*
 * 1024 forged MM1s from A's address: each answered once and never again
 * (no amplification), at most IKE_HALF_OPEN_PER_PEER of them kept, and
 * A's genuine negotiation afterwards still succeeds. The next forged MM1
 * walks the half-open SAs only, no longer B's established one.
 */
static void test_forged_mm1_flood(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	for (int i = 0; i < 1024; i++)
		forge_mm1(&b, &a);
	CHECK(half_open(&b) == IKE_HALF_OPEN_PER_PEER);
	qlen = 0; /* the MM2s went to the real A, which knows none of the cookies */
	run(60);
	CHECK(b.sent == 1024 && half_open(&b) == 0);
	ike_initiate(&a.ctx, &a.t);
	for (int i = 0; i < 1024; i++)
		forge_mm1(&b, &a);
	run(10);
	CHECK(keys_match());
	check_spi_set(&a);
	check_spi_set(&b);
	forge_mm1(&b, &a);
	CHECK(half_open(&b) == IKE_HALF_OPEN_PER_PEER && half_open_walk(&b) == half_open(&b));
	CHECK(count_sas(&b) == IKE_HALF_OPEN_PER_PEER + 1);
	cleanup();
	CHECK(!b.ctx.half_open);
}

/*
 * The responder's SA payload in MM2 is covered by no hash: one echoing a
 * longer phase-1 lifetime than offered must not stretch the initiator's.
 */
static void test_longer_lifetime_echoed(void)
{
	static const uint8_t life[4] = { 0x80, 0x0c, 0x00, 0x64 }; /* basic attribute: 100 s */
	size_t i;

	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	a.t.ike_lifetime = 100;
	b.t.ike_lifetime = 28800;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	CHECK(qlen == 1);
	deliver_one();
	CHECK(qlen == 1); /* MM2 */
	for (i = 0; i + sizeof(life) <= queue[0].len; i++)
		if (!memcmp(queue[0].buf + i, life, sizeof(life)))
			break;
	CHECK(i + sizeof(life) <= queue[0].len);
	queue[0].buf[i + 2] = 0x7f; /* 32612 s */
	run(10);
	CHECK(keys_match());
	CHECK(a.ctx.sas && a.ctx.sas->life_s == 100);
	CHECK(b.ctx.sas && b.ctx.sas->life_s == 100);
	cleanup();
}

/*
 * A responder whose lifetimes are shorter than the initiator offered says
 * so in QM2 (RESPONDER-LIFETIME): both sides' SAs get the shorter ones.
 * One whose are longer says nothing: the initiator's offer stands.
 */
static void responder_lifetime(uint32_t a_s, uint32_t a_kb, uint32_t b_s, uint32_t b_kb,
			       uint32_t want_s, uint32_t want_kb)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	a.t.lifetime = a_s;
	a.t.lifetime_kb = a_kb;
	b.t.lifetime = b_s;
	b.t.lifetime_kb = b_kb;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(20);
	CHECK(a.nchild == 1 && b.nchild == 1);
	CHECK(a.child[0].life_s == want_s && b.child[0].life_s == want_s);
	CHECK(a.child[0].life_kb == want_kb && b.child[0].life_kb == want_kb);
	cleanup();
}

static void test_responder_lifetime(void)
{
	responder_lifetime(3600, 0, 600, 0, 600, 0);
	responder_lifetime(3600, 0, 3600, 2048, 3600, 2048);
	responder_lifetime(3600, 4096, 600, 2048, 600, 2048);
	responder_lifetime(600, 2048, 3600, 4096, 600, 2048);
	responder_lifetime(3600, 0, 3600, 0, 3600, 0);
}

/*
 * The kernel refuses a half of the pair (an SPI taken, the inbound limit,
 * no module): the exchange must not leave the peer with a pair we do not
 * have. WHO refuses DIRS once: the refusing side sends no QM2 / QM3, or a
 * DELETE, whatever either side added for that exchange is removed again,
 * and the initiator's next Quick Mode brings the tunnel up.
 */
static void refused_install(struct side *who, unsigned int dirs)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	who->refuse_dirs = dirs;
	who->refuse_installs = 1;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(40);
	CHECK(who->refuse_installs == 0);
	CHECK(installed(&a) == 1 && installed(&b) == 1);
	CHECK(a.nchild - a.nremoved == 1 && b.nchild - b.nremoved == 1);
	CHECK(find_in(&b, a.out_spi) && find_in(&a, b.out_spi));
	/* No retransmission of an exchange the other side gave up. */
	/* Phase 1 and two Quick Modes are 12, one DELETE or notify more is 13. */
	CHECK(a.sent + b.sent <= 13);
	cleanup();
}

static void test_refused_install(void)
{
	refused_install(&b, CHILD_IN);	/* QM1: NO-PROPOSAL-CHOSEN instead of QM2 */
	refused_install(&a, CHILD_IN);	/* QM2: no QM3, DELETE of B's half */
	refused_install(&b, CHILD_OUT); /* QM3: DELETE, both remove the pair */
	refused_install(&a, CHILD_OUT); /* after QM3: the same from the initiator */
}

/*
 * DELETE(ISAKMP) names the IKE SA it deletes by its cookies (RFC 2408
 * 3.15): a protected one naming other cookies, or with an SPI size other
 * than 16, ends nothing; the one naming this SA ends it.
 */
static void test_delete_isakmp_cookies(void)
{
	uint8_t d[4 + 8 + 16] = { 0,  0, 0, 28, 0, 0, 0, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
				  16, 0, 1 };
	struct ike_sa *sa;

	negotiate("aes256-sha256-modp2048", "aes128gcm16", "aes256-sha256-modp2048", "aes128gcm16");
	sa = a.ctx.sas;
	CHECK(sa && b.ctx.sas);
	if (!sa || !b.ctx.sas)
		return cleanup();
	memcpy(d + 12, sa->icookie, 8);
	memset(d + 20, 0x5a, 8); /* not its responder cookie */
	CHECK(deliver_protected(&a, &b, ISAKMP_XCHG_INFO, 0x1001, ISAKMP_NP_D, d, sizeof(d)));
	CHECK(sa->state == MM_ESTABLISHED);
	memcpy(d + 20, sa->rcookie, 8);
	d[9] = 8; /* SPI size 8: no cookie pair */
	CHECK(deliver_protected(&a, &b, ISAKMP_XCHG_INFO, 0x1002, ISAKMP_NP_D, d, sizeof(d)));
	CHECK(sa->state == MM_ESTABLISHED);
	d[9] = 16;
	CHECK(deliver_protected(&a, &b, ISAKMP_XCHG_INFO, 0x1003, ISAKMP_NP_D, d, sizeof(d)));
	CHECK(sa->state == MM_DEAD);
	cleanup();
}

/*
 * The commit bit (RFC 2408 3.1), which some Cisco peers set: accepted on
 * every message, Main Mode and Quick Mode in both directions, and never
 * set by us.
 */
static void test_commit_bit(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "secret", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "secret", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	for (int i = 0; i < 20 && qlen; i++) {
		uint8_t *flags = &queue[0].buf[(queue[0].natt ? 4 : 0) + 19];

		CHECK(!(*flags & ISAKMP_FLAG_COMMIT));
		*flags |= ISAKMP_FLAG_COMMIT;
		deliver_one();
	}
	/* MM1, MM3, MM5, QM1, QM3 and MM2, MM4, MM6, QM2: each delivered once */
	CHECK(a.sent == 5 && b.sent == 4);
	CHECK(keys_match() && a.nchild == 1 && b.nchild == 1);
	cleanup();
}

int main(void)
{
	test_algorithms();
	test_delete();
	test_loss();
	test_hostile();
	test_refusals();
	test_initial_contact();
	test_forged_mm1_flood();
	test_longer_lifetime_echoed();
	test_responder_lifetime();
	test_refused_install();
	test_delete_isakmp_cookies();
	test_commit_bit();
	TEST_DONE("test_ike_exchange");
}
