// SPDX-License-Identifier: GPL-2.0
/*
 * IKE fragmentation between two in-memory negotiators: Main and Aggressive
 * Mode with every message past the first split (fragmentation = force and
 * a small fragment-size), the default that splits only a repeated message,
 * and hostile fragments at an established responder: numbers out of
 * range, duplicates that agree and that contradict, two last fragments,
 * a number past the last, an oversize total, a gap that times out, a
 * fragment inside the reassembled message, a spoofed source and unknown
 * cookies. None of those grows what is kept past one message or makes
 * the responder send anything.
 */
#include "peers.h"

static void setup(bool aggressive, enum frag_policy policy, uint32_t size)
{
	aggressive_mode = aggressive;
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	aggressive_mode = aggressive;
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	a.t.fragmentation = b.t.fragmentation = policy;
	a.t.fragment_size = b.t.fragment_size = size;
}

static bool established(const struct side *s)
{
	return s->ctx.sas && s->ctx.sas->state == MM_ESTABLISHED;
}

static void test_forced(void)
{
	/* Datagrams per side when none is split: MM1..MM6, QM1..QM3; AM1..AM3, QM1..QM3. */
	static const int whole[2][2] = { { 5, 4 }, { 4, 2 } };

	for (int am = 0; am < 2; am++) {
		setup(am, FRAG_FORCE, 100);
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(80);
		CHECK(established(&a) && established(&b) && keys_match());
		CHECK(a.ctx.sas && a.ctx.sas->peer_frag && b.ctx.sas && b.ctx.sas->peer_frag);
		CHECK(a.sent > whole[am][0] + 2 && b.sent > whole[am][1] + 2);
		CHECK(a.ctx.sas && !a.ctx.sas->frag_rx && b.ctx.sas && !b.ctx.sas->frag_rx);
		cleanup();
	}
}

/* The default splits a message only when it repeats it: AM2 lost once. */
static void test_on_retransmission(void)
{
	setup(true, FRAG_YES, 100);
	drop_nth = 2;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(80);
	CHECK(established(&a) && established(&b) && keys_match());
	CHECK(b.sent > 4); /* AM2 whole, then in pieces, and QM2 */
	cleanup();
	/* Nothing lost: nothing split. */
	setup(true, FRAG_YES, 100);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(80);
	CHECK(established(&b) && keys_match() && a.sent == 4 && b.sent == 2);
	cleanup();
}

/* A fragment datagram with SA's cookies: ID, NUM, FLAGS and LEN bytes of DATA. */
static size_t fragment(uint8_t *out, const struct ike_sa *sa, uint16_t id, uint8_t num,
		       uint8_t flags, const uint8_t *data, size_t len)
{
	struct isakmp_builder bld;
	uint8_t body[4 + ISAKMP_MAX_MSG];

	body[0] = (uint8_t)(id >> 8);
	body[1] = (uint8_t)id;
	body[2] = num;
	body[3] = flags;
	memcpy(body + 4, data, len);
	isakmp_build_header(&bld, sa->icookie, sa->rcookie, ISAKMP_XCHG_MAIN, 0, 0);
	isakmp_add(&bld, ISAKMP_NP_FRAG, body, 4 + len);
	isakmp_finish(&bld);
	memcpy(out, bld.buf, bld.len);
	return bld.len;
}

/* Deliver a fragment to B as if from ADDR. */
static void to_b(const char *addr, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage from;

	ike_sockaddr(AF_INET, (const uint8_t[4]){ 0 }, 500, &from);
	inet_pton(AF_INET, addr, &((struct sockaddr_in *)&from)->sin_addr);
	ike_input(&b.ctx, &from, buf, len);
}

static void test_hostile(void)
{
	uint8_t dgram[ISAKMP_MAX_MSG + 64], data[300], inner[64];
	struct ike_sa *sa;
	size_t n;
	int sent;

	setup(false, FRAG_YES, 0);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(20);
	CHECK(established(&b) && keys_match());
	sa = b.ctx.sas;
	if (!sa)
		return;
	sent = b.sent;
	memset(data, 0x5a, sizeof(data));

	/* Numbers 0 and 17: nothing kept. */
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 1, 0, 0, data, 10));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 1, 17, 0, data, 10));
	CHECK(!sa->frag_rx);
	/* Piece 1, the same again (kept), then another piece 1: dropped. */
	n = fragment(dgram, sa, 2, 1, 0, data, 10);
	to_b("192.0.2.1", dgram, n);
	to_b("192.0.2.1", dgram, n);
	CHECK(sa->frag_rx != NULL);
	data[0] ^= 1;
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 2, 1, 0, data, 10));
	data[0] ^= 1;
	CHECK(!sa->frag_rx);
	/* Two last fragments; a number past the last; a last below one we have. */
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 3, 2, 1, data, 10));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 3, 3, 1, data, 10));
	CHECK(!sa->frag_rx);
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 4, 2, 1, data, 10));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 4, 5, 0, data, 10));
	CHECK(!sa->frag_rx);
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 5, 6, 0, data, 10));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 5, 2, 1, data, 10));
	CHECK(!sa->frag_rx);
	/* Sixteen pieces of 300 bytes pass the 4096-byte bound at the fourteenth. */
	for (uint8_t i = 1; i <= 13; i++)
		to_b("192.0.2.1", dgram, fragment(dgram, sa, 6, i, 0, data, sizeof(data)));
	CHECK(sa->frag_rx != NULL);
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 6, 14, 0, data, sizeof(data)));
	CHECK(!sa->frag_rx);
	/* A gap: pieces 1 and 3 (the last) wait; 11 s later piece 2 starts over, alone. */
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 7, 1, 0, data, 10));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 7, 3, 1, data, 10));
	b.ctx.now_ms += 11000;
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 7, 2, 0, data, 10));
	CHECK(sa->frag_rx != NULL);
	/* Another ID starts over too; then the SA's end frees it (ASan would tell). */
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 8, 1, 0, data, 10));
	CHECK(sa->frag_rx != NULL);
	/* A complete message that is a fragment itself: dropped, nothing kept. */
	n = fragment(inner, sa, 9, 1, 1, data, 10);
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 9, 1, 1, inner, n));
	CHECK(!sa->frag_rx);
	/* From another address, or with cookies of no SA: not even kept. */
	to_b("192.0.2.99", dgram, fragment(dgram, sa, 10, 1, 0, data, 10));
	CHECK(!sa->frag_rx);
	sa->icookie[0] ^= 1;
	n = fragment(dgram, sa, 11, 1, 0, data, 10);
	sa->icookie[0] ^= 1;
	to_b("192.0.2.1", dgram, n);
	CHECK(!sa->frag_rx);
	CHECK(b.sent == sent && established(&b));
	to_b("192.0.2.1", dgram, fragment(dgram, sa, 12, 1, 0, data, 10));
	cleanup();
}

int main(void)
{
	test_forced();
	test_on_retransmission();
	test_hostile();
	TEST_DONE("test_ike_fragment");
}
