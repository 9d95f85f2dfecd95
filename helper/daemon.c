// SPDX-License-Identifier: GPL-2.0
/*
 * esptun daemon: one process, one epoll loop, every tunnel of the
 * configuration. UDP 500 sockets feed ike_input(), UDP 4500 sockets (NAT
 * traversal; the kernel takes the ESP-in-UDP arriving there) feed
 * ike_input_natt(); the module's events tell it when a device followed
 * its peer's NAT mapping; one timerfd drives retransmissions, keepalives,
 * DPD, the ESP path watch and expiry through ike_tick(); a signalfd ends
 * the loop (SIGINT, SIGTERM) or reloads the configuration (SIGHUP). The
 * control socket (control.h) takes esptun up, down, rekey and reload,
 * which daemon_control.c answers. The status file for esptun show holds each tunnel's NAT, IKE peer, problem and SAs.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/esptun.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
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
#include "control.h"
#include "daemon.h"
#include "ike/dispatch.h"
#include "ike/install.h"
#include "ike/lifecycle.h"
#include "ike/report.h"
#include "kernel.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "status.h"
#include "subcommands.h"
#include "warmup.h"

#define RESTART_MS 10000 /* between attempts to bring up a tunnel we initiate */
/*
 * At most this many phase 1s of ours at work at once; the other tunnels
 * start as they finish, looked for every INITIATE_PACE_MS. 1000 started
 * together lost 41% of their MM1s in the peer's socket buffer, overflowed
 * its half-open cap (512 here) and took 84 s of retransmissions.
 */
#define INITIATE_AT_ONCE 128
#define INITIATE_PACE_MS 200
#define NATT_PORT 4500 /* RFC 3947 4 */

const char daemon_usage[] =
	"Usage: esptun daemon [-c FILE] [-p PORT]\n"
	"\n"
	"Negotiate IKEv1 (Main or Aggressive Mode, then Quick Mode, pre-shared keys)\n"
	"for every tunnel of FILE (default " CONFIG_DEFAULT_PATH ") and install the\n"
	"SAs into the esptun devices, creating them when absent. Logs go to stderr;\n"
	"keys never do. keylog-dir = DIR, before FILE's first section, writes them\n"
	"to DIR/ikev1_decryption_table and DIR/esp_sa for Wireshark (off by default;\n"
	"WIRESHARK_CONFIG_DIR=DIR tshark -r CAPTURE -o esp.enable_encryption_decode:TRUE).\n"
	"IKE floats to UDP 4500 (NAT traversal, RFC 3947) when a NAT is detected or\n"
	"a tunnel has encap = always; ESP then travels in UDP. A path that drops\n"
	"ESP is reported (esp-timeout, with DPD on the peer) and, with encap = auto,\n"
	"the tunnel is negotiated again with ESP in UDP. What stands in a tunnel's\n"
	"way shows in esptun show as problem: ...\n"
	"ESP SAs are rekeyed before lifetime or lifetime-bytes runs out (at once\n"
	"on the module's soft-expiry event), make-before-break, and the IKE SA is\n"
	"re-authenticated before ike-lifetime does; see esptun(8).\n"
	"esptun up, down and reload (or SIGHUP) control the running daemon.\n"
	"Under systemd (esptun.service) it reports readiness through $NOTIFY_SOCKET.\n"
	"-p sets the UDP port to listen on (default 500), for tests.\n";

/*
 * CLOCK_BOOTTIME, as the module's SA lifetimes: both go on during a
 * suspend, so our rekeys stay ahead of the kernel's expiries after one.
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int send_on(struct daemon *d, const struct sockaddr_storage *to, bool natt,
		   const struct iovec *iov, size_t n)
{
	bool v4 = to->ss_family == AF_INET;
	int fd = natt ? (v4 ? d->natt4 : d->natt6) : (v4 ? d->sock4 : d->sock6);
	struct msghdr mh = { .msg_name = (void *)to,
			     .msg_namelen =
				     v4 ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6),
			     .msg_iov = (struct iovec *)iov,
			     .msg_iovlen = n };

	if (fd < 0 || sendmsg(fd, &mh, 0) < 0) {
		ike_log("sendto: %s",
			fd < 0 ? "no socket for this address family" : strerror(errno));
		return -1;
	}
	return 0;
}

static int send_cb(void *arg, const struct sockaddr_storage *to, bool natt, const uint8_t *buf,
		   size_t len)
{
	static const uint8_t marker[4]; /* non-ESP marker: IKE, not ESP (RFC 3948 2.2) */
	struct iovec iov[2] = { { (void *)marker, sizeof(marker) }, { (void *)buf, len } };

	return natt ? send_on(arg, to, true, iov, 2) : send_on(arg, to, false, iov + 1, 1);
}

static int keepalive_cb(void *arg, const struct sockaddr_storage *to)
{
	static const uint8_t ff = 0xff; /* RFC 3948 2.3 */
	struct iovec iov = { (void *)&ff, 1 };

	return send_on(arg, to, true, &iov, 1);
}

static void changed_cb(void *arg, const struct tunnel_cfg *t)
{
	daemon_status_changed(arg, t);
}

static bool is_down(struct daemon *d, const struct tunnel_cfg *t)
{
	struct tunnel_status *s = daemon_status_of(d, t);

	return s && s->down;
}

static bool admin_down_cb(void *arg, const struct tunnel_cfg *t)
{
	return is_down(arg, t);
}

/* The device now sends to EP. */
static void status_endpoint(struct daemon *d, const struct tunnel_cfg *t,
			    const struct ike_endpoint *ep)
{
	struct tunnel_status *s = daemon_status_of(d, t);

	if (!s)
		return;
	snprintf(s->nat, sizeof(s->nat), "%s", ep->nat ? ep->nat : "unknown");
	ike_addr_str(&ep->peer, s->peer, sizeof(s->peer));
	daemon_status_mark(d, s);
}

static void problem_cb(void *arg, const struct tunnel_cfg *t, const char *text)
{
	struct tunnel_status *s = daemon_status_of(arg, t);

	if (!s)
		return;
	snprintf(s->problem, sizeof(s->problem), "%s", text ? text : "");
	daemon_status_mark(arg, s);
}

static int endpoint_cb(void *arg, const struct tunnel_cfg *t, const struct ike_endpoint *ep)
{
	int ret = install_endpoint(t, ep);

	if (!ret)
		status_endpoint(arg, t, ep);
	return ret;
}

static int install_cb(void *arg, const struct child_sa *c)
{
	struct daemon *d = arg;
	int ret = install_child(c);

	if (!ret) {
		status_endpoint(d, c->cfg, &c->ep);
		keylog_esp(&d->keylog, c);
	}
	return ret;
}

static void phase1_keys_cb(void *arg, const struct ike_sa *sa)
{
	struct daemon *d = arg;

	keylog_ike(&d->keylog, sa->icookie, sa->keys.enc_key, sa->keys.key_len);
}

static int remove_cb(void *arg, const struct tunnel_cfg *t, uint32_t spi_in, uint32_t spi_out)
{
	(void)arg;
	return remove_child(t, spi_in, spi_out);
}

/* An SA reached a lifetime limit (or its last sequence numbers) in the kernel: rekey.c acts. */
static void limit_event(struct daemon *d, uint8_t cmd, struct nlattr **attrs)
{
	struct sa_info sa;

	if (!attrs[ESPTUN_A_IFNAME] || !attrs[ESPTUN_A_SA] ||
	    sa_info_parse(attrs[ESPTUN_A_SA], &sa))
		return;
	d->ctx.now_ms = now_ms();
	rekey_kernel_event(&d->ctx, nla_get_string(attrs[ESPTUN_A_IFNAME]), sa.dir == ESPTUN_DIR_IN,
			   sa.spi, cmd == ESPTUN_CMD_EVENT_HARD_EXPIRE);
}

/* A packet no outbound SA of the device carries: pairs.c brings up its sub-tunnel. */
static void acquire_event(struct daemon *d, struct nlattr **attrs)
{
	struct selector sel;

	if (!attrs[ESPTUN_A_IFNAME] || !attrs[ESPTUN_A_SELECTOR] ||
	    selector_parse(attrs[ESPTUN_A_SELECTOR], &sel) ||
	    sel.src.addr.family != sel.dst.addr.family)
		return;
	d->ctx.now_ms = now_ms();
	pairs_acquire(&d->ctx, nla_get_string(attrs[ESPTUN_A_IFNAME]), sel.src.addr.family,
		      sel.src.addr.bytes, sel.dst.addr.bytes);
}

/*
 * ESPTUN_CMD_EVENT_REMOTE_CHANGED: the device follows the peer's new
 * mapping; IKE does too. The expiry events go to limit_event(), ACQUIRE
 * to acquire_event().
 */
static int event_cb(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	struct daemon *d = arg;
	struct sockaddr_storage to;
	struct ike_endpoint ep;
	struct ike_sa *sa;
	int len;

	if (cmd == ESPTUN_CMD_EVENT_SOFT_EXPIRE || cmd == ESPTUN_CMD_EVENT_HARD_EXPIRE ||
	    cmd == ESPTUN_CMD_EVENT_SEQ_EXHAUSTED) {
		limit_event(d, cmd, attrs);
		return 0;
	}
	if (cmd == ESPTUN_CMD_EVENT_ACQUIRE) {
		acquire_event(d, attrs);
		return 0;
	}
	if (cmd != ESPTUN_CMD_EVENT_REMOTE_CHANGED || !attrs[ESPTUN_A_IFNAME] ||
	    !attrs[ESPTUN_A_REMOTE] || !attrs[ESPTUN_A_DPORT])
		return 0;
	len = nla_len(attrs[ESPTUN_A_REMOTE]);
	if (len != 4 && len != 16)
		return 0;
	ike_sockaddr(len == 4 ? AF_INET : AF_INET6, nla_data(attrs[ESPTUN_A_REMOTE]),
		     nla_get_u16(attrs[ESPTUN_A_DPORT]), &to);
	d->ctx.now_ms = now_ms();
	sa = nat_peer_moved(&d->ctx, nla_get_string(attrs[ESPTUN_A_IFNAME]), &to);
	if (sa) {
		nat_endpoint(sa, &ep);
		status_endpoint(d, sa->cfg, &ep);
	}
	return 0;
}

/*
 * path.c, dpd.c and rekey.c ask about one SA at a time, several per tunnel
 * at once. One GET_DEVICE answers for all of a tunnel's SAs, and serves
 * every question about that tunnel at the same loop time; an SA it does
 * not have (installed since) asks again.
 */
static const struct tunnel_sa_use *sa_use(struct daemon *d, const struct tunnel_cfg *t, bool in,
					  uint32_t spi)
{
	const struct tunnel_sa_use *u;

	if (d->packets_of == t && d->packets_ms == d->ctx.now_ms &&
	    (u = tunnel_packets_of(&d->packets, in, spi)))
		return u;
	d->packets_of = NULL;
	if (tunnel_packets_get(t, &d->packets))
		return NULL;
	d->packets_of = t;
	d->packets_ms = d->ctx.now_ms;
	return tunnel_packets_of(&d->packets, in, spi);
}

static int esp_packets_cb(void *arg, const struct tunnel_cfg *t, bool in, uint32_t spi,
			  uint64_t *packets)
{
	const struct tunnel_sa_use *u = sa_use(arg, t, in, spi);

	if (!u)
		return -1;
	*packets = u->packets;
	return 0;
}

/* The kernel's stamp and now_ms are both CLOCK_BOOTTIME. */
static int esp_last_cb(void *arg, const struct tunnel_cfg *t, bool in, uint32_t spi, uint64_t *ms)
{
	const struct tunnel_sa_use *u = sa_use(arg, t, in, spi);

	if (!u)
		return -1;
	*ms = u->last_ms;
	return 0;
}

/* A UDP socket bound to PORT; with NATT, ESP arriving on it goes to the kernel (UDP_ENCAP). */
static int open_socket(int family, uint16_t port, bool natt)
{
	struct sockaddr_storage ss = { 0 };
	int one = 1, espinudp = UDP_ENCAP_ESPINUDP, fd;
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
	/*
	 * No SO_REUSEADDR: with it on the wildcard socket, any local user could
	 * bind <local address>:4500 with it too and receive NAT-T IKE and ESP
	 * in UDP. UDP has no TIME_WAIT that a restart would need it for.
	 */
	if (bind(fd, (struct sockaddr *)&ss, len) ||
	    (natt && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &espinudp, sizeof(espinudp)))) {
		close(fd);
		return -1;
	}
	return fd;
}

int daemon_watch(struct daemon *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return fd < 0 ? 0 : epoll_ctl(d->epoll, EPOLL_CTL_ADD, fd, &ev);
}

void daemon_notify(const char *fmt, ...)
{
	static bool warned;
	char state[CONTROL_MSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(state, sizeof(state), fmt, ap);
	va_end(ap);
	if (notify(state) < 0 && !warned) {
		ike_warn("cannot notify systemd ($NOTIFY_SOCKET): %s", strerror(errno));
		warned = true;
	}
}

/*
 * Our phase 1s the peer is working on: answered, or sent less than two
 * retransmissions ago. One whose peer stays silent holds no slot, or a
 * hub's offline spokes would keep its other tunnels from starting.
 */
static unsigned int phase1_at_work(const struct daemon *d)
{
	const struct ike_sa *sa;
	unsigned int n = 0;

	for (sa = d->ctx.sas; sa; sa = sa->next)
		if (sa->initiator && sa->state != MM_ESTABLISHED && sa->state != MM_DEAD)
			n += (sa->state != MM_I_MM1_SENT && sa->state != AM_I_AM1_SENT) ||
			     d->ctx.now_ms - sa->started_ms < 2 * IKE_RETRANSMIT_MS;
	return n;
}

/*
 * Start Main Mode for every tunnel we initiate that has no IKE SA (at
 * start, and after a failure), INITIATE_AT_ONCE at a time.
 */
static void initiate_missing(struct daemon *d)
{
	const struct tunnel_cfg *t;
	const struct ike_sa *sa;
	unsigned int at_work;

	if (d->ctx.now_ms < d->next_try_ms)
		return;
	d->next_try_ms = d->ctx.now_ms + RESTART_MS;
	at_work = phase1_at_work(d);
	for (t = d->cfg.tunnels; t; t = t->next) {
		if (!t->initiate || is_down(d, t))
			continue;
		for_each_tunnel_sa(sa, &d->ctx, t)
			if (ike_sa_genuine(sa))
				break;
		if (sa)
			continue;
		if (at_work >= INITIATE_AT_ONCE) {
			d->next_try_ms = d->ctx.now_ms + INITIATE_PACE_MS;
			return;
		}
		if (ike_initiate(&d->ctx, t))
			at_work++;
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

static void receive(struct daemon *d, int fd, bool natt)
{
	uint8_t buf[ISAKMP_MAX_MSG + 1];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	/* Drain the socket; an oversized datagram arrives truncated and is refused by the parser. */
	while ((n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &flen)) >=
	       0) {
		size_t len = (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n;

		d->ctx.now_ms = now_ms();
		if (natt)
			ike_input_natt(&d->ctx, &from, buf, len);
		else
			ike_input(&d->ctx, &from, buf, len);
		flen = sizeof(from);
	}
}

static int run(struct daemon *d)
{
	struct epoll_event ev[8];
	struct signalfd_siginfo si;
	const struct tunnel_cfg *t;
	int i, n;

	for (;;) {
		d->ctx.now_ms = now_ms();
		initiate_missing(d);
		daemon_quick_mode_after_up(d);
		daemon_routes_sync(d);
		arm_timer(d);
		n = epoll_wait(d->epoll, ev, 8, 0);
		if (n == 0) {
			int wait = -1;

			/* With nothing dirty there is nothing to write: sleep until an event. */
			if (d->dirty && d->ctx.now_ms >= d->next_status_ms) {
				/* The refresh's own time: not that of the work above (a DH). */
				uint64_t start = now_ms(), took;

				daemon_status_refresh(d);
				took = now_ms() - start;
				d->next_status_ms =
					start + (took * 10 > STATUS_REFRESH_MS ? took * 10
									       : STATUS_REFRESH_MS);
			} else if (d->dirty) {
				wait = (int)(d->next_status_ms - d->ctx.now_ms);
			}
			n = epoll_wait(d->epoll, ev, 8, wait);
		}
		if (n < 0 && errno != EINTR)
			return EXIT_ERROR;
		for (i = 0; i < n; i++) {
			int fd = ev[i].data.fd, c;

			d->ctx.now_ms = now_ms();
			if (fd == d->sig) {
				if (read(fd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGHUP) {
					char msg[CONTROL_MSG_MAX];

					daemon_reload(d, msg, sizeof(msg));
					continue;
				}
				ike_log("signal %u: deleting SAs and exiting", si.ssi_signo);
				daemon_notify("STOPPING=1\nSTATUS=deleting the SAs and exiting");
				ike_shutdown(&d->ctx);
				/* The pairs of expired IKE SAs, which no DELETE named. */
				for (t = d->cfg.tunnels; t; t = t->next)
					install_flush(t);
				return 0;
			}
			for (c = 0; c < CLIENTS && d->clients[c] != fd; c++)
				;
			if (c < CLIENTS) {
				daemon_serve_client(d, c);
			} else if (fd == d->control) {
				daemon_accept_clients(d);
			} else if (fd == d->timer) {
				uint64_t expirations;

				if (read(fd, &expirations, sizeof(expirations)) < 0)
					continue;
			} else if (fd == d->events_fd) {
				kernel_events_read(d->events, event_cb, d);
			} else {
				receive(d, fd, fd == d->natt4 || fd == d->natt6);
			}
		}
	}
}

static int setup(struct daemon *d, const char *path, uint16_t port)
{
	char err[512];
	const struct tunnel_cfg *t;
	sigset_t mask;

	d->path = path;
	if (config_load(path, &d->cfg, err, sizeof(err))) {
		log_error("%s", err);
		return EXIT_ERROR;
	}
	if (keylog_configure(&d->keylog, &d->cfg, path, err, sizeof(err))) {
		log_error("%s", err);
		return EXIT_ERROR;
	}
	for (t = d->cfg.tunnels; t; t = t->next)
		install_device(t);
	daemon_status_index(d);
	d->ctx.cfg = &d->cfg;
	d->ctx.port = port;
	d->ctx.natt_port = NATT_PORT;
	d->ctx.send = send_cb;
	d->ctx.keepalive = keepalive_cb;
	d->ctx.endpoint = endpoint_cb;
	d->ctx.install = install_cb;
	d->ctx.remove = remove_cb;
	d->ctx.esp_packets = esp_packets_cb;
	d->ctx.esp_last = esp_last_cb;
	d->ctx.problem = problem_cb;
	d->ctx.admin_down = admin_down_cb;
	d->ctx.phase1_keys = phase1_keys_cb;
	d->ctx.changed = changed_cb;
	d->ctx.arg = d;
	d->sock4 = open_socket(AF_INET, port, false);
	d->sock6 = open_socket(AF_INET6, port, false);
	if (d->sock4 < 0 && d->sock6 < 0) {
		log_error("cannot bind UDP port %u: %s", port, strerror(errno));
		return EXIT_ERROR;
	}
	/* Without them NAT traversal fails, but tunnels without NAT still work. */
	d->natt4 = open_socket(AF_INET, NATT_PORT, true);
	d->natt6 = open_socket(AF_INET6, NATT_PORT, true);
	if (d->natt4 < 0 && d->natt6 < 0)
		ike_warn("cannot open UDP port %u for NAT traversal: %s", NATT_PORT,
			 strerror(errno));
	/* Without them the daemon still follows a peer that moved, at its next IKE message. */
	d->events = kernel_events_open();
	d->events_fd = d->events ? kernel_events_fd(d->events) : -1;
	/* Without it the tunnels run as configured; only esptun up/down/reload fail. */
	d->control = control_listen();
	if (d->control < 0)
		ike_warn("no control socket: %s",
			 errno == EADDRINUSE
				 ? "another esptun daemon runs in this network namespace"
				 : strerror(errno));
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sig = signalfd(-1, &mask, SFD_CLOEXEC);
	warmup_start(&d->cfg);
	d->timer = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
	d->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (d->sig < 0 || d->timer < 0 || d->epoll < 0 || daemon_watch(d, d->sock4) ||
	    daemon_watch(d, d->sock6) || daemon_watch(d, d->natt4) || daemon_watch(d, d->natt6) ||
	    daemon_watch(d, d->events_fd) || daemon_watch(d, d->control) ||
	    daemon_watch(d, d->sig) || daemon_watch(d, d->timer)) {
		log_error("event loop setup: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}

static void teardown(struct daemon *d)
{
	int fds[] = { d->sock4, d->sock6, d->natt4, d->natt6, d->timer, d->sig, d->epoll };

	if (d->control >= 0) {
		control_unlink();
		close(d->control);
	}
	for (int i = 0; i < CLIENTS; i++)
		if (d->clients[i] >= 0)
			close(d->clients[i]);
	ike_ctx_free(&d->ctx);
	kernel_events_close(d->events);
	kernel_requests_close();
	for (const struct tunnel_cfg *t = d->cfg.tunnels; t; t = t->next)
		status_remove(t->name);
	while (d->status) {
		struct tunnel_status *s = d->status;

		d->status = s->next;
		routes_clear(&s->routes);
		free(s);
	}
	free(d->by_name);
	keylog_close(&d->keylog);
	config_free(&d->cfg);
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int daemon_main(int argc, char **argv)
{
	struct daemon d = { .sock4 = -1,
			    .sock6 = -1,
			    .natt4 = -1,
			    .natt6 = -1,
			    .events_fd = -1,
			    .control = -1,
			    .clients = { -1, -1, -1, -1 },
			    .timer = -1,
			    .sig = -1,
			    .epoll = -1,
			    .keylog = { .ike = -1, .esp = -1 } };
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
	if (!ret) {
		size_t n = 0;

		for (const struct tunnel_cfg *t = d.cfg.tunnels; t; t = t->next)
			n++;
		/* The configuration is loaded and the IKE sockets bound: systemd may start what follows. */
		daemon_notify("READY=1\nSTATUS=%zu tunnel%s from %s", n, n == 1 ? "" : "s", path);
		ret = run(&d);
	}
	teardown(&d);
	return ret;
}
