// SPDX-License-Identifier: GPL-2.0
/*
 * keylog.c: the lines of Wireshark's ikev1_decryption_table and esp_sa
 * tables, and the files that hold them: made private, appended to, and
 * refused when others could read them or put something in their place.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keylog.h"
#include "tap.h"

static char dir[] = "/tmp/esptun-keylog-XXXXXX";

/* How often WHAT occurs in TEXT. */
static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_ike_line(void)
{
	const uint8_t icookie[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff };
	char line[128] = "";
	int n;

	n = keylog_ike_line(line, sizeof(line), icookie, key, sizeof(key));
	ok(n == 50 && !strcmp(line, "0123456789abcdef,000102030405060708090a0b0c0d0eff\n"),
	   "keylog: IKE line is bare hex cookie,key (%.*s)", (int)strcspn(line, "\n"), line);
	n = keylog_ike_line(line, 40, icookie, key, sizeof(key));
	ok(n == -1, "keylog: an IKE line that does not fit is refused");
}

static void fill_key(uint8_t *k, size_t len, uint8_t first)
{
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(first + i);
}

static void test_esp_lines(void)
{
	struct tunnel_cfg t = { .family = AF_INET };
	struct child_sa c = { .cfg = &t, .spi_in = 0xc0ffee01, .spi_out = 0x0badf00d };
	struct sockaddr_in *peer = (struct sockaddr_in *)&c.ep.peer;
	char line[512] = "";
	int n;

	inet_pton(AF_INET, "192.0.2.1", t.local);
	inet_pton(AF_INET, "192.0.2.2", t.remote);
	c.prop = (struct esp_prop){ .transform = ESP_AES_GCM_16, .key_bits = 128 };
	esp_prop_kernel(&c.prop, &c.alg);
	fill_key(c.key_in, 20, 0x10);
	fill_key(c.key_out, 20, 0x40);
	n = keylog_esp_line(line, sizeof(line), &c, true);
	ok(n > 0 && !strcmp(line, "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0xc0ffee01\","
				  "\"AES-GCM with 16 octet ICV [RFC4106]\","
				  "\"0x101112131415161718191a1b1c1d1e1f20212223\",\"NULL\",\"\"\n"),
	   "keylog: inbound AES-GCM line, key with salt (%.*s)", (int)strcspn(line, "\n"), line);
	n = keylog_esp_line(line, sizeof(line), &c, false);
	ok(n > 0 && !strcmp(line, "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x0badf00d\","
				  "\"AES-GCM with 16 octet ICV [RFC4106]\","
				  "\"0x404142434445464748494a4b4c4d4e4f50515253\",\"NULL\",\"\"\n"),
	   "keylog: outbound AES-GCM line (%.*s)", (int)strcspn(line, "\n"), line);

	/* The peer as IKE last saw it (a NAT moved it) is where ESP goes. */
	peer->sin_family = AF_INET;
	inet_pton(AF_INET, "198.51.100.7", &peer->sin_addr);
	c.prop = (struct esp_prop){ .transform = ESP_AES_CBC,
				    .key_bits = 256,
				    .auth = AUTH_HMAC_SHA256 };
	esp_prop_kernel(&c.prop, &c.alg);
	fill_key(c.key_out, 64, 0);
	n = keylog_esp_line(line, sizeof(line), &c, false);
	ok(n > 0 &&
		   !strcmp(line,
			   "\"IPv4\",\"192.0.2.1\",\"198.51.100.7\",\"0x0badf00d\","
			   "\"AES-CBC [RFC3602]\","
			   "\"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
			   "\"HMAC-SHA-256-128 [RFC4868]\","
			   "\"0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\""
			   "\n"),
	   "keylog: AES-CBC + HMAC-SHA-256 line, to the peer's NAT address (%.*s)",
	   (int)strcspn(line, "\n"), line);

	c.prop = (struct esp_prop){ .transform = ESP_3DES, .auth = AUTH_HMAC_SHA1 };
	esp_prop_kernel(&c.prop, &c.alg);
	t.family = AF_INET6;
	memset(&c.ep.peer, 0, sizeof(c.ep.peer));
	inet_pton(AF_INET6, "2001:db8::1", t.local);
	inet_pton(AF_INET6, "2001:db8::2", t.remote);
	n = keylog_esp_line(line, sizeof(line), &c, true);
	ok(n > 0 &&
		   !strncmp(line,
			    "\"IPv6\",\"2001:db8::2\",\"2001:db8::1\",\"0xc0ffee01\","
			    "\"TripleDES-CBC [RFC2451]\",\"0x",
			    76) &&
		   strstr(line, "\",\"HMAC-SHA-1-96 [RFC2404]\",\"0x"),
	   "keylog: IPv6, 3DES + HMAC-SHA-1 line (%.*s)", (int)strcspn(line, "\n"), line);
	c.prop.transform = 99;
	n = keylog_esp_line(line, sizeof(line), &c, true);
	ok(n == -1, "keylog: a transform Wireshark has no name for gives no line");
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

static char *read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? 0 : st.st_mode & 07777;
}

static void test_files(void)
{
	const uint8_t icookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, key[4] = { 0xaa, 0xbb, 0xcc, 0xdd };
	char kdir[256], ike[300], esp[300], buf[1024], err[512] = "";
	int n;
	struct tunnel_cfg t = { .family = AF_INET };
	struct child_sa c = { .cfg = &t, .dirs = CHILD_IN | CHILD_OUT, .spi_in = 1, .spi_out = 2 };
	struct keylog kl;

	snprintf(kdir, sizeof(kdir), "%s/keys", dir);
	snprintf(ike, sizeof(ike), "%s/ikev1_decryption_table", kdir);
	snprintf(esp, sizeof(esp), "%s/esp_sa", kdir);
	umask(022); /* the daemon's own umask must not matter */
	n = keylog_open(&kl, kdir, err, sizeof(err));
	ok(n == 0, "keylog: open makes %s (%s)", kdir, n ? err : "ok");
	ok(mode_of(kdir) == 0700 && mode_of(ike) == 0600 && mode_of(esp) == 0600,
	   "keylog: directory 0700, tables 0600 (%03o %03o %03o)", mode_of(kdir), mode_of(ike),
	   mode_of(esp));
	keylog_ike(&kl, icookie, key, sizeof(key));
	c.prop = (struct esp_prop){ .transform = ESP_AES_GCM_16, .key_bits = 128 };
	esp_prop_kernel(&c.prop, &c.alg);
	inet_pton(AF_INET, "10.0.0.1", t.local);
	inet_pton(AF_INET, "10.0.0.2", t.remote);
	keylog_esp(&kl, &c);
	keylog_close(&kl);
	n = keylog_open(&kl, kdir, err, sizeof(err));
	ok(n == 0, "keylog: open again (%s)", n ? err : "ok");
	c.dirs = CHILD_OUT; /* a rekey's second half */
	keylog_esp(&kl, &c);
	keylog_close(&kl);
	read_file(ike, buf, sizeof(buf));
	ok(!strncmp(buf, "# esptun keylog-dir", 19) && count(buf, "# esptun keylog-dir") == 1 &&
		   count(buf, "\n0102030405060708,aabbccdd\n") == 1,
	   "keylog: %s has its comment once, then the line", ike);
	read_file(esp, buf, sizeof(buf));
	ok(strstr(buf, "\"10.0.0.2\",\"10.0.0.1\",\"0x00000001\"") &&
		   strstr(buf, "\"10.0.0.1\",\"10.0.0.2\",\"0x00000002\"") &&
		   count(buf, "0x00000002") == 2 && count(buf, "0x00000001") == 1,
	   "keylog: esp_sa has both halves, then the outbound one appended");

	/* What others could read or replace is refused, naming it. */
	chmod(esp, 0640);
	ok(keylog_open(&kl, kdir, err, sizeof(err)) == -1 && strstr(err, "esp_sa: mode 640") &&
		   kl.ike < 0 && kl.esp < 0,
	   "keylog: a table others may read is refused (%s)", err);
	chmod(esp, 0600);
	unlink(esp);
	symlink("/etc/passwd", esp);
	ok(keylog_open(&kl, kdir, err, sizeof(err)) == -1 && strstr(err, "a symbolic link"),
	   "keylog: a symbolic link in a table's place is refused (%s)", err);
	unlink(esp);
	mkfifo(esp, 0600);
	ok(keylog_open(&kl, kdir, err, sizeof(err)) == -1 && strstr(err, "not a regular file"),
	   "keylog: a FIFO in a table's place is refused (%s)", err);
	unlink(esp);
	chmod(kdir, 0777);
	ok(keylog_open(&kl, kdir, err, sizeof(err)) == -1 && strstr(err, "mode 777 lets others"),
	   "keylog: a directory others may write to is refused (%s)", err);
	chmod(kdir, 0700);
	write_file(esp, "", 0600);
	if (geteuid() == 0) {
		chown(esp, 65534, 65534);
		ok(keylog_open(&kl, kdir, err, sizeof(err)) == -1 && strstr(err, "uid 65534"),
		   "keylog: another user's table is refused (%s)", err);
	} else {
		tap_skip("not root", "keylog: another user's table is refused");
	}
	unlink(esp);
	snprintf(buf, sizeof(buf), "%s/plain", dir);
	write_file(buf, "", 0600);
	ok(keylog_open(&kl, buf, err, sizeof(err)) == -1 && strstr(err, "not a directory"),
	   "keylog: a file as keylog-dir is refused (%s)", err);
	unlink(buf);
	unlink(ike);
	rmdir(kdir);
}

static void test_configure(void)
{
	struct config cfg = { .keylog_line = 3 };
	struct keylog kl;
	char err[512];

	keylog_init(&kl);
	ok(keylog_configure(&kl, &cfg, "t.conf", err, sizeof(err)) == 0 && kl.ike < 0,
	   "keylog: off without keylog-dir");
	snprintf(cfg.keylog_dir, sizeof(cfg.keylog_dir), "%s/missing/keys", dir);
	ok(keylog_configure(&kl, &cfg, "t.conf", err, sizeof(err)) == -1 &&
		   !strncmp(err, "t.conf:3: keylog-dir ", 21) && kl.ike < 0,
	   "keylog: an unusable keylog-dir names its file:line (%s)", err);
	snprintf(cfg.keylog_dir, sizeof(cfg.keylog_dir), "%s/k", dir);
	ok(keylog_configure(&kl, &cfg, "t.conf", err, sizeof(err)) == 0 && kl.ike >= 0 &&
		   !strcmp(kl.dir, cfg.keylog_dir),
	   "keylog: keylog-dir opened");
	int fd = kl.ike;
	ok(keylog_configure(&kl, &cfg, "t.conf", err, sizeof(err)) == 0 && kl.ike == fd,
	   "keylog: the same keylog-dir on reload stays open");
	cfg.keylog_dir[0] = 0;
	ok(keylog_configure(&kl, &cfg, "t.conf", err, sizeof(err)) == 0 && kl.ike < 0 &&
		   kl.esp < 0 && !kl.dir[0],
	   "keylog: a reload without keylog-dir closes it");
	snprintf(err, sizeof(err), "%s/k/" KEYLOG_IKE_FILE, dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/k/" KEYLOG_ESP_FILE, dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/k", dir);
	rmdir(err);
}

void test_keylog(void)
{
	ike_log_quiet = true; /* keylog_configure's warnings would garble TAP */
	test_ike_line();
	test_esp_lines();
	if (!mkdtemp(dir)) {
		ok(false, "keylog: a temporary directory");
		return;
	}
	test_files();
	test_configure();
	ok(rmdir(dir) == 0, "keylog: the tests left nothing behind");
}
