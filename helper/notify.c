// SPDX-License-Identifier: GPL-2.0
/*
 * The sd_notify protocol (notify.h): one datagram on an AF_UNIX socket
 * whose path systemd passes in $NOTIFY_SOCKET. It is a few lines, so the
 * daemon does not link libsystemd for it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

int notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len;
	ssize_t sent;
	int fd, saved;

	if (!path || !*path)
		return 0;
	/* A path or an abstract name (@); what sun_path cannot hold whole is refused, not cut. */
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sun.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] =
			'\0'; /* abstract: the name is the bytes after the NUL, no terminator */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* MSG_NOSIGNAL: a gone listener must not kill the daemon with SIGPIPE. */
	sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun,
		      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	saved = errno;
	close(fd);
	errno = saved;
	return sent < 0 ? -1 : 1;
}
