// SPDX-License-Identifier: GPL-2.0
/*
 * The work of ike_tick() must follow the SAs that are due, not the number
 * of tunnels: every event-loop iteration runs it, so a tick that visits
 * every SA (worse, scans all SAs for each) makes a daemon with thousands
 * of tunnels spend its time ticking. N established IKE SAs, one per
 * tunnel, each with a re-authentication armed but not due: the SAs a tick
 * visits (ctx->timers.visits) must be N when all are due (new SAs are),
 * none when none is, and as many as were made due otherwise, from 100 to
 * 5000 tunnels. Time is measured for the record only, never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dispatch.h"
#include "test_ike.h"

#define IDLE_TICKS 100
#define SOME 10 /* SAs made due by hand */

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The SAs one tick visited, and its CPU time per tunnel into *NS. */
static uint64_t tick(struct ike_ctx *ctx, size_t n, double *ns)
{
	uint64_t visits = ctx->timers.visits;
	double start = cpu_ns();

	CHECK(ike_tick(ctx) > 0);
	*ns = (cpu_ns() - start) / (double)n;
	return ctx->timers.visits - visits;
}

static void run(size_t n)
{
	struct tunnel_cfg *t = calloc(n, sizeof(*t));
	struct ike_sa **sas = calloc(n, sizeof(*sas));
	struct config cfg = { 0 };
	struct ike_ctx ctx = { .cfg = &cfg, .now_ms = 1000 };
	struct sockaddr_storage peer = { .ss_family = AF_INET };
	double ns, idle_ns = 0, all_ns;
	uint64_t idle = 0;
	size_t i;

	CHECK(t && sas);
	if (!t || !sas)
		return;
	for (i = 0; i < n; i++) {
		struct ike_sa *sa;

		snprintf(t[i].name, sizeof(t[i].name), "vpn%u", (unsigned int)i);
		t[i].family = AF_INET;
		sa = ike_sa_new(&ctx, &t[i], true, &peer);
		CHECK(sa != NULL);
		if (!sa)
			goto out;
		sa->state = MM_ESTABLISHED;
		sa->established_ms = ctx.now_ms;
		sa->expire_ms = ctx.now_ms + 28800 * 1000ull;
		sa->reauth_ms = ctx.now_ms + 25000 * 1000ull;
		sas[i] = sa;
	}
	/* Every new SA is due: the first tick visits each once. */
	CHECK(tick(&ctx, n, &all_ns) == n);
	for (i = 0; i < IDLE_TICKS; i++) {
		ctx.now_ms += 10;
		idle += tick(&ctx, n, &ns);
		idle_ns += ns;
	}
	CHECK(idle == 0);
	/* A few made due (a datagram for each, say): those few, whatever N is. */
	for (i = 0; i < SOME; i++)
		ike_sa_due_by(sas[i * (n / SOME)], ctx.now_ms);
	CHECK(tick(&ctx, n, &ns) == SOME);
	/* The next deadline is the re-authentications'. */
	CHECK(ike_tick(&ctx) == (int64_t)(sas[0]->reauth_ms - ctx.now_ms));
	printf("# %zu tunnels: idle tick %.0f visits %.2f ns per tunnel; all due %zu visits "
	       "%.0f ns per tunnel\n",
	       n, (double)idle / IDLE_TICKS, idle_ns / IDLE_TICKS, n, all_ns);
out:
	ike_ctx_free(&ctx);
	free(sas);
	free(t);
}

int main(void)
{
	ike_log_quiet = true;
	run(100);
	run(1000);
	run(5000);
	TEST_DONE("test_ike_tick");
}
