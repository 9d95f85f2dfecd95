// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's control socket (control.h), both ends: the daemon listens
 * and answers; esptun up, down, rekey and reload send one request each and print
 * the answer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "parse.h"
#include "status.h"
#include "subcommands.h"

/* How long esptun up/down/rekey/reload wait for the answer: a reload DELETEs and re-reads. */
#define REPLY_TIMEOUT_S 30

const char up_usage[] = "Usage: esptun up NAME\n"
			"\n"
			"Bring the daemon's tunnel NAME up now: negotiate it even when its\n"
			"section says start = respond, and accept the peer's negotiation again\n"
			"after esptun down. Nothing happens to a tunnel that is up already.\n";

const char down_usage[] = "Usage: esptun down NAME\n"
			  "\n"
			  "Take the daemon's tunnel NAME down: DELETE its IKE and ESP SAs to the\n"
			  "peer, remove them from the device (which stays), and neither initiate\n"
			  "it nor accept the peer's negotiation until esptun up NAME.\n";

const char rekey_usage[] =
	"Usage: esptun rekey NAME\n"
	"\n"
	"Rekey the daemon's tunnel NAME now: a new Quick Mode under its IKE SA,\n"
	"make-before-break as when its lifetime runs out (the new inbound SA\n"
	"first, the outbound switched once the peer sends on the new pair, the\n"
	"old pair deleted after a grace period). Refused while a rekey is\n"
	"under way, until the old pair is deleted.\n";

const char reload_usage[] =
	"Usage: esptun reload\n"
	"\n"
	"Make the daemon re-read its configuration file (so does SIGHUP). Tunnels\n"
	"whose settings are unchanged keep their SAs; changed ones are deleted and\n"
	"negotiated anew; removed ones are deleted (their device stays); new ones\n"
	"get their device and start as configured. A configuration error changes\n"
	"nothing and is printed as FILE:LINE: reason.\n";

static const char *const verbs[] = {
	[CONTROL_UP] = "up",
	[CONTROL_DOWN] = "down",
	[CONTROL_REKEY] = "rekey",
	[CONTROL_RELOAD] = "reload",
};

static int __attribute__((format(printf, 3, 4)))
reject(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -1;
}

int control_parse(const char *buf, size_t len, struct control_request *req, char *err,
		  size_t err_len)
{
	char text[CONTROL_MSG_MAX + 1], *name;
	size_t i;

	if (len > CONTROL_MSG_MAX)
		return reject(err, err_len, "request too long");
	for (i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return reject(err, err_len, "not a printable request");
	memcpy(text, buf, len);
	text[len] = 0;
	name = strchr(text, ' ');
	if (name)
		*name++ = 0;
	memset(req, 0, sizeof(*req));
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(text, verbs[i]))
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return reject(err, err_len, "unknown request '%.32s'", text);
	req->verb = (enum control_verb)i;
	if (req->verb == CONTROL_RELOAD)
		return name ? reject(err, err_len, "reload takes no device name") : 0;
	if (!name || !*name)
		return reject(err, err_len, "%s needs a device name", verbs[i]);
	if (strlen(name) >= IFNAMSIZ || strchr(name, ' ') || strchr(name, '/') ||
	    strchr(name, ':') || !strcmp(name, ".") || !strcmp(name, ".."))
		return reject(err, err_len, "'%.32s' is not a device name", name);
	memcpy(req->name, name, strlen(name) + 1);
	return 0;
}

static int socket_addr(struct sockaddr_un *sun, int make)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	return status_path(STATUS_CONTROL, sun->sun_path, sizeof(sun->sun_path), make);
}

int control_listen(void)
{
	struct sockaddr_un sun;
	mode_t mask;
	int fd, probe, ret;

	if (socket_addr(&sun, 1))
		return -1;
	/* A socket nobody answers on is a killed daemon's; one that answers is a live daemon's. */
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (probe < 0)
		return -1;
	ret = connect(probe, (struct sockaddr *)&sun, sizeof(sun));
	if (ret)
		ret = errno == EAGAIN ? 0 : -1; /* a live daemon with a full backlog */
	close(probe);
	if (!ret) {
		errno = EADDRINUSE;
		return -1;
	}
	unlink(sun.sun_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	mask = umask(0177); /* root's requests only: the socket is born 0600 */
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(mask);
	if (ret || listen(fd, 8)) {
		close(fd);
		return -1;
	}
	return fd;
}

void control_unlink(void)
{
	struct sockaddr_un sun;

	if (!socket_addr(&sun, 0))
		unlink(sun.sun_path);
}

void control_reply(int fd, bool ok, const char *fmt, ...)
{
	char msg[CONTROL_MSG_MAX];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s", ok ? "ok " : "error ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* A client that went away or stopped reading does not hold the daemon up. */
	send(fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/* Send REQUEST to the daemon and print its answer. 0 or EXIT_ERROR. */
static int request(const char *request)
{
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	char reply[CONTROL_MSG_MAX + 1];
	struct sockaddr_un sun;
	ssize_t n;
	int fd;

	if (socket_addr(&sun, 0)) {
		log_error("cannot find this network namespace's status directory");
		return EXIT_ERROR;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			log_error("no esptun daemon in this network namespace (%s)", sun.sun_path);
		else
			log_error("%s: %s", sun.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_ERROR;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = send(fd, request, strlen(request), MSG_NOSIGNAL);
	if (n >= 0)
		n = recv(fd, reply, sizeof(reply) - 1, 0);
	close(fd);
	if (n <= 0) {
		log_error("no answer from the daemon: %s", n ? strerror(errno) : "it closed");
		return EXIT_ERROR;
	}
	reply[n] = 0;
	if (!strncmp(reply, "ok ", 3)) {
		printf("%s\n", reply + 3);
		return 0;
	}
	log_error("%s", strncmp(reply, "error ", 6) ? reply : reply + 6);
	return EXIT_ERROR;
}

static int named_request(int argc, char **argv)
{
	char ifname[IFNAMSIZ], text[CONTROL_MSG_MAX];
	int ret;

	if (argc != 2)
		return argc < 2 ? missing_words(NULL, "a device NAME") : unknown_word(argv[2]);
	ret = parse_ifname(argv[1], ifname);
	if (ret)
		return ret;
	snprintf(text, sizeof(text), "%s %s", argv[0], ifname);
	return request(text);
}

int up_main(int argc, char **argv)
{
	return named_request(argc, argv);
}

int down_main(int argc, char **argv)
{
	return named_request(argc, argv);
}

int rekey_main(int argc, char **argv)
{
	return named_request(argc, argv);
}

int reload_main(int argc, char **argv)
{
	return argc > 1 ? unknown_word(argv[1]) : request("reload");
}
