// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE SAs by tunnel and by initiator cookie, so that a question about
 * one tunnel (a successor, an older pair, its status) or one datagram
 * costs the SAs it concerns rather than all of them. Two chained hash
 * tables; an SA holds a struct ike_link for each, with its hash, so that
 * growing needs no key. Chains keep ctx->sas's order, newest first, and
 * grow to about one SA each.
 *
 * The tunnel's name is the key, not its tunnel_cfg: a reload moves an
 * unchanged tunnel's SAs to a new tunnel_cfg of the same name. The peer
 * chooses the initiator cookie of our responder SAs, so that hash is
 * keyed with a secret: a flood of MM1s cannot aim at one chain.
 */
#include <stdlib.h>
#include <string.h>

#include "ike_sa.h"

#define INDEX_MIN 64
#define TUNNEL offsetof(struct ike_sa, by_tunnel)
#define COOKIE offsetof(struct ike_sa, by_cookie)

static struct ike_link *link_of(struct ike_sa *sa, size_t off)
{
	return (struct ike_link *)((char *)sa + off);
}

static void link_tail(struct ike_sa ***tail, struct ike_sa *sa, size_t off)
{
	struct ike_link *l = link_of(sa, off);

	l->next = NULL;
	l->pprev = *tail;
	**tail = sa;
	*tail = &l->next;
}

static int reserve(struct ike_index *ix, size_t off, size_t count)
{
	size_t n = ix->n_buckets ? 2 * ix->n_buckets : INDEX_MIN, i;
	struct ike_sa **b, *sa, *next;

	if (count < ix->n_buckets)
		return 0;
	b = calloc(n, sizeof(*b));
	if (!b)
		return ix->n_buckets ? 0 : -1; /* longer chains */
	/* Each chain splits in two, in order. */
	for (i = 0; i < ix->n_buckets; i++) {
		struct ike_sa **lo = &b[i], **hi = &b[i + ix->n_buckets];

		for (sa = ix->buckets[i]; sa; sa = next) {
			next = link_of(sa, off)->next;
			link_tail((link_of(sa, off)->hash & (n - 1)) == i ? &lo : &hi, sa, off);
		}
	}
	free(ix->buckets);
	ix->buckets = b;
	ix->n_buckets = n;
	return 0;
}

static void add(struct ike_index *ix, size_t off, struct ike_sa *sa, size_t hash)
{
	struct ike_sa **head = &ix->buckets[hash & (ix->n_buckets - 1)];
	struct ike_link *l = link_of(sa, off);

	l->hash = hash;
	l->next = *head;
	if (*head)
		link_of(*head, off)->pprev = &l->next;
	l->pprev = head;
	*head = sa;
}

static void del(struct ike_sa *sa, size_t off)
{
	struct ike_link *l = link_of(sa, off);

	if (!l->pprev)
		return;
	*l->pprev = l->next;
	if (l->next)
		link_of(l->next, off)->pprev = l->pprev;
	l->pprev = NULL;
}

static size_t tunnel_hash(const char *name)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	while (*name)
		h = (h ^ (uint8_t)*name++) * 1099511628211ULL;
	return (size_t)(h ^ h >> 32);
}

static size_t cookie_hash(const struct ike_ctx *ctx, const uint8_t cookie[8])
{
	uint64_t h;

	memcpy(&h, cookie, 8);
	h = (h ^ ctx->index_key) * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32 ^ h);
}

int index_add(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;

	if (!ctx->index_key && ike_random(&ctx->index_key, sizeof(ctx->index_key)))
		return -1;
	/* Room for every SA, so that a cookie set later always finds a chain. */
	if (reserve(&ctx->by_tunnel, TUNNEL, ctx->timers.n) ||
	    reserve(&ctx->by_cookie, COOKIE, ctx->timers.n))
		return -1;
	add(&ctx->by_tunnel, TUNNEL, sa, tunnel_hash(sa->cfg->name));
	return 0;
}

void index_cookie_set(struct ike_sa *sa)
{
	del(sa, COOKIE);
	add(&sa->ctx->by_cookie, COOKIE, sa, cookie_hash(sa->ctx, sa->icookie));
}

void index_del(struct ike_sa *sa)
{
	del(sa, TUNNEL);
	del(sa, COOKIE);
}

struct ike_sa *tunnels_chain(const struct ike_ctx *ctx, const char *name)
{
	const struct ike_index *ix = &ctx->by_tunnel;

	return ix->n_buckets ? ix->buckets[tunnel_hash(name) & (ix->n_buckets - 1)] : NULL;
}

struct ike_sa *tunnels_match(struct ike_sa *sa, const struct tunnel_cfg *cfg, const char *name)
{
	while (sa && (cfg ? sa->cfg != cfg : strcmp(sa->cfg->name, name)))
		sa = sa->by_tunnel.next;
	return sa;
}

struct ike_sa *cookies_chain(const struct ike_ctx *ctx, const uint8_t icookie[8])
{
	const struct ike_index *ix = &ctx->by_cookie;

	return ix->n_buckets ? ix->buckets[cookie_hash(ctx, icookie) & (ix->n_buckets - 1)] : NULL;
}

struct ike_sa *cookies_match(struct ike_sa *sa, const uint8_t icookie[8])
{
	while (sa && memcmp(sa->icookie, icookie, 8))
		sa = sa->by_cookie.next;
	return sa;
}

void index_free(struct ike_ctx *ctx)
{
	free(ctx->by_tunnel.buckets);
	free(ctx->by_cookie.buckets);
	memset(&ctx->by_tunnel, 0, sizeof(ctx->by_tunnel));
	memset(&ctx->by_cookie, 0, sizeof(ctx->by_cookie));
}
