// SPDX-License-Identifier: GPL-2.0
/*
 * Our inbound SPIs, by value: a fresh SPI must name no other SA of ours,
 * in the kernel or being negotiated (the kernel's SPI table is one for
 * all devices of a namespace, and an install refused after the exchange
 * named the SPI to the peer loses the pair). Asking costs a chain of
 * about one, whatever the number of tunnels.
 *
 * A chained hash table; a quick_mode holds its link and the set it is
 * in, so that qm_free() needs no context. We choose the SPIs at random,
 * so their low bits spread them: no key is needed.
 */
#include <stdlib.h>

#include "ike_sa.h"

#define SPI_SET_MIN 64

static uint32_t our_spi(const struct quick_mode *qm)
{
	return qm->initiator ? qm->spi_i : qm->spi_r;
}

static struct quick_mode **bucket(const struct ike_spis *set, uint32_t spi)
{
	return &set->buckets[spi & (set->n_buckets - 1)];
}

static void link_head(struct quick_mode **head, struct quick_mode *qm)
{
	qm->spi_next = *head;
	if (*head)
		(*head)->spi_pprev = &qm->spi_next;
	qm->spi_pprev = head;
	*head = qm;
}

static int grow(struct ike_spis *set)
{
	size_t n = set->n_buckets ? 2 * set->n_buckets : SPI_SET_MIN, i;
	struct quick_mode **old = set->buckets, *qm, *next;
	size_t old_n = set->n_buckets;

	set->buckets = calloc(n, sizeof(*set->buckets));
	if (!set->buckets) {
		set->buckets = old;
		return old_n ? 0 : -1; /* longer chains */
	}
	set->n_buckets = n;
	for (i = 0; i < old_n; i++)
		for (qm = old[i]; qm; qm = next) {
			next = qm->spi_next;
			link_head(bucket(set, our_spi(qm)), qm);
		}
	free(old);
	return 0;
}

bool spi_set_has(const struct ike_ctx *ctx, uint32_t spi)
{
	const struct quick_mode *qm;

	if (!ctx->spis.n_buckets)
		return false;
	for (qm = *bucket(&ctx->spis, spi); qm; qm = qm->spi_next)
		if (our_spi(qm) == spi)
			return true;
	return false;
}

int spi_set_add(struct ike_ctx *ctx, struct quick_mode *qm, uint32_t spi)
{
	struct ike_spis *set = &ctx->spis;

	if (set->count >= set->n_buckets && grow(set))
		return -1;
	if (qm->initiator)
		qm->spi_i = spi;
	else
		qm->spi_r = spi;
	link_head(bucket(set, spi), qm);
	qm->spis = set;
	set->count++;
	return 0;
}

void spi_set_del(struct quick_mode *qm)
{
	if (!qm->spi_pprev)
		return;
	*qm->spi_pprev = qm->spi_next;
	if (qm->spi_next)
		qm->spi_next->spi_pprev = qm->spi_pprev;
	qm->spi_pprev = NULL;
	qm->spis->count--;
}

void spi_set_free(struct ike_ctx *ctx)
{
	free(ctx->spis.buckets);
	ctx->spis.buckets = NULL;
	ctx->spis.n_buckets = ctx->spis.count = 0;
}
