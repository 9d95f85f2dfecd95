// SPDX-License-Identifier: GPL-2.0
/*
 * notify.c: the datagram systemd reads from $NOTIFY_SOCKET, to a path and
 * to an abstract name ('@'), and the addresses it must refuse rather than
 * cut short or send elsewhere.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "tap.h"

/* A datagram socket bound to ADDR of LEN bytes, as systemd's; -1 on failure. */
static int listener(const struct sockaddr_un *addr, socklen_t len)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && bind(fd, (const struct sockaddr *)addr, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What FD received, or "" when nothing waits. */
static const char *received(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_path(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/esptun-notify-XXXXXX", buf[256];
	int fd;

	if (!mkdtemp(dir)) {
		ok(false, "notify: a temporary directory");
		return;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/notify", dir);
	fd = listener(&sun, sizeof(sun));
	ok(fd >= 0, "notify: bind %s", sun.sun_path);
	setenv("NOTIFY_SOCKET", sun.sun_path, 1);
	ok(notify("READY=1") == 1, "notify: sent to a path");
	ok(!strcmp(received(fd, buf, sizeof(buf)), "READY=1"), "notify: READY=1 read back (%s)",
	   buf);
	ok(notify("RELOADING=1") == 1 && !strcmp(received(fd, buf, sizeof(buf)), "RELOADING=1"),
	   "notify: RELOADING=1 read back");
	close(fd);
	unlink(sun.sun_path);
	rmdir(dir);
	ok(notify("READY=1") == -1 && errno == ENOENT, "notify: no listener: -1, ENOENT");
}

static void test_abstract(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char name[64], buf[256];
	size_t len;
	int fd;

	/* Unique per process: parallel test runs must not share it. */
	len = (size_t)snprintf(name, sizeof(name), "@esptun-test-notify-%d", (int)getpid());
	memcpy(sun.sun_path, name, len);
	sun.sun_path[0] = '\0';
	fd = listener(&sun, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	ok(fd >= 0, "notify: bind the abstract %s", name);
	setenv("NOTIFY_SOCKET", name, 1);
	ok(notify("READY=1\nSTATUS=1 tunnel") == 1, "notify: sent to an abstract name");
	ok(!strcmp(received(fd, buf, sizeof(buf)), "READY=1\nSTATUS=1 tunnel"),
	   "notify: READY=1 and STATUS read back from the abstract socket");
	if (fd >= 0)
		close(fd);
}

static void test_refused(void)
{
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path) + 8];

	unsetenv("NOTIFY_SOCKET");
	ok(notify("READY=1") == 0, "notify: no $NOTIFY_SOCKET: nothing to do");
	setenv("NOTIFY_SOCKET", "", 1);
	ok(notify("READY=1") == 0, "notify: an empty $NOTIFY_SOCKET: nothing to do");

	/* One byte too many for sun_path (the terminator counts for a path). */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[sizeof(sun.sun_path)] = '\0';
	setenv("NOTIFY_SOCKET", path, 1);
	ok(notify("READY=1") == -1 && errno == EINVAL, "notify: a %zu-byte path refused",
	   strlen(path));
	path[0] = '@';
	setenv("NOTIFY_SOCKET", path, 1);
	ok(notify("READY=1") == -1 && errno == EINVAL, "notify: a %zu-byte abstract name refused",
	   strlen(path));
	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	ok(notify("READY=1") == -1 && errno == EINVAL, "notify: a relative path refused");
	unsetenv("NOTIFY_SOCKET");
}

void test_notify(void)
{
	test_path();
	test_abstract();
	test_refused();
}
