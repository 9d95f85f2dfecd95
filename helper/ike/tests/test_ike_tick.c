// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of ike_tick() per tunnel must not grow with the number of
 * tunnels: every event-loop iteration runs it, so a tick that scans all
 * SAs for each SA makes a daemon with thousands of tunnels spend its time
 * ticking. N established IKE SAs, one per tunnel, each with a
 * re-authentication armed but not due; the CPU time of a tick per SA at
 * 5000 tunnels against 100. A quadratic tick is 50 times dearer per SA
 * there; the bound leaves room for caches and a loaded machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dispatch.h"
#include "test_ike.h"

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Nanoseconds of CPU per SA for one tick over N tunnels: the best of a few runs. */
static double tick_ns_per_sa(size_t n)
{
	struct tunnel_cfg *t = calloc(n, sizeof(*t));
	struct config cfg = { 0 };
	struct ike_ctx ctx = { .cfg = &cfg, .now_ms = 1000 };
	struct sockaddr_storage peer = { .ss_family = AF_INET };
	double best = -1;

	CHECK(t != NULL);
	if (!t)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct ike_sa *sa;

		snprintf(t[i].name, sizeof(t[i].name), "vpn%u", (unsigned int)i % 100000);
		t[i].family = AF_INET;
		sa = ike_sa_new(&ctx, &t[i], true, &peer);
		CHECK(sa != NULL);
		if (!sa)
			break;
		sa->state = MM_ESTABLISHED;
		sa->established_ms = ctx.now_ms;
		sa->expire_ms = ctx.now_ms + 28800 * 1000ull;
		sa->reauth_ms = ctx.now_ms + 25000 * 1000ull;
	}
	for (int run = 0; run < 7; run++) {
		double start = cpu_ns(), ns;

		ctx.now_ms += 10;
		CHECK(ike_tick(&ctx) > 0);
		ns = (cpu_ns() - start) / (double)n;
		if (best < 0 || ns < best)
			best = ns;
	}
	ike_ctx_free(&ctx);
	free(t);
	return best;
}

int main(void)
{
	double small, large;

	ike_log_quiet = true;
	small = tick_ns_per_sa(100);
	large = tick_ns_per_sa(5000);
	printf("# ike_tick per SA: %.0f ns at 100 tunnels, %.0f ns at 5000\n", small, large);
	CHECK(large < 8 * small + 200);
	TEST_DONE("test_ike_tick");
}
