// SPDX-License-Identifier: GPL-2.0
/*
 * The files a configuration names: psk-file, cert, key, ca and crl, each
 * relative to the configuration's directory unless absolute. A key (psk,
 * psk-file, key) lives only in a file nobody but its owner may read, and
 * that owner root or the daemon's user.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_parser.h"

/*
 * Whether the owner of a file of status ST may hold a key: root, or the
 * user the daemon runs as. Any other owner can read the file, or chmod it
 * for others to.
 */
static bool owner_may_hold_key(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/* PATH, relative to the configuration file's directory unless absolute, into FULL. */
static void full_path(const struct parser *p, const char *path, char *full, size_t len)
{
	if (path[0] != '/' && strchr(p->file, '/'))
		snprintf(full, len, "%.*s/%s", (int)(strrchr(p->file, '/') - p->file), p->file,
			 path);
	else
		snprintf(full, len, "%s", path);
}

/*
 * Open the file KEY = PATH names, a regular file; when SECRET, one that
 * only its owner may read, and that owner root or us. The fd, or -1.
 */
static int open_file(struct parser *p, const char *key, const char *path, bool secret)
{
	char full[4096];
	struct stat st;
	int fd;

	full_path(p, path, full, sizeof(full));
	/* O_NONBLOCK: opening a FIFO would wait for a writer; fstat then refuses it. */
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return config_error(p, "%s %s: %s", key, full, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return config_error(p, "%s %s: not a regular file", key, full);
	}
	if (secret && (st.st_mode & (S_IRWXG | S_IRWXO))) {
		close(fd);
		return config_error(p, "%s %s: mode %03o lets others read it; chmod 600 it", key,
				    full, st.st_mode & 0777);
	}
	if (secret && !owner_may_hold_key(&st)) {
		close(fd);
		return config_error(
			p, "%s %s: owned by uid %u, neither root nor the daemon's; chown root it",
			key, full, (unsigned int)st.st_uid);
	}
	return fd;
}

/* The PSK from a secret file; trailing newlines are not part of it. */
int config_read_psk_file(struct parser *p, const char *path, struct tunnel_cfg *t)
{
	int fd = open_file(p, "psk-file", path, true);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, t->psk, sizeof(t->psk));
	close(fd);
	while (n > 0 && (t->psk[n - 1] == '\n' || t->psk[n - 1] == '\r'))
		n--;
	if (n <= 0 || (size_t)n == sizeof(t->psk))
		return config_error(p, "psk-file %s: empty, unreadable or longer than %zu bytes",
				    path, sizeof(t->psk) - 1);
	t->psk_len = (size_t)n;
	return 0;
}

/* cert, key (a secret file), ca or crl = PATH into the section's credentials. */
int config_read_creds(struct parser *p, const char *key, const char *path, enum creds_file what)
{
	char err[256];
	int fd = open_file(p, key, path, what == CREDS_KEY);

	if (fd < 0)
		return -1;
	if (creds_read(&p->t->creds, what, fd, err, sizeof(err)))
		return config_error(p, "%s %s: %s", key, path, err);
	return 0;
}

/*
 * An inline psk is as secret as its file: only the owner may read it, and
 * the owner must be one who may hold a key.
 */
int config_check_psk_readers(struct parser *p)
{
	const struct stat *st = p->file_st;

	if (!st)
		return 0;
	if (st->st_mode & (S_IRGRP | S_IROTH))
		return config_error(
			p, "psk: mode %03o lets others read %s; chmod 600 %s, or use psk-file",
			st->st_mode & 0777, p->file, p->file);
	if (!owner_may_hold_key(st))
		return config_error(
			p,
			"psk: %s is owned by uid %u, neither root nor the daemon's; chown root "
			"%s, or use psk-file",
			p->file, (unsigned int)st->st_uid, p->file);
	return 0;
}
