// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE SAs of each tunnel, so that what asks about one tunnel's SAs
 * (a successor, an older pair, its status) costs the SAs of that tunnel
 * rather than all of them: a hash on the tunnel's name, chained, newest
 * SA first in each chain as in ctx->sas. The name, not the tunnel_cfg,
 * is the key because a reload moves an unchanged tunnel's SAs to a new
 * tunnel_cfg of the same name. Its chains grow to about one tunnel each.
 */
#include <stdlib.h>
#include <string.h>

#include "ike_sa.h"

#define TUNNELS_MIN 64

static size_t hash(const char *name)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	while (*name)
		h = (h ^ (uint8_t)*name++) * 1099511628211ULL;
	return (size_t)(h ^ h >> 32);
}

static void link_tail(struct ike_sa ***tail, struct ike_sa *sa)
{
	sa->tpprev = *tail;
	**tail = sa;
	*tail = &sa->tnext;
}

/* Twice the buckets: each chain splits in two, in order. Out of memory, chains grow longer. */
static void grow(struct ike_tunnels *t)
{
	size_t n = t->n_buckets ? 2 * t->n_buckets : TUNNELS_MIN, i;
	struct ike_sa **b = calloc(n, sizeof(*b)), *sa, *next;

	if (!b)
		return;
	for (i = 0; i < t->n_buckets; i++) {
		struct ike_sa **lo = &b[i], **hi = &b[i + t->n_buckets];

		for (sa = t->buckets[i]; sa; sa = next) {
			next = sa->tnext;
			sa->tnext = NULL;
			link_tail((hash(sa->cfg->name) & (n - 1)) == i ? &lo : &hi, sa);
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
}

int tunnels_add(struct ike_sa *sa)
{
	struct ike_tunnels *t = &sa->ctx->tunnels;
	struct ike_sa **head;

	if (t->count >= t->n_buckets)
		grow(t);
	if (!t->n_buckets)
		return -1;
	t->count++;
	head = &t->buckets[hash(sa->cfg->name) & (t->n_buckets - 1)];
	sa->tnext = *head;
	if (*head)
		(*head)->tpprev = &sa->tnext;
	sa->tpprev = head;
	*head = sa;
	return 0;
}

void tunnels_del(struct ike_sa *sa)
{
	*sa->tpprev = sa->tnext;
	if (sa->tnext)
		sa->tnext->tpprev = sa->tpprev;
	sa->ctx->tunnels.count--;
}

struct ike_sa *tunnels_chain(const struct ike_ctx *ctx, const char *name)
{
	const struct ike_tunnels *t = &ctx->tunnels;

	return t->n_buckets ? t->buckets[hash(name) & (t->n_buckets - 1)] : NULL;
}

struct ike_sa *tunnels_match(struct ike_sa *sa, const struct tunnel_cfg *cfg, const char *name)
{
	while (sa && (cfg ? sa->cfg != cfg : strcmp(sa->cfg->name, name)))
		sa = sa->tnext;
	return sa;
}

void tunnels_free(struct ike_ctx *ctx)
{
	free(ctx->tunnels.buckets);
	memset(&ctx->tunnels, 0, sizeof(ctx->tunnels));
}
