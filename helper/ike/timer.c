// SPDX-License-Identifier: GPL-2.0
/*
 * The deadline heap of timer.h. Every SA is in it, or on the fired list
 * while ike_tick() visits it: an SA never drops out of the timers, so no
 * caller has to remember to queue it. The heap holds one slot per SA,
 * reserved when the SA is made, so that queueing never fails.
 */
#include <stdlib.h>

#include "ike_sa.h"

static bool before(const struct ike_sa *x, const struct ike_sa *y)
{
	return x->timer.due_ms < y->timer.due_ms;
}

static void place(struct ike_timers *t, struct ike_sa *sa, size_t i)
{
	t->heap[i] = sa;
	sa->timer.pos = i + 1;
}

static void up(struct ike_timers *t, size_t i)
{
	struct ike_sa *sa = t->heap[i];

	while (i && before(sa, t->heap[(i - 1) / 2])) {
		place(t, t->heap[(i - 1) / 2], i);
		i = (i - 1) / 2;
	}
	place(t, sa, i);
}

static void down(struct ike_timers *t, size_t i)
{
	struct ike_sa *sa = t->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= t->len)
			break;
		if (c + 1 < t->len && before(t->heap[c + 1], t->heap[c]))
			c++;
		if (!before(t->heap[c], sa))
			break;
		place(t, t->heap[c], i);
		i = c;
	}
	place(t, sa, i);
}

static void push(struct ike_timers *t, struct ike_sa *sa)
{
	t->len++;
	place(t, sa, t->len - 1);
	up(t, t->len - 1);
}

static void remove_at(struct ike_timers *t, size_t i)
{
	struct ike_sa *last = t->heap[--t->len];

	t->heap[i]->timer.pos = 0;
	if (i == t->len)
		return;
	place(t, last, i);
	up(t, i);
	down(t, last->timer.pos - 1);
}

int timer_add(struct ike_sa *sa)
{
	struct ike_timers *t = &sa->ctx->timers;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct ike_sa **heap = realloc(t->heap, cap * sizeof(*heap));

		if (!heap)
			return -1;
		t->heap = heap;
		t->cap = cap;
	}
	t->n++;
	sa->timer.due_ms = sa->ctx->now_ms;
	push(t, sa);
	return 0;
}

void ike_sa_due_by(struct ike_sa *sa, uint64_t at)
{
	struct ike_sa_timer *st = &sa->timer;

	if (at >= st->due_ms)
		return;
	st->due_ms = at;
	if (st->pos)
		up(&sa->ctx->timers, st->pos - 1);
}

void ike_sa_touch(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;
	struct ike_sa *o;

	for_each_tunnel_sa(o, ctx, sa->cfg)
		ike_sa_due_by(o, ctx->now_ms);
}

struct ike_sa *timer_pop_due(struct ike_ctx *ctx)
{
	struct ike_timers *t = &ctx->timers;
	struct ike_sa *sa;

	if (!t->len || t->heap[0]->timer.due_ms > ctx->now_ms)
		return NULL;
	sa = t->heap[0];
	remove_at(t, 0);
	/* Its visit sets the deadline anew; anything earlier asked meanwhile lowers it. */
	sa->timer.due_ms = UINT64_MAX;
	sa->timer.fired = true;
	sa->timer.fired_next = t->fired;
	t->fired = sa;
	t->visits++;
	return sa;
}

int64_t timer_requeue(struct ike_ctx *ctx)
{
	struct ike_timers *t = &ctx->timers;
	uint64_t due;

	while (t->fired) {
		struct ike_sa *sa = t->fired;

		t->fired = sa->timer.fired_next;
		sa->timer.fired = false;
		push(t, sa);
	}
	if (!t->len || t->heap[0]->timer.due_ms == UINT64_MAX)
		return -1;
	due = t->heap[0]->timer.due_ms;
	return due > ctx->now_ms ? (int64_t)(due - ctx->now_ms) : 0;
}

void timer_del(struct ike_sa *sa)
{
	struct ike_timers *t = &sa->ctx->timers;
	struct ike_sa **pp;

	t->n--;
	if (sa->timer.pos) {
		remove_at(t, sa->timer.pos - 1);
		return;
	}
	/* Rare: an SA freed while ike_tick() visits another. */
	for (pp = &t->fired; *pp; pp = &(*pp)->timer.fired_next) {
		if (*pp == sa) {
			*pp = sa->timer.fired_next;
			break;
		}
	}
}

void timer_free(struct ike_ctx *ctx)
{
	free(ctx->timers.heap);
	ctx->timers.heap = NULL;
	ctx->timers.len = ctx->timers.cap = ctx->timers.n = 0;
}
