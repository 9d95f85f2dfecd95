// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's per-device status file for `esptun show` (status.h). It is
 * written whole to a temporary name and renamed, so a reader never sees
 * half of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

#define STATUS_DIR "/run/esptun"

/* STATUS_DIR/NETNS, created when MAKE is set. 0 or -1. */
static int dir_path(char *buf, size_t len, int make)
{
	struct stat st;
	int n;

	if (stat("/proc/self/ns/net", &st))
		return -1;
	n = snprintf(buf, len, "%s/%lu", STATUS_DIR, (unsigned long)st.st_ino);
	if (n < 0 || (size_t)n >= len)
		return -1;
	if (make &&
	    ((mkdir(STATUS_DIR, 0755) && errno != EEXIST) || (mkdir(buf, 0755) && errno != EEXIST)))
		return -1;
	return 0;
}

int status_path(const char *dev, char *buf, size_t len, int make)
{
	char dir[64];
	int n;

	if (dir_path(dir, sizeof(dir), make))
		return -1;
	n = snprintf(buf, len, "%s/%s", dir, dev);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int status_write(const char *dev, const char *text)
{
	char path[128], tmp[140];
	size_t len = strlen(text);
	int fd, ok;

	if (status_path(dev, path, sizeof(path), 1))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len;
	if (close(fd) || !ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

void status_remove(const char *dev)
{
	char path[128];

	if (!status_path(dev, path, sizeof(path), 0))
		unlink(path);
}

int status_read(const char *dev, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	if (!len || status_path(dev, path, sizeof(path), 0))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

bool status_parse_ike_sa(const char *line, struct status_ike_sa *sa)
{
	return sscanf(line, "ike-sa %16s %16s %15s %15s %15s %63s %llu %u %llu", sa->icookie,
		      sa->rcookie, sa->mode, sa->role, sa->state, sa->peer, &sa->established,
		      &sa->life, &sa->expires) == 9;
}

bool status_parse_child_sa(const char *line, struct status_child_sa *child)
{
	char active[16];
	int end = 0;

	if (sscanf(line, "child-sa %8x %8x %llu %15s%n", &child->spi_in, &child->spi_out,
		   &child->expires, active, &end) != 4)
		return false;
	child->active = !strcmp(active, "active");
	child->sel = line[end] == ' ' ? line + end + 1 : "";
	return true;
}
