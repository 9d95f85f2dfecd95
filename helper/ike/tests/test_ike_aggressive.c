// SPDX-License-Identifier: GPL-2.0
/*
 * Aggressive Mode (then Quick Mode) between two in-memory negotiators:
 * algorithms, each side as initiator, every lost message recovered,
 * hostile copies of every message, a wrong PSK (AUTHENTICATION-FAILED), the
 * responder's choice of tunnel and PSK by the initiator's identity, an
 * identity no tunnel accepts, and a mode mismatch.
 */
#include <openssl/evp.h>

#include "peers.h"

static void setup(const char *psk_a, const char *psk_b, const char *ike, const char *esp)
{
	aggressive_mode = true;
	setup_side(&a, "192.0.2.1", "192.0.2.2", psk_a, ike, esp, true);
	aggressive_mode = true;
	setup_side(&b, "192.0.2.2", "192.0.2.1", psk_b, ike, esp, false);
}

static bool established(const struct side *s)
{
	return s->ctx.sas && s->ctx.sas->state == MM_ESTABLISHED && s->ctx.sas->aggressive;
}

static void test_algorithms(void)
{
	static const char *const cases[][2] = {
		{ "aes256-sha256-modp2048", "aes128gcm16-modp2048" },
		{ "3des-sha1-modp1024", "aes256-sha256" },
		{ "aes128-sha256-ecp256, aes256-sha512-ecp256", "aes256gcm16-ecp384" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setup("k", "k", cases[i][0], cases[i][1]);
		CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
		run(80);
		CHECK(established(&a) && established(&b) && keys_match());
		CHECK(a.ctx.sas && a.ctx.sas->peer_dpd && b.ctx.sas && b.ctx.sas->peer_dpd);
		if (!keys_match())
			fprintf(stderr, "  case %s / %s\n", cases[i][0], cases[i][1]);
		cleanup();
	}
	/* The other side initiates; the responder's start = respond does not matter. */
	setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16");
	b.t.initiate = true;
	CHECK(ike_initiate(&b.ctx, &b.t) != NULL);
	run(80);
	CHECK(established(&a) && established(&b) && keys_match());
	CHECK(b.ctx.sas && b.ctx.sas->initiator && a.ctx.sas && !a.ctx.sas->initiator);
	cleanup();
}

static void test_loss(void)
{
	/* Lose each of AM1..AM3, QM1..QM3 in turn (datagram 1..6): still established. */
	for (int n = 1; n <= 6; n++) {
		setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16-modp2048");
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
	setup("k", "k", "aes256-sha256-modp2048", "aes256-sha256-modp2048");
	mangle = 1;
	ike_initiate(&a.ctx, &a.t);
	run(80);
	CHECK(keys_match());
	cleanup();
}

static void test_wrong_psk(void)
{
	setup("right", "wrong", "aes256-sha256-modp2048", "aes256-sha256");
	ike_initiate(&a.ctx, &a.t);
	run(1);
	/* The initiator refuses AM2 and tells the responder, which logs it (unauthenticated). */
	CHECK(a.ctx.sas && a.ctx.sas->our_refusal == ISAKMP_N_AUTHENTICATION_FAILED);
	CHECK(b.ctx.sas && b.ctx.sas->peer_notify == ISAKMP_N_AUTHENTICATION_FAILED);
	CHECK(a.ctx.sas && a.ctx.sas->state == AM_I_AM1_SENT);
	run(200);
	CHECK(a.nchild == 0 && b.nchild == 0);
	CHECK(!a.ctx.sas && !b.ctx.sas);
	CHECK(b.sent <= a.sent);
	cleanup();
}

static void set_id(struct ike_id *id, const char *fqdn)
{
	id->type = ID_FQDN;
	id->len = strlen(fqdn);
	memcpy(id->data, fqdn, id->len);
}

/* The responder has two tunnels for one address; the initiator's identity picks one, and its PSK. */
static void test_psk_by_id(void)
{
	static struct tunnel_cfg second;

	for (int which = 0; which < 3; which++) {
		setup(which == 1 ? "k1" : "k2", "k1", "aes256-sha256-modp2048", "aes128gcm16");
		second = b.t;
		strcpy(second.name, "vpn1");
		memcpy(second.psk, "k2", 2);
		set_id(&b.t.remote_id, "one.example");
		set_id(&second.remote_id, "two.example");
		b.t.next = &second;
		set_id(&a.t.local_id, which == 0   ? "two.example"
				      : which == 1 ? "one.example"
						   : "x");
		ike_initiate(&a.ctx, &a.t);
		run(2);
		if (which == 2) /* unanswered, as an unknown address: no identity revealed */
			CHECK(a.ctx.sas && !a.ctx.sas->peer_notify && b.sent == 0);
		run(80);
		if (which < 2) {
			CHECK(keys_match());
			CHECK(b.ctx.sas && b.ctx.sas->cfg == (which == 0 ? &second : &b.t));
		} else {
			/* No tunnel names this identity: nothing kept. */
			CHECK(a.nchild == 0 && !b.ctx.sas && !a.ctx.sas);
		}
		cleanup();
	}
}

static void test_mode_mismatch(void)
{
	setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16");
	b.t.aggressive = false; /* a Main Mode responder ignores AM1 */
	ike_initiate(&a.ctx, &a.t);
	run(10);
	CHECK(!b.ctx.sas && b.sent == 0);
	cleanup();
}

/*
 * AM3 lost, then a long outage. The responder has no timer for AM2 (it is
 * half-open); the initiator's Quick Mode, which returns our cookie, makes
 * it repeat AM2 and keeps its SA for the whole negotiation time, not the
 * 30 s of a half-open one: once the path is back, the next QM1 brings
 * AM2 again, the initiator repeats AM3, and the tunnel comes up.
 */
static void test_am3_lost_long(void)
{
	setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16");
	drop_nth = 3; /* AM3 */
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	deliver_one(); /* AM1 */
	deliver_one(); /* AM2: A is established, its AM3 lost, QM1 goes out */
	CHECK(established(&a) && qlen == 1);
	deliver_one(); /* QM1: B repeats AM2 */
	CHECK(b.ctx.sas && !ike_sa_half_open(b.ctx.sas));
	b.dead = true; /* and the path goes down, AM3 again lost */
	run(40);
	CHECK(b.ctx.sas != NULL);
	b.dead = false;
	run(80);
	CHECK(established(&b) && keys_match());
	cleanup();
}

/* The phase-1 IV of A's SA with SHA-256: hash(g^xi | g^xr), all 32 bytes. */
static void phase1_hash(const struct ike_sa *sa, uint8_t *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	CHECK(ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	      EVP_DigestUpdate(ctx, sa->gxi, sa->gx_len) &&
	      EVP_DigestUpdate(ctx, sa->gxr, sa->gx_len) && EVP_DigestFinal_ex(ctx, h, NULL));
	EVP_MD_CTX_free(ctx);
}

/*
 * Quick Mode's IVs derive from the last CBC block of phase 1, so both
 * sides must agree what that is after AM3 (aggressive_mode.c). Our AM3 is
 * encrypted: the block is AM3's last, on both sides, and no longer the
 * phase-1 IV. A plain AM3 (strongSwan's) leaves the responder on the
 * phase-1 IV cut to AES's 16 bytes, not the whole SHA-256 hash.
 */
static void test_am3_iv_chain(void)
{
	const struct packet *am3 = &queue[0];
	uint8_t h[32], iv[16], *body;
	size_t end, len;
	uint8_t np;

	setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	deliver_one(); /* AM1 */
	deliver_one(); /* AM2: AM3 and QM1 are queued */
	CHECK(qlen == 2 && (am3->buf[19] & ISAKMP_FLAG_ENC) && am3->len >= ISAKMP_HDR_LEN + 32);
	CHECK(!memcmp(a.ctx.sas->iv, am3->buf + am3->len - 16, 16));
	phase1_hash(a.ctx.sas, h);
	CHECK(memcmp(a.ctx.sas->iv, h, 16));
	run(80);
	CHECK(established(&b) && keys_match());
	CHECK(b.ctx.sas && !memcmp(b.ctx.sas->iv, a.ctx.sas->iv, 16));
	cleanup();

	setup("k", "k", "aes256-sha256-modp2048", "aes128gcm16");
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	deliver_one();
	deliver_one();
	CHECK(qlen == 2);
	/* The same AM3 decrypted, and sent as strongSwan sends it: plain, unpadded. */
	phase1_hash(a.ctx.sas, h);
	memcpy(iv, h, 16);
	body = queue[0].buf + ISAKMP_HDR_LEN;
	len = queue[0].len - ISAKMP_HDR_LEN;
	CHECK(!ike_cbc(a.ctx.sas->keys.cipher, false, a.ctx.sas->keys.enc_key,
		       a.ctx.sas->keys.key_len, iv, body, len));
	for (np = queue[0].buf[16], end = ISAKMP_HDR_LEN; np && end + 4 <= queue[0].len;
	     end += (size_t)queue[0].buf[end + 2] << 8 | queue[0].buf[end + 3])
		np = queue[0].buf[end];
	CHECK(!np && end <= queue[0].len);
	queue[0].buf[19] &= (uint8_t)~ISAKMP_FLAG_ENC;
	queue[0].buf[26] = (uint8_t)(end >> 8);
	queue[0].buf[27] = (uint8_t)end;
	queue[0].len = end;
	qlen = 1; /* QM1 follows A's encrypted chain: not this test's */
	deliver_one();
	CHECK(established(&b) && !memcmp(b.ctx.sas->iv, h, 16));
	cleanup();
}

int main(void)
{
	test_algorithms();
	test_loss();
	test_hostile();
	test_wrong_psk();
	test_psk_by_id();
	test_mode_mismatch();
	test_am3_lost_long();
	test_am3_iv_chain();
	TEST_DONE("test_ike_aggressive");
}
