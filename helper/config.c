// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's INI configuration: one [device] section per tunnel, strict
 * (an unknown key, a bad value, a missing PSK, a key in a file others may
 * read or two tunnels the responder cannot tell apart is an error naming
 * file:line), keys wiped when freed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "config.h"
#include "config_parser.h"
#include "creds.h"

#define LINE_MAX_LEN 1024

int config_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->err_len, "%s:%d: ", p->file, p->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->err_len)
		vsnprintf(p->err + n, p->err_len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_addr(struct parser *p, const char *key, const char *v, uint8_t *out, int *family)
{
	int f = strchr(v, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(f, v, out) != 1)
		return config_error(p, "%s = %s: not an IPv4 or IPv6 address", key, v);
	if (*family && *family != f)
		return config_error(p, "%s = %s: local and remote must be of one address family",
				    key, v);
	*family = f;
	return 0;
}

/* "3600", "60s", "30m", "8h", "1d" as seconds. */
static int parse_duration(struct parser *p, const char *key, const char *v, uint32_t *out)
{
	unsigned long long n;
	char *end;
	int mult = 1;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (end == v || errno || *v == '-')
		return config_error(p, "%s = %s: not a duration (e.g. 3600, 60m, 8h, 1d)", key, v);
	if (*end == 's' || *end == 'm' || *end == 'h' || *end == 'd') {
		mult = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 86400;
		end++;
	}
	if (*end || n * (unsigned long long)mult > UINT32_MAX)
		return config_error(p, "%s = %s: not a duration (e.g. 3600, 60m, 8h, 1d)", key, v);
	*out = (uint32_t)(n * (unsigned long long)mult);
	return 0;
}

/* "1048576", "500k", "100M", "2G" bytes as KiB, rounded up (IKE counts kilobytes). */
static int parse_size_kb(struct parser *p, const char *key, const char *v, uint32_t *out)
{
	static const char units[] = "KMGT";
	unsigned long long n, bytes;
	const char *u;
	char *end;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (end == v || errno || *v == '-')
		return config_error(p, "%s = %s: not a size (e.g. 1073741824, 500M, 2G)", key, v);
	bytes = n;
	if (*end && (u = strchr(units, toupper((unsigned char)*end))) != NULL) {
		int shift = 10 * (int)(u - units + 1);

		if (n > UINT64_MAX >> shift)
			return config_error(p, "%s = %s: too large", key, v);
		bytes = n << shift;
		end++;
	}
	if (*end)
		return config_error(p, "%s = %s: not a size (e.g. 1073741824, 500M, 2G)", key, v);
	if (bytes / 1024 + !!(bytes % 1024) > UINT32_MAX)
		return config_error(p, "%s = %s: too large (less than 4T)", key, v);
	*out = (uint32_t)(bytes / 1024 + !!(bytes % 1024));
	return 0;
}

static int set_key(struct parser *p, const char *k, const char *v)
{
	struct tunnel_cfg *t = p->t;
	char err[256];
	int n;

	if (!strcmp(k, "local"))
		return parse_addr(p, k, v, t->local, &t->family);
	if (!strcmp(k, "remote")) {
		t->remote_line = p->line;
		return parse_addr(p, k, v, t->remote, &t->family);
	}
	if (!strcmp(k, "mode")) {
		if (strcmp(v, "main") && strcmp(v, "aggressive"))
			return config_error(p, "mode = %s: expected main or aggressive", v);
		t->aggressive = !strcmp(v, "aggressive");
		return 0;
	}
	if (!strcmp(k, "auth")) {
		if (strcmp(v, "psk") && strcmp(v, "rsa") && strcmp(v, "ecdsa"))
			return config_error(p, "auth = %s: expected psk, rsa or ecdsa", v);
		/* ECDSA's method depends on the key's curve: finish_auth() sets it. */
		t->auth = !strcmp(v, "rsa")	? IKE_AUTH_RSA_SIG
			  : !strcmp(v, "ecdsa") ? IKE_AUTH_ECDSA_256
						: IKE_AUTH_PSK;
		return 0;
	}
	if (!strcmp(k, "cert"))
		return config_read_creds(p, k, v, CREDS_CERT);
	if (!strcmp(k, "key"))
		return config_read_creds(p, k, v, CREDS_KEY);
	if (!strcmp(k, "ca"))
		return config_read_creds(p, k, v, CREDS_CA);
	if (!strcmp(k, "crl"))
		return config_read_creds(p, k, v, CREDS_CRL);
	if (!strcmp(k, "psk")) {
		size_t len = strlen(v);

		if (config_check_psk_readers(p))
			return -1;
		if (!len || len >= sizeof(t->psk))
			return config_error(p, "psk: empty or longer than %zu bytes",
					    sizeof(t->psk) - 1);
		memcpy(t->psk, v, len);
		t->psk_len = len;
		p->has_psk = true;
		return 0;
	}
	if (!strcmp(k, "psk-file")) {
		p->has_psk_file = true;
		return config_read_psk_file(p, v, t);
	}
	if (!strcmp(k, "local-id") || !strcmp(k, "remote-id")) {
		if (config_id(v, k[0] == 'l' ? &t->local_id : &t->remote_id, err, sizeof(err)))
			return config_error(p, "%s = %s: %s", k, v, err);
		return 0;
	}
	if (!strcmp(k, "ike")) {
		n = prop_parse_ike(v, t->ike, err, sizeof(err));
		if (n < 0)
			return config_error(p, "ike = %s: %s", v, err);
		t->n_ike = (size_t)n;
		p->ike_line = p->line;
		return 0;
	}
	if (!strcmp(k, "esp")) {
		n = prop_parse_esp(v, t->esp, err, sizeof(err));
		if (n < 0)
			return config_error(p, "esp = %s: %s", v, err);
		/* One KE payload per Quick Mode: every proposal must agree on PFS. */
		for (int i = 1; i < n; i++)
			if (t->esp[i].pfs_group != t->esp[0].pfs_group)
				return config_error(
					p,
					"esp = %s: all proposals need the same DH group "
					"(PFS) or none",
					v);
		t->n_esp = (size_t)n;
		return 0;
	}
	if (!strcmp(k, "local-ts") || !strcmp(k, "remote-ts")) {
		bool local = k[0] == 'l';

		if (config_ts_list(v, local ? t->local_ts : t->remote_ts,
				   local ? &t->n_local_ts : &t->n_remote_ts, err, sizeof(err)))
			return config_error(p, "%s = %s: %s", k, v, err);
		return 0;
	}
	if (!strcmp(k, "address")) {
		if (config_address(v, &t->address, err, sizeof(err)))
			return config_error(p, "address = %s: %s", v, err);
		return 0;
	}
	if (!strcmp(k, "routes")) {
		if (!strcmp(v, "auto"))
			t->routes = true;
		else if (!strcmp(v, "off"))
			t->routes = false;
		else
			return config_error(p, "routes = %s: expected auto or off", v);
		return 0;
	}
	if (!strcmp(k, "ike-lifetime"))
		return parse_duration(p, k, v, &t->ike_lifetime);
	if (!strcmp(k, "lifetime")) {
		/* Rekeying starts at 85-95% of it: shorter than this only churns (tests use 10s). */
		if (parse_duration(p, k, v, &t->lifetime))
			return -1;
		if (t->lifetime < 10)
			return config_error(p, "lifetime = %s: at least 10s", v);
		return 0;
	}
	if (!strcmp(k, "lifetime-bytes")) {
		/* As with lifetime: a limit reached every few packets would only churn. */
		if (parse_size_kb(p, k, v, &t->lifetime_kb))
			return -1;
		if (t->lifetime_kb && t->lifetime_kb < 1024)
			return config_error(p, "lifetime-bytes = %s: at least 1M, or 0 for none",
					    v);
		return 0;
	}
	if (!strcmp(k, "ike-lifetime-bytes")) {
		/* A Quick Mode with PFS alone protects over 1K. */
		if (parse_size_kb(p, k, v, &t->ike_lifetime_kb))
			return -1;
		if (t->ike_lifetime_kb && t->ike_lifetime_kb < 4)
			return config_error(
				p, "ike-lifetime-bytes = %s: at least 4K, or 0 for none", v);
		return 0;
	}
	if (!strcmp(k, "dpd-delay"))
		return parse_duration(p, k, v, &t->dpd_delay);
	if (!strcmp(k, "dpd-timeout"))
		return parse_duration(p, k, v, &t->dpd_timeout);
	if (!strcmp(k, "dpd-action")) {
		if (!strcmp(v, "clear"))
			t->dpd_action = DPD_CLEAR;
		else if (!strcmp(v, "restart"))
			t->dpd_action = DPD_RESTART;
		else
			return config_error(p, "dpd-action = %s: expected clear or restart", v);
		return 0;
	}
	if (!strcmp(k, "encap")) {
		if (!strcmp(v, "auto"))
			t->encap = ENCAP_AUTO;
		else if (!strcmp(v, "always"))
			t->encap = ENCAP_ALWAYS;
		else if (!strcmp(v, "never"))
			t->encap = ENCAP_NEVER;
		else
			return config_error(p, "encap = %s: expected auto, always or never", v);
		return 0;
	}
	if (!strcmp(k, "nat-keepalive"))
		return parse_duration(p, k, v, &t->nat_keepalive);
	if (!strcmp(k, "fragmentation")) {
		if (!strcmp(v, "yes"))
			t->fragmentation = FRAG_YES;
		else if (!strcmp(v, "no"))
			t->fragmentation = FRAG_NO;
		else if (!strcmp(v, "force"))
			t->fragmentation = FRAG_FORCE;
		else
			return config_error(p, "fragmentation = %s: expected yes, no or force", v);
		return 0;
	}
	if (!strcmp(k, "fragment-size")) {
		unsigned long size;
		char *end;

		errno = 0;
		size = strtoul(v, &end, 10);
		/* Each fragment carries 36 bytes of headers: leave room for data. */
		if (end == v || *end || errno || *v == '-' || size < 100 ||
		    size > CONFIG_FRAGMENT_MAX)
			return config_error(p, "fragment-size = %s: expected bytes from 100 to %d",
					    v, CONFIG_FRAGMENT_MAX);
		t->fragment_size = (uint32_t)size;
		return 0;
	}
	if (!strcmp(k, "esp-timeout"))
		return parse_duration(p, k, v, &t->esp_timeout);
	if (!strcmp(k, "start")) {
		if (!strcmp(v, "initiate"))
			t->initiate = true;
		else if (!strcmp(v, "respond"))
			t->initiate = false;
		else
			return config_error(p, "start = %s: expected initiate or respond", v);
		return 0;
	}
	if (!strcmp(k, "keylog-dir"))
		return config_error(p,
				    "keylog-dir is for the whole daemon: put it before the first "
				    "[device] section");
	return config_error(p, "unknown key '%s'", k);
}

/*
 * Refuse the section's tunnel T when, as responder, the daemon could not
 * tell it from an earlier tunnel U of CFG to the same peer address. Main
 * Mode (main_mode.c) must choose the tunnel, and with it the PSK, on MM1,
 * long before the peer's encrypted ID arrives: only the peer's address
 * tells (not ours, which main_mode.c does not look at), so one Main Mode
 * tunnel per peer address. Aggressive Mode (aggressive_mode.c) sees the ID
 * in AM1 and chooses the tunnel whose remote-id it is, else the one
 * without a remote-id: two with the same remote-id, or both without one,
 * leave the later one unreachable. A Main Mode and an Aggressive Mode
 * tunnel never compete: each exchange looks only at its own kind.
 */
static int check_peer_unique(struct parser *p, const struct config *cfg)
{
	const struct tunnel_cfg *t = p->t, *u;
	char addr[INET6_ADDRSTRLEN];

	for (u = cfg->tunnels; u != t; u = u->next) {
		if (u->family != t->family || memcmp(u->remote, t->remote, sizeof(t->remote)) ||
		    u->aggressive != t->aggressive)
			continue;
		if (t->aggressive && !config_id_equal(&u->remote_id, &t->remote_id))
			continue;
		inet_ntop(t->family, t->remote, addr, sizeof(addr));
		p->line = t->remote_line;
		if (!t->aggressive)
			return config_error(
				p,
				"[%s] remote %s is also [%s]'s (line %d): Main Mode with "
				"pre-shared keys cannot tell two tunnels to one peer apart; "
				"use one tunnel, or Aggressive Mode with distinct remote-id",
				t->name, addr, u->name, u->remote_line);
		return config_error(
			p,
			"[%s] remote %s is also [%s]'s (line %d), %s: Aggressive Mode tells "
			"tunnels to one peer apart by remote-id alone; give each its own",
			t->name, addr, u->name, u->remote_line,
			t->remote_id.type ? "with the same remote-id" : "neither with a remote-id");
	}
	return 0;
}

/*
 * A key before the first [device] section: one for the whole daemon. Only
 * keylog-dir is, and it names a directory the daemon opens later (keylog.c).
 */
static int set_daemon_key(struct parser *p, struct config *cfg, const char *k, const char *v)
{
	if (strcmp(k, "keylog-dir"))
		return config_error(p, "key outside a [device] section");
	if (cfg->keylog_line)
		return config_error(p, "keylog-dir is already set on line %d", cfg->keylog_line);
	if (v[0] != '/' || strlen(v) >= sizeof(cfg->keylog_dir))
		return config_error(p, "keylog-dir = %s: not an absolute path of under %zu bytes",
				    v, sizeof(cfg->keylog_dir));
	memcpy(cfg->keylog_dir, v, strlen(v) + 1);
	cfg->keylog_line = p->line;
	return 0;
}

/*
 * PSK or certificates, not both; with certificates our ID is our subject
 * unless local-id names something else the certificate holds.
 */
static int finish_auth(struct parser *p)
{
	struct tunnel_cfg *t = p->t;
	char err[256];

	if (!t->auth || t->auth == IKE_AUTH_PSK) {
		t->auth = IKE_AUTH_PSK;
		if (t->creds)
			return config_error(
				p, "[%s] has cert, key, ca or crl: they need auth = rsa or ecdsa",
				t->name);
		return t->psk_len ? 0 : config_error(p, "[%s] needs psk or psk-file", t->name);
	}
	if (t->psk_len)
		return config_error(p, "[%s] auth = %s: psk and psk-file do not belong here",
				    t->name, t->auth == IKE_AUTH_RSA_SIG ? "rsa" : "ecdsa");
	if (creds_check(t->creds, &t->auth, err, sizeof(err)))
		return config_error(p, "[%s] %s", t->name, err);
	if (!t->local_id.type) {
		unsigned char *der = t->local_id.data;
		int len = i2d_X509_NAME(X509_get_subject_name(t->creds->cert), NULL);

		if (len <= 0 || len > CONFIG_ID_MAX)
			return config_error(
				p, "[%s] cert: its subject is longer than %d bytes; set local-id",
				t->name, CONFIG_ID_MAX);
		i2d_X509_NAME(X509_get_subject_name(t->creds->cert), &der);
		t->local_id.type = ID_DER_ASN1_DN;
		t->local_id.len = (size_t)len;
	} else if (!creds_cert_has_id(t->creds->cert, t->local_id.type, t->local_id.data,
				      t->local_id.len)) {
		return config_error(p,
				    "[%s] local-id is neither the subject of cert nor in its "
				    "subjectAltName",
				    t->name);
	}
	return 0;
}

/* Check the finished section: required keys, defaults, a peer it shares with no other. */
static int finish_section(struct parser *p, const struct config *cfg)
{
	struct tunnel_cfg *t = p->t;
	char err[256];
	int line = p->line, ts_family;

	if (!t)
		return 0;
	p->line = p->t_line;
	if (!t->family || !memcmp(t->local, (uint8_t[16]){ 0 }, 16) ||
	    !memcmp(t->remote, (uint8_t[16]){ 0 }, 16)) {
		return config_error(p, "[%s] needs both local and remote addresses", t->name);
	}
	/* One family per tunnel (each list has one); an unset list is any of it. */
	ts_family = t->n_local_ts    ? t->local_ts[0].family
		    : t->n_remote_ts ? t->remote_ts[0].family
				     : 0;
	if (t->n_local_ts && t->n_remote_ts && t->local_ts[0].family != t->remote_ts[0].family)
		return config_error(p, "[%s] local-ts and remote-ts must be of one address family",
				    t->name);
	if (t->address.family && ts_family && t->address.family != ts_family)
		return config_error(p, "[%s] address must be of the selectors' address family",
				    t->name);
	/* The module holds one outbound SA per selector, 16 per device. */
	if (t->n_local_ts * t->n_remote_ts > CONFIG_PAIRS_MAX)
		return config_error(p,
				    "[%s] local-ts and remote-ts make %zu sub-tunnels, at most %d",
				    t->name, t->n_local_ts * t->n_remote_ts, CONFIG_PAIRS_MAX);
	if (p->has_psk && p->has_psk_file)
		return config_error(p, "[%s] has both psk and psk-file; keep one", t->name);
	if (finish_auth(p))
		return -1;
	if (!t->n_ike)
		t->n_ike =
			(size_t)prop_parse_ike("aes256-sha256-modp2048", t->ike, err, sizeof(err));
	/* Aggressive Mode's first message carries one KE: every proposal needs its group. */
	for (size_t i = 1; t->aggressive && i < t->n_ike; i++) {
		if (t->ike[i].group != t->ike[0].group) {
			p->line = p->ike_line;
			return config_error(
				p,
				"[%s] mode = aggressive sends one KE payload: every ike "
				"proposal needs the same DH group",
				t->name);
		}
	}
	for (size_t i = 0; i < t->n_ike; i++)
		t->ike[i].auth = t->auth;
	if (!t->n_esp)
		t->n_esp = (size_t)prop_parse_esp("aes128gcm16-modp2048", t->esp, err, sizeof(err));
	if (check_peer_unique(p, cfg))
		return -1;
	p->line = line;
	return 0;
}

char *config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/*
 * Whitespace then '#' starts a comment to the end of the line, so a value
 * may be followed by one, as in README's example. A '#' inside a word is
 * kept (keyid:#1, a PSK a#b); a PSK with " #" in it belongs in psk-file.
 */
static void strip_comment(char *s)
{
	for (; *s; s++) {
		if ((*s == ' ' || *s == '\t') && s[1] == '#') {
			*s = 0;
			return;
		}
	}
}

static int start_section(struct parser *p, struct config *cfg, char *name)
{
	struct tunnel_cfg *t, **pp;
	size_t len = strlen(name);

	if (!len || len >= IFNAMSIZ || strpbrk(name, "/: \t"))
		return config_error(p, "[%s]: not a valid device name", name);
	for (pp = &cfg->tunnels; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name))
			return config_error(p, "[%s] appears twice", name);
	t = calloc(1, sizeof(*t));
	if (!t)
		return config_error(p, "out of memory");
	memcpy(t->name, name, len + 1);
	t->ike_lifetime = 28800;
	t->lifetime = 3600;
	t->dpd_timeout = 150;
	t->dpd_action = DPD_RESTART;
	t->nat_keepalive = 20; /* RFC 3948 4 */
	t->esp_timeout = 30;
	t->routes = true;
	*pp = t;
	p->t = t;
	p->t_line = p->line;
	p->has_psk = p->has_psk_file = false;
	p->ike_line = 0;
	return 0;
}

/* Parse TEXT, the contents of FILE, of status FILE_ST when read from it (else NULL). */
static int parse(const char *file, const struct stat *file_st, const char *text, struct config *cfg,
		 char *err, size_t err_len)
{
	struct parser p = { .file = file, .file_st = file_st, .err = err, .err_len = err_len };
	char line[LINE_MAX_LEN];
	int ret = 0;

	cfg->tunnels = NULL;
	cfg->keylog_dir[0] = 0;
	cfg->keylog_line = 0;
	while (*text && !ret) {
		size_t len = strcspn(text, "\n");
		char *s, *eq;

		p.line++;
		if (len >= sizeof(line)) {
			ret = config_error(&p, "line longer than %d bytes", LINE_MAX_LEN - 1);
			break;
		}
		memcpy(line, text, len);
		line[len] = 0;
		text += len + (text[len] == '\n');
		strip_comment(line);
		s = config_trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || *config_trim(close + 1))
				ret = config_error(&p, "expected [device]");
			else if (!(ret = finish_section(&p, cfg))) {
				*close = 0;
				ret = start_section(&p, cfg, config_trim(s + 1));
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			ret = config_error(&p, "expected key = value");
		} else {
			*eq = 0;
			ret = p.t ? set_key(&p, config_trim(s), config_trim(eq + 1))
				  : set_daemon_key(&p, cfg, config_trim(s), config_trim(eq + 1));
		}
	}
	if (!ret)
		ret = finish_section(&p, cfg);
	if (!ret && !cfg->tunnels) {
		p.line = 0;
		ret = config_error(&p, "no [device] section");
	}
	OPENSSL_cleanse(line, sizeof(line));
	if (ret)
		config_free(cfg);
	return ret;
}

int config_parse(const char *file, const char *text, struct config *cfg, char *err, size_t err_len)
{
	return parse(file, NULL, text, cfg, err, err_len);
}

int config_load(const char *path, struct config *cfg, char *err, size_t err_len)
{
	char *text;
	struct stat st;
	ssize_t n;
	int fd, ret;

	/* O_NONBLOCK: opening a FIFO would wait for a writer, and a reload with it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
		snprintf(err, err_len, "%s: %s", path,
			 fd < 0 ? strerror(errno) : "not a regular file under 1 MiB");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	text = calloc(1, (size_t)st.st_size + 1);
	n = text ? read(fd, text, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		snprintf(err, err_len, "%s: cannot read", path);
		free(text);
		return -1;
	}
	ret = parse(path, &st, text, cfg, err, err_len);
	OPENSSL_cleanse(text, (size_t)st.st_size);
	free(text);
	return ret;
}

void config_free(struct config *cfg)
{
	while (cfg->tunnels) {
		struct tunnel_cfg *t = cfg->tunnels;

		cfg->tunnels = t->next;
		creds_free(t->creds);
		OPENSSL_cleanse(t, sizeof(*t));
		free(t);
	}
	cfg->keylog_dir[0] = 0;
	cfg->keylog_line = 0;
}

const struct tunnel_cfg *config_find(const struct config *cfg, const char *name)
{
	const struct tunnel_cfg *t;

	for (t = cfg->tunnels; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
