// SPDX-License-Identifier: GPL-2.0
/*
 * esptun daemon: one process, one epoll loop, every tunnel of the
 * configuration. UDP 500 sockets feed ike_input(); one timerfd drives
 * retransmissions and expiry through ike_tick(); a signalfd ends the loop.
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ike/ike_sa.h"
#include "ike/install.h"
#include "log.h"
#include "subcommands.h"

#define RESTART_MS 10000 /* between attempts to bring up a tunnel we initiate */

const char daemon_usage[] =
	"Usage: esptun daemon [-c FILE] [-p PORT]\n"
	"\n"
	"Negotiate IKEv1 (Main or Aggressive Mode, then Quick Mode, pre-shared keys)\n"
	"for every tunnel of FILE (default " CONFIG_DEFAULT_PATH ") and install the\n"
	"SAs into the esptun devices, creating them when absent. Logs go to stderr;\n"
	"keys never do.\n"
	"-p sets the UDP port to listen on (default 500), for tests.\n";

struct daemon {
	struct config cfg;
	struct ike_ctx ctx;
	int sock4, sock6, timer, sig, epoll;
	uint64_t next_try_ms; /* when to retry the tunnels we initiate */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int send_cb(void *arg, const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	struct daemon *d = arg;
	int fd = to->ss_family == AF_INET ? d->sock4 : d->sock6;
	socklen_t alen =
		to->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

	if (fd < 0 || sendto(fd, buf, len, 0, (const struct sockaddr *)to, alen) < 0) {
		ike_log("sendto: %s",
			fd < 0 ? "no socket for this address family" : strerror(errno));
		return -1;
	}
	return 0;
}

static int install_cb(void *arg, const struct child_sa *c)
{
	(void)arg;
	return install_child(c);
}

static int remove_cb(void *arg, const struct tunnel_cfg *t, uint32_t spi_in, uint32_t spi_out)
{
	(void)arg;
	return remove_child(t, spi_in, spi_out);
}

static int esp_rx_cb(void *arg, const struct tunnel_cfg *t, uint32_t spi_in, uint64_t *packets)
{
	(void)arg;
	return child_rx_packets(t, spi_in, packets);
}

static int open_socket(int family, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	int one = 1, fd;
	socklen_t len;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		len = sizeof(*s);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int watch(struct daemon *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return fd < 0 ? 0 : epoll_ctl(d->epoll, EPOLL_CTL_ADD, fd, &ev);
}

/* Start Main Mode for every tunnel we initiate that has no IKE SA (at start, and after a failure). */
static void initiate_missing(struct daemon *d)
{
	const struct tunnel_cfg *t;
	const struct ike_sa *sa;

	if (d->ctx.now_ms < d->next_try_ms)
		return;
	d->next_try_ms = d->ctx.now_ms + RESTART_MS;
	for (t = d->cfg.tunnels; t; t = t->next) {
		if (!t->initiate)
			continue;
		for (sa = d->ctx.sas; sa; sa = sa->next)
			if (sa->cfg == t)
				break;
		if (!sa)
			ike_initiate(&d->ctx, t);
	}
}

static void arm_timer(struct daemon *d)
{
	struct itimerspec its = { 0 };
	int64_t next = ike_tick(&d->ctx);
	int64_t retry = (int64_t)(d->next_try_ms - d->ctx.now_ms);

	if (retry > 0 && (next < 0 || retry < next))
		next = retry;
	if (next < 1)
		next = 1;
	its.it_value.tv_sec = next / 1000;
	its.it_value.tv_nsec = (next % 1000) * 1000000;
	timerfd_settime(d->timer, 0, &its, NULL);
}

static void receive(struct daemon *d, int fd)
{
	uint8_t buf[ISAKMP_MAX_MSG + 1];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	/* Drain the socket; an oversized datagram arrives truncated and is refused by the parser. */
	while ((n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &flen)) >=
	       0) {
		d->ctx.now_ms = now_ms();
		ike_input(&d->ctx, &from, buf, (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n);
		flen = sizeof(from);
	}
}

static int run(struct daemon *d)
{
	struct epoll_event ev[8];
	struct signalfd_siginfo si;
	int i, n;

	for (;;) {
		d->ctx.now_ms = now_ms();
		initiate_missing(d);
		arm_timer(d);
		n = epoll_wait(d->epoll, ev, 8, -1);
		if (n < 0 && errno != EINTR)
			return EXIT_ERROR;
		for (i = 0; i < n; i++) {
			int fd = ev[i].data.fd;

			if (fd == d->sig) {
				if (read(fd, &si, sizeof(si)) == sizeof(si))
					ike_log("signal %u: deleting SAs and exiting",
						si.ssi_signo);
				ike_shutdown(&d->ctx);
				return 0;
			}
			if (fd == d->timer) {
				uint64_t expirations;

				if (read(fd, &expirations, sizeof(expirations)) < 0)
					continue;
			} else {
				receive(d, fd);
			}
		}
	}
}

static int setup(struct daemon *d, const char *path, uint16_t port)
{
	char err[512];
	const struct tunnel_cfg *t;
	sigset_t mask;

	if (config_load(path, &d->cfg, err, sizeof(err))) {
		log_error("%s", err);
		return EXIT_ERROR;
	}
	for (t = d->cfg.tunnels; t; t = t->next)
		install_device(t);
	d->ctx.cfg = &d->cfg;
	d->ctx.send = send_cb;
	d->ctx.install = install_cb;
	d->ctx.remove = remove_cb;
	d->ctx.esp_rx = esp_rx_cb;
	d->ctx.arg = d;
	d->sock4 = open_socket(AF_INET, port);
	d->sock6 = open_socket(AF_INET6, port);
	if (d->sock4 < 0 && d->sock6 < 0) {
		log_error("cannot bind UDP port %u: %s", port, strerror(errno));
		return EXIT_ERROR;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sig = signalfd(-1, &mask, SFD_CLOEXEC);
	d->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	d->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (d->sig < 0 || d->timer < 0 || d->epoll < 0 || watch(d, d->sock4) ||
	    watch(d, d->sock6) || watch(d, d->sig) || watch(d, d->timer)) {
		log_error("event loop setup: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}

static void teardown(struct daemon *d)
{
	int fds[] = { d->sock4, d->sock6, d->timer, d->sig, d->epoll };

	ike_ctx_free(&d->ctx);
	config_free(&d->cfg);
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int daemon_main(int argc, char **argv)
{
	struct daemon d = { .sock4 = -1, .sock6 = -1, .timer = -1, .sig = -1, .epoll = -1 };
	const char *path = CONFIG_DEFAULT_PATH;
	unsigned long port = 500;
	char *end;
	int opt, ret;

	log_set_context("daemon");
	optind = 1;
	while ((opt = getopt(argc, argv, "c:p:")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'p':
			port = strtoul(optarg, &end, 10);
			if (*end || !port || port > 65535) {
				log_error("-p %s: not a UDP port", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return EXIT_USAGE;
	setvbuf(stderr, NULL, _IOLBF, 0);
	ret = setup(&d, path, (uint16_t)port);
	if (!ret)
		ret = run(&d);
	teardown(&d);
	return ret;
}
