/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE SAs of a context ordered by their next deadline (a binary
 * min-heap), so that ike_tick() visits only the SAs whose deadline passed
 * rather than every SA on every event-loop iteration. An SA's deadline is
 * the earliest of its own timers, as its last visit computed it; code that
 * moves one of them earlier outside ike_tick() says so with
 * ike_sa_due_by(), or ike_sa_touch() when the SA changed in a way its
 * timers do not show (a message arrived, a sibling went away).
 */
#ifndef ESPTUN_IKE_TIMER_H
#define ESPTUN_IKE_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_ctx;
struct ike_sa;

struct ike_timers {
	struct ike_sa **heap; /* heap[0] is due first */
	size_t len, cap;
	size_t n;	      /* SAs, queued or fired: the heap has room for all */
	struct ike_sa *fired; /* visited by the ike_tick() under way, queued again at its end */
	uint64_t visits;      /* SAs ike_tick() visited, ever: its work, for tests */
};

/* What an SA keeps for the heap. */
struct ike_sa_timer {
	uint64_t due_ms; /* while queued or fired */
	size_t pos;	 /* 1 + its index in the heap; 0: not queued */
	bool fired;	 /* on the fired list: due_ms collects what its visit asks for */
	struct ike_sa *fired_next;
};

/* A new SA, due now. 0, or -1 when out of memory (then it cannot be kept). */
int timer_add(struct ike_sa *sa);
/* SA is to be visited at AT at the latest (now, when AT lies in the past). */
void ike_sa_due_by(struct ike_sa *sa, uint64_t at);
/* SA and the other SAs of its tunnel are due now: something changed them. */
void ike_sa_touch(struct ike_sa *sa);
/* The next SA whose deadline passed, moved to the fired list; NULL when none is due. */
struct ike_sa *timer_pop_due(struct ike_ctx *ctx);
/* The end of ike_tick(): queue the fired SAs again. Ms to the earliest deadline, or -1. */
int64_t timer_requeue(struct ike_ctx *ctx);
/* SA leaves the heap or the fired list (it is being freed). */
void timer_del(struct ike_sa *sa);
void timer_free(struct ike_ctx *ctx);

#endif
