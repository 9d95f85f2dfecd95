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
 * The tunnels named to ctx->changed, whose status files the daemon then
 * rewrites, follow the same work: one per SA made, visited or freed, one
 * per datagram, none for the tunnels nothing happened to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dispatch.h"
#include "test_ike.h"

#define IDLE_TICKS 100
#define SOME 10 /* SAs made due by hand */

static uint64_t named; /* ctx->changed calls */
static const struct tunnel_cfg *last_named;

static void changed_cb(void *arg, const struct tunnel_cfg *cfg)
{
	(void)arg;
	named++;
	last_named = cfg;
}

/* A datagram for SA: its cookies, a Quick Mode without a message ID, which is dropped. */
static void datagram_for(struct ike_ctx *ctx, const struct ike_sa *sa)
{
	uint8_t buf[ISAKMP_HDR_LEN] = { 0 };

	memcpy(buf, sa->icookie, 8);
	memcpy(buf + 8, sa->rcookie, 8);
	buf[17] = ISAKMP_VERSION;
	buf[18] = ISAKMP_XCHG_QUICK;
	buf[27] = ISAKMP_HDR_LEN;
	ike_input(ctx, &sa->peer, buf, sizeof(buf));
}

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
	struct ike_ctx ctx = { .cfg = &cfg, .now_ms = 1000, .changed = changed_cb };
	struct sockaddr_storage peer = { .ss_family = AF_INET };
	double ns, idle_ns = 0, all_ns;
	uint64_t idle = 0;
	size_t i, made = 0;

	CHECK(t && sas);
	if (!t || !sas)
		return;
	named = 0;
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
		memcpy(sa->icookie, &(uint64_t){ i }, 8);
		sa->rcookie[0] = 1;
		index_cookie_set(sa);
		sas[i] = sa;
		made++;
	}
	CHECK(named == n);
	/* Every new SA is due: the first tick visits each once. */
	CHECK(tick(&ctx, n, &all_ns) == n);
	CHECK(named == 2 * n);
	for (i = 0; i < IDLE_TICKS; i++) {
		ctx.now_ms += 10;
		idle += tick(&ctx, n, &ns);
		idle_ns += ns;
	}
	CHECK(idle == 0);
	CHECK(named == 2 * n);
	/* A few made due (a datagram for each, say): those few, whatever N is. */
	for (i = 0; i < SOME; i++)
		ike_sa_due_by(sas[i * (n / SOME)], ctx.now_ms);
	CHECK(tick(&ctx, n, &ns) == SOME);
	CHECK(named == 2 * n + SOME);
	/* A datagram names its SA's tunnel, and so does the visit it makes due. */
	datagram_for(&ctx, sas[n / 2]);
	CHECK(named == 2 * n + SOME + 1 && last_named == &t[n / 2]);
	CHECK(tick(&ctx, n, &ns) == 1);
	CHECK(named == 2 * n + SOME + 2 && last_named == &t[n / 2]);
	/* The next deadline is the re-authentications'. */
	CHECK(ike_tick(&ctx) == (int64_t)(sas[0]->reauth_ms - ctx.now_ms));
	printf("# %zu tunnels: idle tick %.0f visits %.2f ns per tunnel; all due %zu visits "
	       "%.0f ns per tunnel\n",
	       n, (double)idle / IDLE_TICKS, idle_ns / IDLE_TICKS, n, all_ns);
out:
	named = 0;
	ike_ctx_free(&ctx);
	CHECK(named == made);
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
