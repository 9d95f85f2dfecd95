// SPDX-License-Identifier: GPL-2.0
/*
 * The first SA of an algorithm makes the kernel load its modules and run
 * their self-tests: seconds in a small VM (7.7 s were measured under QEMU
 * for the first AES-GCM SA). The netlink request that adds that SA waits
 * all along, and with it the daemon and every other negotiation. So at
 * start and at reload a thread asks the kernel for each ESP algorithm the
 * configuration may install, through AF_ALG, whose bind makes the
 * algorithm just as the module's request would. By the first Quick Mode
 * the kernel has them; a request that comes sooner waits only for the
 * rest. Without AF_ALG nothing is lost but the head start, and a bind that
 * fails says nothing: the install that needs the algorithm says why.
 */
#include <linux/if_alg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "warmup.h"

#define WARMUP_MAX 16 /* distinct algorithms; more than PROP_MAX proposals can name */

struct warmup {
	size_t n;
	char names[WARMUP_MAX][sizeof(((struct sockaddr_alg *)0)->salg_name)];
};

static void *make_all(void *arg)
{
	struct warmup *w = arg;

	for (size_t i = 0; i < w->n; i++) {
		struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "aead" };
		int fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

		if (fd < 0)
			break;
		memcpy(sa.salg_name, w->names[i], sizeof(sa.salg_name));
		(void)bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
	}
	free(w);
	return NULL;
}

/* The name the module asks the crypto API for (kmod/sa.c): an AEAD, or authenc() of the pair. */
static void add(struct warmup *w, const struct esp_prop *p)
{
	struct esp_kernel_alg k;
	char name[sizeof(w->names[0])];

	if (esp_prop_kernel(p, &k))
		return;
	if (k.aead)
		snprintf(name, sizeof(name), "%s", k.aead);
	else
		snprintf(name, sizeof(name), "authenc(%s,%s)", k.auth, k.enc);
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->names[i], name))
			return;
	if (w->n < WARMUP_MAX)
		memcpy(w->names[w->n++], name, sizeof(name));
}

void warmup_start(const struct config *cfg)
{
	struct warmup *w = calloc(1, sizeof(*w));
	const struct tunnel_cfg *t;
	pthread_attr_t attr;
	pthread_t thread;

	if (!w)
		return;
	for (t = cfg->tunnels; t; t = t->next)
		for (size_t i = 0; i < t->n_esp; i++)
			add(w, &t->esp[i]);
	if (!w->n || pthread_attr_init(&attr)) {
		free(w);
		return;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, make_all, w))
		free(w);
	pthread_attr_destroy(&attr);
}
