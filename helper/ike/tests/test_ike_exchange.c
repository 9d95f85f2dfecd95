// SPDX-License-Identifier: GPL-2.0
/*
 * Two negotiators back to back in memory: Main Mode and Quick Mode with and
 * without PFS, both roles, lost messages recovered by retransmission and
 * by answering duplicates from the cache, a wrong PSK, a proposal mismatch,
 * and every received message replayed, truncated and bit-flipped without
 * changing the outcome.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../ike_sa.h"
#include "test_ike.h"

struct side {
	struct ike_ctx ctx;
	struct config cfg;
	struct tunnel_cfg t;
	struct sockaddr_storage addr;
	struct child_sa child[4];
	int nchild;
	uint32_t removed_in, removed_out;
	int sent;
};

struct packet {
	struct side *to, *from;
	uint8_t buf[ISAKMP_MAX_MSG];
	size_t len;
};

static struct side a, b;
static struct packet queue[64];
static int qlen, seq;
/* Drop the Nth datagram sent (1-based), counted across both sides; 0: none. */
static int drop_nth;
/*
 * After delivering each datagram, deliver truncated and bit-flipped copies:
 * forged or replayed messages must not disturb a negotiation in progress or
 * done. (Messages 1-4 of Main Mode are unauthenticated by design, so a
 * forgery arriving before the original is out of scope.)
 */
static int mangle;

static int send_cb(void *arg, const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	struct side *s = arg;

	(void)to;
	s->sent++;
	if (++seq == drop_nth || qlen == 64)
		return 0;
	queue[qlen].from = s;
	queue[qlen].to = s == &a ? &b : &a;
	memcpy(queue[qlen].buf, buf, len);
	queue[qlen].len = len;
	qlen++;
	return 0;
}

static int install_cb(void *arg, const struct child_sa *c)
{
	struct side *s = arg;

	if (s->nchild < 4)
		s->child[s->nchild++] = *c;
	return 0;
}

static int remove_cb(void *arg, const struct tunnel_cfg *cfg, uint32_t in, uint32_t out)
{
	struct side *s = arg;

	(void)cfg;
	s->removed_in = in;
	s->removed_out = out;
	return 0;
}

static void setup_side(struct side *s, const char *local, const char *remote, const char *psk,
		       const char *ike, const char *esp, bool initiate)
{
	char err[200];
	struct sockaddr_in *sin = (struct sockaddr_in *)&s->addr;

	memset(s, 0, sizeof(*s));
	strcpy(s->t.name, "vpn0");
	s->t.family = AF_INET;
	inet_pton(AF_INET, local, s->t.local);
	inet_pton(AF_INET, remote, s->t.remote);
	s->t.psk_len = strlen(psk);
	memcpy(s->t.psk, psk, s->t.psk_len);
	s->t.n_ike = (size_t)prop_parse_ike(ike, s->t.ike, err, sizeof(err));
	s->t.n_esp = (size_t)prop_parse_esp(esp, s->t.esp, err, sizeof(err));
	s->t.ike_lifetime = 28800;
	s->t.lifetime = 3600;
	s->t.initiate = initiate;
	s->cfg.tunnels = &s->t;
	s->ctx.cfg = &s->cfg;
	s->ctx.send = send_cb;
	s->ctx.install = install_cb;
	s->ctx.remove = remove_cb;
	s->ctx.arg = s;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(500);
	memcpy(&sin->sin_addr, s->t.local, 4);
}

/* Deliver queued datagrams, ticking time forward whenever the queue runs dry. */
static void run(int max_ticks)
{
	for (int ticks = 0; ticks < max_ticks;) {
		if (!qlen) {
			a.ctx.now_ms += 1000;
			b.ctx.now_ms += 1000;
			ike_tick(&a.ctx);
			ike_tick(&b.ctx);
			ticks++;
			continue;
		}
		struct packet p = queue[0];

		memmove(queue, queue + 1, (size_t)(--qlen) * sizeof(queue[0]));
		ike_input(&p.to->ctx, &p.from->addr, p.buf, p.len);
		if (mangle) {
			uint8_t copy[ISAKMP_MAX_MSG];

			/* Truncations and single bit flips at every position must be harmless. */
			for (size_t cut = 0; cut < p.len; cut += 7)
				ike_input(&p.to->ctx, &p.from->addr, p.buf, cut);
			for (size_t i = 0; i < p.len; i += 5) {
				memcpy(copy, p.buf, p.len);
				copy[i] ^= (uint8_t)(1u << (i % 8));
				ike_input(&p.to->ctx, &p.from->addr, copy, p.len);
			}
		}
	}
}

static void cleanup(void)
{
	ike_ctx_free(&a.ctx);
	ike_ctx_free(&b.ctx);
	qlen = 0;
	seq = 0;
	drop_nth = 0;
	mangle = 0;
}

static bool keys_match(void)
{
	struct child_sa *x = &a.child[0], *y = &b.child[0];
	size_t len = x->alg.enc_key_len + x->alg.auth_key_len;

	return a.nchild == 1 && b.nchild == 1 && x->spi_in == y->spi_out &&
	       x->spi_out == y->spi_in && !memcmp(x->key_in, y->key_out, len) &&
	       !memcmp(x->key_out, y->key_in, len) && memcmp(x->key_in, x->key_out, len);
}

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

int main(void)
{
	test_algorithms();
	test_delete();
	test_loss();
	test_hostile();
	test_refusals();
	TEST_DONE("test_ike_exchange");
}
