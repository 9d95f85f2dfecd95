/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two negotiators back to back in memory, for the exchange tests: each
 * side's sends are queued for the other, a datagram can be lost, and
 * received messages can be followed by truncated and bit-flipped copies.
 * A side can sit behind a NAT: the other then sees its datagrams come from
 * a public address and a port of the mapping. Time moves a second per
 * tick when nothing is in flight.
 */
#ifndef ESPTUN_TEST_PEERS_H
#define ESPTUN_TEST_PEERS_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../dispatch.h"
#include "../lifecycle.h"
#include "test_ike.h"

struct side {
	struct ike_ctx ctx;
	struct config cfg;
	struct tunnel_cfg t;
	struct sockaddr_storage addr;
	struct child_sa child[16]; /* each pair once, when its inbound half is added */
	int nchild;
	uint32_t out_spi; /* the device's outbound SA: the last one added */
	uint32_t removed_in, removed_out;
	int nremoved;
	int sent;
	bool dead;	       /* datagrams to and from it are lost */
	uint64_t rx_packets;   /* what the fake kernel reports for inbound ESP */
	bool busy;	       /* ESP arrives: rx_packets grows every tick */
	uint64_t tx_packets;   /* ... and for outbound ESP */
	uint64_t rx_ms, tx_ms; /* when each last grew, on its clock; 0: never */
	int last_asked;	       /* times ctx->esp_last was called */
	bool sending;	       /* it sends ESP every tick, which reaches the peer unless blocked */
	bool esp_dropped;      /* the path drops its plain ESP (IP protocol 50) */
	int problems;	       /* times ctx->problem reported one */
	char problem[256];     /* what ctx->problem last said; empty: none */
	uint16_t nat_port;     /* behind a NAT: its port 500 maps to this, 4500 to the next */
	int keepalives;
	struct ike_endpoint ep; /* the device's last endpoint, by install or follow */
	int endpoints;		/* follows: endpoint updates without new SAs */
	int early_out;		/* outbound SAs added before the peer held their inbound twin */
	bool late_in;		/* like charon: a pair's inbound SA goes in with its outbound one */
	bool spi_exact;		/* inbound packets count only on the SA the peer sends on */
	bool xfrm_out;		/* like xfrm: removing the outbound SA in use falls back... */
	uint32_t outs[16];	/* ...to the newest outbound SA left, of these */
	int nouts;
	int refuse_installs;	  /* the fake kernel refuses this many more installs... */
	unsigned int refuse_dirs; /* ...of those with a half in these (CHILD_IN, CHILD_OUT) */
};

/* The public address of the NAT in front of a side with nat_port set. */
#define NAT_PUBLIC "198.51.100.1"

struct packet {
	struct side *to, *from;
	bool natt; /* sent from and to the NAT-T ports, behind the non-ESP marker */
	uint8_t buf[4 + ISAKMP_MAX_MSG];
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
/* setup_side() configures Aggressive Mode instead of Main Mode. */
static bool aggressive_mode;
/*
 * What this side sends is delivered at once, while it is still in the
 * handler that sent it (one level deep): as a fast peer on a real network
 * may act on a message before its sender has run its next line.
 */
static struct side *sync_from;
static int sync_depth;

static void deliver(struct ike_ctx *ctx, const struct packet *p, const uint8_t *buf, size_t len);

static int send_cb(void *arg, const struct sockaddr_storage *to, bool natt, const uint8_t *buf,
		   size_t len)
{
	struct side *s = arg;

	(void)to;
	s->sent++;
	if (++seq == drop_nth || qlen == 64 || s->dead || (s == &a ? &b : &a)->dead)
		return 0;
	if (s == sync_from && !sync_depth && !natt) {
		struct packet p = { .to = s == &a ? &b : &a, .from = s, .len = len };

		memcpy(p.buf, buf, len);
		sync_depth++;
		deliver(&p.to->ctx, &p, p.buf, p.len);
		sync_depth--;
		return 0;
	}
	queue[qlen].from = s;
	queue[qlen].to = s == &a ? &b : &a;
	queue[qlen].natt = natt;
	memset(queue[qlen].buf, 0, 4);
	memcpy(queue[qlen].buf + (natt ? 4 : 0), buf, len);
	queue[qlen].len = len + (natt ? 4 : 0);
	qlen++;
	return 0;
}

static int keepalive_cb(void *arg, const struct sockaddr_storage *to)
{
	(void)to;
	((struct side *)arg)->keepalives++;
	return 0;
}

static int endpoint_cb(void *arg, const struct tunnel_cfg *cfg, const struct ike_endpoint *ep)
{
	struct side *s = arg;

	(void)cfg;
	s->ep = *ep;
	s->endpoints++;
	return 0;
}

/* Where P appears to come from at its receiver: through FROM's NAT, if any. */
static void source_of(const struct packet *p, struct sockaddr_storage *out)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)out;

	*out = p->from->addr;
	sin->sin_port = htons(p->natt ? 4500 : 500);
	if (p->from->nat_port) {
		inet_pton(AF_INET, NAT_PUBLIC, &sin->sin_addr);
		sin->sin_port = htons((uint16_t)(p->from->nat_port + p->natt));
	}
}

static void deliver(struct ike_ctx *ctx, const struct packet *p, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage from;

	source_of(p, &from);
	if (p->natt)
		ike_input_natt(ctx, &from, buf, len);
	else
		ike_input(ctx, &from, buf, len);
}

/* Whether S has had an inbound SA with SPI added (removed or not). */
static bool added_in(const struct side *s, uint32_t spi)
{
	for (int i = 0; i < s->nchild; i++)
		if (s->child[i].spi_in == spi)
			return true;
	return false;
}

static int install_cb(void *arg, const struct child_sa *c)
{
	struct side *s = arg;

	if ((c->dirs & s->refuse_dirs) && s->refuse_installs > 0) {
		s->refuse_installs--;
		return -1;
	}
	if ((c->dirs & CHILD_OUT) && !added_in(s == &a ? &b : &a, c->spi_out))
		s->early_out++;
	if (s->late_in && (c->dirs & CHILD_OUT) && !added_in(s, c->spi_in) && s->nchild < 16)
		s->child[s->nchild++] = *c;
	if ((c->dirs & CHILD_IN) && !s->late_in && s->nchild < 16)
		s->child[s->nchild++] = *c;
	s->ep = c->ep;
	if (c->dirs & CHILD_OUT) {
		s->out_spi = c->spi_out;
		if (s->nouts < 16)
			s->outs[s->nouts++] = c->spi_out;
	}
	return 0;
}

/* An xfrm_out side drops the outbound SA of the pair whose inbound SA is IN. */
static void xfrm_remove_out(struct side *s, uint32_t in)
{
	uint32_t out = 0;
	int i, j;

	for (i = 0; i < s->nchild; i++)
		if (s->child[i].spi_in == in)
			out = s->child[i].spi_out;
	for (i = j = 0; i < s->nouts; i++)
		if (s->outs[i] != out)
			s->outs[j++] = s->outs[i];
	s->nouts = j;
	if (s->out_spi == out)
		s->out_spi = j ? s->outs[j - 1] : 0;
}

static int remove_cb(void *arg, const struct tunnel_cfg *cfg, uint32_t in, uint32_t out)
{
	struct side *s = arg;

	(void)cfg;
	s->removed_in = in;
	s->removed_out = out;
	s->nremoved++;
	if (s->xfrm_out)
		xfrm_remove_out(s, in);
	return 0;
}

static int esp_packets_cb(void *arg, const struct tunnel_cfg *cfg, bool in, uint32_t spi,
			  uint64_t *packets)
{
	struct side *s = arg;

	(void)cfg;
	*packets = in ? s->rx_packets : s->tx_packets;
	if (in && s->spi_exact && (s == &a ? &b : &a)->out_spi != spi)
		*packets = 0;
	return 0;
}

static int esp_last_cb(void *arg, const struct tunnel_cfg *cfg, bool in, uint32_t spi, uint64_t *ms)
{
	struct side *s = arg;

	(void)cfg;
	s->last_asked++;
	*ms = in ? s->rx_ms : s->tx_ms;
	if (in && s->spi_exact && (s == &a ? &b : &a)->out_spi != spi)
		*ms = 0;
	return 0;
}

static void problem_cb(void *arg, const struct tunnel_cfg *cfg, const char *text)
{
	struct side *s = arg;

	(void)cfg;
	snprintf(s->problem, sizeof(s->problem), "%s", text ? text : "");
	s->problems += text != NULL;
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
	s->t.aggressive = aggressive_mode;
	s->t.nat_keepalive = 20;
	s->cfg.tunnels = &s->t;
	s->ctx.cfg = &s->cfg;
	s->ctx.send = send_cb;
	s->ctx.keepalive = keepalive_cb;
	s->ctx.endpoint = endpoint_cb;
	s->ctx.install = install_cb;
	s->ctx.remove = remove_cb;
	s->ctx.esp_packets = esp_packets_cb;
	s->ctx.esp_last = esp_last_cb;
	s->ctx.problem = problem_cb;
	s->ctx.arg = s;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(500);
	memcpy(&sin->sin_addr, s->t.local, 4);
}

/* The path drops ESP in UDP both ways (plain ESP: struct side's esp_dropped). */
static bool udp_blocked;

static void send_esp(struct side *from, struct side *to)
{
	if (!from->sending)
		return;
	from->tx_packets++;
	from->tx_ms = from->ctx.now_ms;
	if (!(from->ep.udp ? udp_blocked : from->esp_dropped)) {
		to->rx_packets++;
		to->rx_ms = to->ctx.now_ms;
	}
}

static void arrives(struct side *s)
{
	if (!s->busy)
		return;
	s->rx_packets++;
	s->rx_ms = s->ctx.now_ms;
}

/* Deliver queued datagrams, ticking time forward whenever the queue runs dry. */
static void run(int max_ticks)
{
	for (int ticks = 0; ticks < max_ticks;) {
		if (!qlen) {
			a.ctx.now_ms += 1000;
			b.ctx.now_ms += 1000;
			arrives(&a);
			arrives(&b);
			send_esp(&a, &b);
			send_esp(&b, &a);
			ike_tick(&a.ctx);
			ike_tick(&b.ctx);
			ticks++;
			continue;
		}
		struct packet p = queue[0];

		memmove(queue, queue + 1, (size_t)(--qlen) * sizeof(queue[0]));
		deliver(&p.to->ctx, &p, p.buf, p.len);
		if (mangle) {
			uint8_t copy[sizeof(p.buf)];

			/* Truncations and single bit flips at every position must be harmless. */
			for (size_t cut = 0; cut < p.len; cut += 7)
				deliver(&p.to->ctx, &p, p.buf, cut);
			for (size_t i = 0; i < p.len; i += 5) {
				memcpy(copy, p.buf, p.len);
				copy[i] ^= (uint8_t)(1u << (i % 8));
				deliver(&p.to->ctx, &p, copy, p.len);
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
	aggressive_mode = false;
	udp_blocked = false;
	sync_from = NULL;
}

static bool keys_match(void)
{
	struct child_sa *x = &a.child[0], *y = &b.child[0];
	size_t len = x->alg.enc_key_len + x->alg.auth_key_len;

	return a.nchild == 1 && b.nchild == 1 && x->spi_in == y->spi_out &&
	       x->spi_out == y->spi_in && !memcmp(x->key_in, y->key_out, len) &&
	       !memcmp(x->key_out, y->key_in, len) && memcmp(x->key_in, x->key_out, len);
}

/*
 * For the rekeying tests (static inline: not every test uses them). The
 * installed pair of S whose inbound SPI is SPI, or NULL.
 */
static inline struct quick_mode *find_in(struct side *s, uint32_t spi)
{
	struct ike_sa *sa;
	struct quick_mode *qm;

	for (sa = s->ctx.sas; sa; sa = sa->next)
		for (qm = sa->qms; qm; qm = qm->next)
			if (qm->installed && qm->spi_in == spi)
				return qm;
	return NULL;
}

static inline int installed(struct side *s)
{
	struct ike_sa *sa;
	struct quick_mode *qm;
	int n = 0;

	for (sa = s->ctx.sas; sa; sa = sa->next)
		for (qm = sa->qms; qm; qm = qm->next)
			n += qm->installed;
	return n;
}

/* More pairs than this on a side during run_checked() is a leak: a rekey makes one more. */
static int installed_max = 4;

/* Each side's outbound SA is one the other side decrypts. Returns false on a break or leak. */
static inline bool run_checked(int ticks)
{
	bool ok = true;

	while (ticks--) {
		run(1);
		if (!find_in(&b, a.out_spi) || !find_in(&a, b.out_spi)) {
			if (ok)
				fprintf(stderr, "BREAK a.out %08x b.out %08x\n", a.out_spi,
					b.out_spi);
			ok = false;
		}
		if (installed(&a) > installed_max || installed(&b) > installed_max)
			ok = false;
	}
	return ok;
}

/* Pair I of both sides carries the same keys, mirrored. */
static inline bool pair_matches(int i)
{
	struct child_sa *x = &a.child[i], *y = &b.child[i];
	size_t len = x->alg.enc_key_len + x->alg.auth_key_len;

	return x->spi_in == y->spi_out && x->spi_out == y->spi_in &&
	       !memcmp(x->key_in, y->key_out, len) && !memcmp(x->key_out, y->key_in, len);
}

/* Configure a local-ts or remote-ts list as the configuration file would. */
static inline void set_ts(struct traffic_sel *list, size_t *n, const char *text)
{
	char err[128];

	CHECK(config_ts_list(text, list, n, err, sizeof(err)) == 0);
}

/* Whether the agreed pair S reads WANT (ts_sel_str), saying what it is when not. */
static inline bool sel_is(const struct child_sel *s, const char *want)
{
	char got[128];

	ts_sel_str(s, got, sizeof(got));
	if (strcmp(got, want))
		fprintf(stderr, "  want %s\n  got  %s\n", want, got);
	return !strcmp(got, want);
}

/* Deliver the first queued datagram without moving the clock. */
static inline void deliver_one(void)
{
	struct packet p = queue[0];

	memmove(queue, queue + 1, (size_t)(--qlen) * sizeof(queue[0]));
	deliver(&p.to->ctx, &p, p.buf, p.len);
}

/* Deliver what is queued, and what that sends, without moving the clock. */
static inline void deliver_queued(void)
{
	while (qlen)
		deliver_one();
}

/*
 * A forged MM1 from AS's address (not sent by it: a fresh cookie, AS's
 * proposals) delivered to TO, as anyone on the Internet can send one.
 */
static inline void forge_mm1(struct side *to, const struct side *as)
{
	static const uint8_t zero[8];
	struct ike_prop props[PROP_MAX];
	struct isakmp_builder bld;
	uint8_t icookie[8];

	CHECK(ike_random(icookie, 8) == 0);
	isakmp_build_header(&bld, icookie, zero, ISAKMP_XCHG_MAIN, 0, 0);
	prop_build_ike(&bld, props, p1_proposals(&as->t, props));
	isakmp_finish(&bld);
	ike_input(&to->ctx, &as->addr, bld.buf, bld.len);
}

/*
 * Deliver to TO a Quick Mode or informational message (EXCHANGE) from FROM's
 * established IKE SA: FROM's cookies, encrypted with its keys and the IV of
 * MSGID, a valid HASH(1), then PAYLOADS (LEN bytes, the first of type
 * FIRST) as they go on the wire. What only the peer can send, with any
 * content. False when FROM has no IKE SA to send it with.
 */
static inline bool deliver_protected(struct side *to, struct side *from, uint8_t exchange,
				     uint32_t msgid, uint8_t first, const uint8_t *payloads,
				     size_t len)
{
	static struct isakmp_builder m;
	uint8_t hash[IKE_MAX_HASH], iv[IKE_MAX_BLOCK];
	struct chunk rest = { payloads, len };
	struct ike_sa *sa = from->ctx.sas;

	if (!sa || sa->state != MM_ESTABLISHED || ike_hash_msgid(sa, msgid, &rest, 1, hash) ||
	    ike_keys_msgid_iv(&sa->keys, sa->iv, msgid, iv))
		return false;
	isakmp_build_header(&m, sa->icookie, sa->rcookie, exchange, 0, msgid);
	isakmp_add(&m, ISAKMP_NP_HASH, hash, sa->keys.hash_len);
	m.buf[m.np_off] = first;
	isakmp_put(&m, payloads, len);
	isakmp_finish(&m);
	if (ike_encrypt(sa, &m, iv))
		return false;
	ike_input(&to->ctx, &from->addr, m.buf, m.len);
	return true;
}

/* S's responder SAs that have only answered a first message. */
static inline int half_open(const struct side *s)
{
	const struct ike_sa *sa;
	int n = 0;

	for (sa = s->ctx.sas; sa; sa = sa->next)
		n += ike_sa_half_open(sa);
	return n;
}

#endif
