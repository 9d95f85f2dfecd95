// SPDX-License-Identifier: GPL-2.0
/*
 * keylog-dir (keylog.h): Wireshark's two decryption tables, appended to as
 * IKE SAs get their keys and ESP SAs go into the kernel.
 *
 * Wireshark 4.0 reads each table as CSV, a record a line, '#' starting a
 * comment. In ikev1_decryption_table both fields are byte strings, bare
 * hex: the initiator cookie (8 bytes) and the phase-1 encryption key. In
 * esp_sa every field is a quoted string: "IPv4" or "IPv6", source,
 * destination, the SPI as 0x%08x, the cipher by the name its ESP
 * dissector lists, its key as 0x-hex (AES-GCM: key then salt, as RFC 4106
 * keys the kernel), the integrity algorithm likewise ("NULL" with AES-GCM)
 * and its key. A line goes out in one write() to an O_APPEND file, so a
 * reader never sees half of one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ike/proposal.h"
#include "keylog.h"

#define LINE_MAX_LEN 1024

void keylog_init(struct keylog *kl)
{
	kl->ike = kl->esp = -1;
	kl->dir[0] = 0;
}

void keylog_close(struct keylog *kl)
{
	if (kl->ike >= 0)
		close(kl->ike);
	if (kl->esp >= 0)
		close(kl->esp);
	keylog_init(kl);
}

/* "keylog-dir DIR[/NAME]: reason" into ERR; -1. */
static int refuse(char *err, size_t err_len, const char *dir, const char *name, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));
static int refuse(char *err, size_t err_len, const char *dir, const char *name, const char *fmt,
		  ...)
{
	char reason[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(err, err_len, "keylog-dir %s%s%s: %s", dir, name ? "/" : "", name ? name : "",
		 reason);
	return -1;
}

/* DIR's table NAME, opened for appending and checked; -1 with ERR set. */
static int open_table(int dirfd, const char *dir, const char *name, const char *comment, char *err,
		      size_t err_len)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO with no reader fails at once rather than waiting for one. */
	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0)
		return refuse(err, err_len, dir, name, "%s",
			      errno == ELOOP   ? "a symbolic link; remove it"
			      : errno == ENXIO ? "not a regular file" /* a FIFO */
					       : strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(err, err_len, dir, name, "not a regular file");
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return refuse(err, err_len, dir, name, "owned by uid %u, not by the daemon's user",
			      (unsigned int)st.st_uid);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return refuse(err, err_len, dir, name,
			      "mode %03o lets others at the keys; chmod 600 it",
			      (unsigned int)(st.st_mode & 0777));
	}
	if (st.st_size == 0 && write(fd, comment, strlen(comment)) != (ssize_t)strlen(comment)) {
		close(fd);
		return refuse(err, err_len, dir, name, "cannot write to it");
	}
	return fd;
}

int keylog_open(struct keylog *kl, const char *dir, char *err, size_t err_len)
{
	static const char ike_comment[] =
		"# esptun keylog-dir: IKEv1 SAs for Wireshark (initiator cookie, encryption key).\n"
		"# SECRET: whoever reads this decrypts the IKE messages it names.\n";
	static const char esp_comment[] =
		"# esptun keylog-dir: ESP SAs for Wireshark (addresses, SPI, algorithms, keys).\n"
		"# SECRET: whoever reads this decrypts the ESP traffic it names.\n";
	struct stat st;
	int dirfd;

	keylog_init(kl);
	if (strlen(dir) >= sizeof(kl->dir))
		return refuse(err, err_len, dir, NULL, "too long");
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOENT && !mkdir(dir, 0700))
		dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return refuse(err, err_len, dir, NULL, "%s",
			      errno == ELOOP || errno == ENOTDIR
				      ? "not a directory (or a link to one)"
				      : strerror(errno));
	/* Whoever may write to it could put their own file, or a link, in the tables' place. */
	if (fstat(dirfd, &st) || (st.st_uid != geteuid() && st.st_uid != 0)) {
		close(dirfd);
		return refuse(err, err_len, dir, NULL,
			      "owned by uid %u, neither root nor the daemon's user",
			      (unsigned int)st.st_uid);
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(dirfd);
		return refuse(err, err_len, dir, NULL,
			      "mode %03o lets others write to it; chmod 700 it",
			      (unsigned int)(st.st_mode & 0777));
	}
	kl->ike = open_table(dirfd, dir, KEYLOG_IKE_FILE, ike_comment, err, err_len);
	if (kl->ike >= 0)
		kl->esp = open_table(dirfd, dir, KEYLOG_ESP_FILE, esp_comment, err, err_len);
	close(dirfd);
	if (kl->esp < 0) {
		keylog_close(kl);
		return -1;
	}
	memcpy(kl->dir, dir, strlen(dir) + 1);
	return 0;
}

int keylog_configure(struct keylog *kl, const struct config *cfg, const char *file, char *err,
		     size_t err_len)
{
	struct keylog next;
	char why[CONFIG_PATH_MAX + 256];

	if (!strcmp(kl->dir, cfg->keylog_dir))
		return 0;
	if (!cfg->keylog_dir[0]) {
		ike_log("keylog-dir %s: off now, no more keys are written there", kl->dir);
		keylog_close(kl);
		return 0;
	}
	if (keylog_open(&next, cfg->keylog_dir, why, sizeof(why))) {
		snprintf(err, err_len, "%s:%d: %s", file, cfg->keylog_line, why);
		return -1;
	}
	if (kl->dir[0])
		ike_log("keylog-dir %s: off now, keys go to %s", kl->dir, next.dir);
	keylog_close(kl);
	*kl = next;
	ike_warn("!! WARNING: keylog-dir %s: writing every IKE and ESP key there, for Wireshark",
		 kl->dir);
	ike_warn("!! whoever reads %s/" KEYLOG_IKE_FILE " and " KEYLOG_ESP_FILE
		 " decrypts these tunnels; remove keylog-dir from %s when done",
		 kl->dir, file);
	return 0;
}

static size_t hex(char *out, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = 0;
	return 2 * len;
}

int keylog_ike_line(char *buf, size_t size, const uint8_t icookie[8], const uint8_t *key,
		    size_t len)
{
	size_t n;

	if (size < 2 * (8 + len) + 3)
		return -1;
	n = hex(buf, icookie, 8);
	buf[n++] = ',';
	n += hex(buf + n, key, len);
	buf[n++] = '\n';
	buf[n] = 0;
	return (int)n;
}

/* Wireshark's ESP dissector's names for our transforms and integrity algorithms. */
static const char *cipher_name(int transform)
{
	switch (transform) {
	case ESP_AES_GCM_16:
		return "AES-GCM with 16 octet ICV [RFC4106]";
	case ESP_AES_CBC:
		return "AES-CBC [RFC3602]";
	case ESP_3DES:
		return "TripleDES-CBC [RFC2451]";
	}
	return NULL;
}

static const char *integrity_name(int auth)
{
	switch (auth) {
	case AUTH_HMAC_SHA1:
		return "HMAC-SHA-1-96 [RFC2404]";
	case AUTH_HMAC_SHA256:
		return "HMAC-SHA-256-128 [RFC4868]";
	case AUTH_HMAC_SHA384:
		return "HMAC-SHA-384-192 [RFC4868]";
	case AUTH_HMAC_SHA512:
		return "HMAC-SHA-512-256 [RFC4868]";
	}
	return NULL;
}

int keylog_esp_line(char *buf, size_t size, const struct child_sa *c, bool in)
{
	const struct tunnel_cfg *t = c->cfg;
	const struct esp_kernel_alg *a = &c->alg;
	const uint8_t *key = in ? c->key_in : c->key_out;
	const void *peer = t->remote;
	const char *cipher = cipher_name(c->prop.transform);
	const char *integrity = a->aead ? "NULL" : integrity_name(c->prop.auth);
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	char enc_key[2 * IKE_MAX_KEYMAT + 1], auth_key[2 * IKE_MAX_KEYMAT + 3] = "";
	int n;

	if (!cipher || !integrity || a->enc_key_len + a->auth_key_len > IKE_MAX_KEYMAT)
		return -1;
	/* Where the kernel sends ESP: the peer's address as IKE last saw it, NAT and all. */
	if (c->ep.peer.ss_family == AF_INET && t->family == AF_INET)
		peer = &((const struct sockaddr_in *)&c->ep.peer)->sin_addr;
	else if (c->ep.peer.ss_family == AF_INET6 && t->family == AF_INET6)
		peer = &((const struct sockaddr_in6 *)&c->ep.peer)->sin6_addr;
	if (!inet_ntop(t->family, t->local, local, sizeof(local)) ||
	    !inet_ntop(t->family, peer, remote, sizeof(remote)))
		return -1;
	hex(enc_key, key, a->enc_key_len);
	if (!a->aead) {
		memcpy(auth_key, "0x", 2);
		hex(auth_key + 2, key + a->enc_key_len, a->auth_key_len);
	}
	n = snprintf(buf, size, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"%s\"\n",
		     t->family == AF_INET ? "IPv4" : "IPv6", in ? remote : local,
		     in ? local : remote, in ? c->spi_in : c->spi_out, cipher, enc_key, integrity,
		     auth_key);
	OPENSSL_cleanse(enc_key, sizeof(enc_key));
	OPENSSL_cleanse(auth_key, sizeof(auth_key));
	return n < 0 || (size_t)n >= size ? -1 : n;
}

static void append(const struct keylog *kl, int fd, const char *name, const char *line, int n)
{
	if (n < 0 || write(fd, line, (size_t)n) != n)
		ike_warn("keylog-dir %s: a line of %s was not written: %s", kl->dir, name,
			 n < 0 ? "unknown algorithm" : strerror(errno));
}

void keylog_ike(const struct keylog *kl, const uint8_t icookie[8], const uint8_t *key, size_t len)
{
	char line[LINE_MAX_LEN];

	if (kl->ike < 0)
		return;
	append(kl, kl->ike, KEYLOG_IKE_FILE, line,
	       keylog_ike_line(line, sizeof(line), icookie, key, len));
	OPENSSL_cleanse(line, sizeof(line));
}

void keylog_esp(const struct keylog *kl, const struct child_sa *c)
{
	char line[LINE_MAX_LEN];

	if (kl->esp < 0)
		return;
	if (c->dirs & CHILD_IN)
		append(kl, kl->esp, KEYLOG_ESP_FILE, line,
		       keylog_esp_line(line, sizeof(line), c, true));
	if (c->dirs & CHILD_OUT)
		append(kl, kl->esp, KEYLOG_ESP_FILE, line,
		       keylog_esp_line(line, sizeof(line), c, false));
	OPENSSL_cleanse(line, sizeof(line));
}
