// SPDX-License-Identifier: GPL-2.0
/*
 * IKE SA bookkeeping, below the exchanges: the SA table (creation,
 * lookup by cookies, half-open limits, freeing), message encryption,
 * sending with a copy kept for retransmission. What drives the exchanges,
 * and answers a repeated request, is dispatch.c.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"
#include "lifecycle.h"

struct ike_sa *ike_sa_new(struct ike_ctx *ctx, const struct tunnel_cfg *cfg, bool initiator,
			  const struct sockaddr_storage *peer)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->ctx = ctx;
	sa->cfg = cfg;
	sa->initiator = initiator;
	sa->peer = *peer;
	sa->started_ms = ctx->now_ms;
	sa->expire_ms = ctx->now_ms + IKE_NEGOTIATION_MS;
	if (index_add(sa)) {
		free(sa);
		return NULL;
	}
	if (timer_add(sa)) {
		index_del(sa);
		free(sa);
		return NULL;
	}
	sa->next = ctx->sas;
	if (sa->next)
		sa->next->pprev = &sa->next;
	sa->pprev = &ctx->sas;
	ctx->sas = sa;
	ike_changed(ctx, cfg);
	return sa;
}

static void retransmit_free(struct retransmit *rt)
{
	OPENSSL_clear_free(rt->buf, rt->len);
}

void qm_free(struct quick_mode *qm)
{
	spi_set_del(qm);
	ike_dh_free(qm->dh);
	retransmit_free(&qm->rt);
	OPENSSL_cleanse(qm, sizeof(*qm));
	free(qm);
}

void ike_sa_track_half_open(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;

	if (!ctx->half_open_tail)
		ctx->half_open_tail = &ctx->half_open;
	sa->half_open_next = NULL;
	sa->half_open_pprev = ctx->half_open_tail;
	*ctx->half_open_tail = sa;
	ctx->half_open_tail = &sa->half_open_next;
}

static void half_open_del(struct ike_sa *sa)
{
	if (!sa->half_open_pprev)
		return;
	*sa->half_open_pprev = sa->half_open_next;
	if (sa->half_open_next)
		sa->half_open_next->half_open_pprev = sa->half_open_pprev;
	else
		sa->ctx->half_open_tail = sa->half_open_pprev;
	sa->half_open_pprev = NULL;
}

void ike_sa_free(struct ike_sa *sa)
{
	/* Not only from a visit: ike_sa_make_room() frees other tunnels' SAs. */
	ike_changed(sa->ctx, sa->cfg);
	*sa->pprev = sa->next;
	if (sa->next)
		sa->next->pprev = sa->pprev;
	timer_del(sa);
	index_del(sa);
	half_open_del(sa);
	frag_rx_free(sa);
	/* What its tunnel's other SAs go by (a successor, a newer SA) may have changed. */
	ike_sa_touch(sa);
	while (sa->qms) {
		struct quick_mode *qm = sa->qms;

		sa->qms = qm->next;
		qm_free(qm);
	}
	ike_dh_free(sa->dh);
	retransmit_free(&sa->rt);
	free(sa->sai_b);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

bool ike_sa_half_open(const struct ike_sa *sa)
{
	return !sa->initiator && !sa->cookie_returned &&
	       (sa->state == MM_R_MM2_SENT || sa->state == AM_R_AM2_SENT);
}

bool ike_sa_genuine(const struct ike_sa *sa)
{
	return sa->state != MM_DEAD && !ike_sa_half_open(sa);
}

const char *ike_cookies_str(const struct ike_sa *sa, char buf[IKE_COOKIES_STR])
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;

	for (int i = 0; i < 16; i++) {
		uint8_t c = i < 8 ? sa->icookie[i] : sa->rcookie[i - 8];

		if (i == 8)
			*p++ = '/';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
	*p = 0;
	return buf;
}

bool ike_same_address(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)x)->sin_addr,
			       &((const struct sockaddr_in *)y)->sin_addr, 4);
	return !memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
		       &((const struct sockaddr_in6 *)y)->sin6_addr, 16);
}

/*
 * Evicting the oldest (rather than refusing the newest) is what lets a
 * genuine first message through a flood of forged ones from the same
 * address: a real peer answers MM2 within a round trip, after which its
 * SA is no longer half-open and out of reach of the flood. An SA leaves
 * the half-open state for good (its state only moves on), so the walk
 * drops it from the list once and for all.
 */
void ike_sa_make_room(struct ike_ctx *ctx, const struct sockaddr_storage *from)
{
	struct ike_sa *sa, *next, *oldest_peer = NULL;
	unsigned int n_peer = 0, n = 0;

	for (sa = ctx->half_open; sa; sa = next) {
		next = sa->half_open_next;
		if (!ike_sa_half_open(sa)) {
			half_open_del(sa);
			continue;
		}
		n++;
		if (ike_same_address(&sa->peer, from) && !n_peer++)
			oldest_peer = sa;
	}
	if (n_peer >= IKE_HALF_OPEN_PER_PEER) {
		ike_sa_free(oldest_peer);
		n--;
	}
	/* The walk left only half-open SAs: the first is the oldest. */
	if (n >= IKE_HALF_OPEN_MAX)
		ike_sa_free(ctx->half_open);
}

struct ike_sa *ike_sa_find(struct ike_ctx *ctx, const uint8_t icookie[8], const uint8_t rcookie[8])
{
	struct ike_sa *sa;

	for_each_icookie_sa(sa, ctx, icookie) {
		if (!memcmp(sa->rcookie, rcookie, 8)) {
			ike_sa_touch(sa);
			return sa;
		}
	}
	return NULL;
}

bool ike_msgid_seen(const struct ike_sa *sa, uint32_t msgid)
{
	unsigned int i, n = sa->n_msgids < IKE_MSGIDS_KEPT ? sa->n_msgids : IKE_MSGIDS_KEPT;

	for (i = 0; i < n; i++)
		if (sa->msgids[i] == msgid)
			return true;
	return false;
}

void ike_msgid_remember(struct ike_sa *sa, uint32_t msgid)
{
	sa->msgids[sa->n_msgids++ % IKE_MSGIDS_KEPT] = msgid;
}

int ike_encrypt(struct ike_sa *sa, struct isakmp_builder *b, uint8_t *iv)
{
	size_t block = sa->keys.block, plen, pad;

	if (b->err || b->len < ISAKMP_HDR_LEN)
		return -1;
	/* Zero padding to the block size; receivers ignore bytes after the last payload. */
	plen = b->len - ISAKMP_HDR_LEN;
	pad = (block - plen % block) % block;
	while (pad--)
		isakmp_put8(b, 0);
	if (b->err)
		return -1;
	b->buf[19] |= ISAKMP_FLAG_ENC;
	isakmp_finish(b);
	if (sa->state == MM_ESTABLISHED)
		reauth_count(sa, b->len - ISAKMP_HDR_LEN);
	return ike_cbc(sa->keys.cipher, true, sa->keys.enc_key, sa->keys.key_len, iv,
		       b->buf + ISAKMP_HDR_LEN, b->len - ISAKMP_HDR_LEN);
}

int ike_decrypt(struct ike_sa *sa, struct isakmp_msg *m, uint8_t *plain, const uint8_t *iv,
		uint8_t *next_iv)
{
	if (!(m->flags & ISAKMP_FLAG_ENC))
		return ISAKMP_N_INVALID_FLAGS;
	if (!m->body_len || m->body_len % sa->keys.block)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	memcpy(plain, m->body, m->body_len);
	memcpy(next_iv, iv, sa->keys.block);
	if (ike_cbc(sa->keys.cipher, false, sa->keys.enc_key, sa->keys.key_len, next_iv, plain,
		    m->body_len))
		return ISAKMP_N_PAYLOAD_MALFORMED;
	return isakmp_parse_payloads(m, m->np, plain, m->body_len);
}

struct chunk ike_after_hash(const struct isakmp_msg *m)
{
	struct chunk c = { NULL, 0 };

	if (m->n > 1) {
		const struct isakmp_payload *last = &m->p[m->n - 1];

		c.p = m->p[1].raw;
		c.len = (size_t)(last->body + last->len - m->p[1].raw);
	}
	return c;
}

const struct sockaddr_storage *ike_rx_from(const struct ike_sa *sa)
{
	return sa->ctx->rx_from ? sa->ctx->rx_from : &sa->peer;
}

void ike_sendto(struct ike_sa *sa, const uint8_t *buf, size_t len, bool again)
{
	if (!frag_send(sa, buf, len, again))
		sa->ctx->send(sa->ctx->arg, &sa->peer, sa->nat.floated, buf, len);
}

void ike_send(struct ike_sa *sa, struct retransmit *rt, const struct isakmp_builder *b,
	      const char *name, bool arm)
{
	uint8_t *buf = OPENSSL_malloc(b->len);

	retransmit_free(rt);
	rt->buf = buf;
	rt->len = buf ? b->len : 0;
	if (buf)
		memcpy(buf, b->buf, b->len);
	rt->name = name;
	rt->tries = 1;
	rt->timeout_ms = IKE_RETRANSMIT_MS;
	/* Out of memory: sent once, never repeated. */
	rt->next_ms = arm && buf ? sa->ctx->now_ms + rt->timeout_ms : 0;
	if (rt->next_ms)
		ike_sa_due_by(sa, rt->next_ms);
	ike_sendto(sa, b->buf, b->len, false);
}

void ike_sockaddr(int family, const uint8_t *ip, uint16_t port, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	out->ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)out;

		memcpy(&s->sin_addr, ip, 4);
		s->sin_port = htons(port);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)out;

		memcpy(&s->sin6_addr, ip, 16);
		s->sin6_port = htons(port);
	}
}

void ike_problem(struct ike_ctx *ctx, const struct tunnel_cfg *cfg, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ike_log("%s: %s", cfg->name, text);
	if (ctx->problem)
		ctx->problem(ctx->arg, cfg, text);
}

void ike_changed(struct ike_ctx *ctx, const struct tunnel_cfg *cfg)
{
	if (ctx->changed)
		ctx->changed(ctx->arg, cfg);
}

void ike_timer_at(int64_t *next, uint64_t at, uint64_t now)
{
	int64_t left = at > now ? (int64_t)(at - now) : 0;

	if (at && (*next < 0 || left < *next))
		*next = left;
}

void ike_ctx_free(struct ike_ctx *ctx)
{
	while (ctx->sas)
		ike_sa_free(ctx->sas);
	timer_free(ctx);
	index_free(ctx);
	spi_set_free(ctx);
}
