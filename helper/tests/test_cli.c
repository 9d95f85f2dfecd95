// SPDX-License-Identifier: GPL-2.0
/*
 * The esptun binary as a user meets it: help, version, exit codes, error
 * lines, the message without the module; and the man page agreeing with
 * --help. Run from helper/ (make check does), after the binary is built.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "subcommands.h"
#include "tap.h"

#define BINARY "./esptun"
#define MAN_PAGE "esptun.8"

extern char **environ;

struct run {
	int status;
	char out[8192], err[2048];
};

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t len = f ? fread(buf, 1, size - 1, f) : 0;

	buf[len] = '\0';
	if (f)
		fclose(f);
}

/* Run the binary with the words of LINE, collecting stdout, stderr and the exit code. */
static void run(const char *line, struct run *result)
{
	char copy[512], *argv[32], out[] = "/tmp/esptun-cli-out-XXXXXX",
				   err[] = "/tmp/esptun-cli-err-XXXXXX";
	posix_spawn_file_actions_t actions;
	int out_fd = mkstemp(out), err_fd = mkstemp(err), status = -1;
	pid_t pid;

	snprintf(copy, sizeof(copy), "%s", line);
	argv[0] = BINARY;
	argv[split_words(copy, argv + 1, 30) + 1] = NULL;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
	if (posix_spawn(&pid, BINARY, &actions, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&actions);
	result->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	slurp(out, result->out, sizeof(result->out));
	slurp(err, result->err, sizeof(result->err));
	close(out_fd);
	close(err_fd);
	unlink(out);
	unlink(err);
}

static void test_exit_codes(void)
{
	static const struct {
		const char *line;
		int status;
		const char *stdout_has, *stderr_is;
	} cases[] = {
		{ "--help", 0, "Commands:", "" },
		{ "-h", 0, "Commands:", "" },
		{ "help", 0, "Commands:", "" },
		{ "--version", 0, "esptun 0.1.0", "" },
		{ "help sa", 0, "auth-trunc", "" },
		{ "sa --help", 0, "esptun sa flush DEV", "" },
		{ "sa add vpn0 --help", 0, "replay-window", "" },
		{ "show -h", 0, "last-rx", "" },
		{ "set --help", 0, "encap udp SPORT DPORT", "" },
		{ "help monitor", 0, "soft-expire DEV", "" },
		{ "monitor now", 2, "", NULL },
		{ "", 2, "", NULL },
		{ "frobnicate", 2, "",
		  "esptun: unknown command 'frobnicate'; see 'esptun --help'\n" },
		{ "help frobnicate", 2, "", "esptun: help: no command 'frobnicate'\n" },
		{ "sa add vpn0 in spi 0 aead rfc4106(gcm(aes)) 0x00 128", 1, "",
		  "esptun: sa add: bad spi '0': out of range 1..4294967295\n" },
		{ "sa add vpn0 in spi 1 aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e "
		  "128",
		  1, "",
		  "esptun: sa add: bad key length 15 for rfc4106(gcm(aes)): expected 20, 28 or 36 "
		  "bytes\n" },
		{ "set vpn0 local 192.0.2.1 remote 2001:db8::2", 1, "",
		  "esptun: set: local and remote addresses must be of the same family (IPv4 or "
		  "IPv6)\n" },
		{ "sa add vpn0 in spi 1", 2, "", NULL },
		{ "show vpn0 dump extra", 2, "", NULL },
		{ "help reload", 0, "SIGHUP", "" },
		{ "up", 2, "", NULL },
		{ "down vpn0 now", 2, "", NULL },
		{ "reload now", 2, "", NULL },
		{ "down a/b", 1, "", "esptun: down: bad device name 'a/b'\n" },
		{ "sa add vpn0 out spi 1 sel src 10.0.0.1/24 dst 10.1.0.0/16", 1, "",
		  "esptun: sa add: bad source prefix '10.0.0.1/24': bits set past the prefix "
		  "length\n" },
		{ "sa add vpn0 out spi 1 sel src 10.0.0.0/24", 2, "", NULL },
		{ "help sa", 0, "SEL := src PREFIX dst PREFIX", "" },
		{ "help monitor", 0, "acquire DEV [sel SRC -> DST", "" },
	};
	struct run *result = malloc(sizeof(*result));
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(cases[i].line, result);
		ok(result->status == cases[i].status && strstr(result->out, cases[i].stdout_has) &&
			   (!cases[i].stderr_is || !strcmp(result->err, cases[i].stderr_is)),
		   "esptun %s: exit %d", cases[i].line, cases[i].status);
	}
	run("sa add vpn0 in spi 1", result);
	ok(strstr(result->err, "Usage: esptun sa add") && strstr(result->err, "esptun help sa"),
	   "a usage error repeats the synopsis and points to help");

	if (access("/sys/module/esptun", F_OK) == 0) {
		tap_skip("esptun.ko is loaded here", "without the module: clear error, exit 1");
	} else {
		run("show", result);
		ok(result->status == 1 &&
			   !strcmp(result->err,
				   "esptun: generic netlink family 'esptun' not found: "
				   "is esptun.ko loaded?\n"),
		   "without the module: clear error, exit 1");
	}
	free(result);
}

/* The man page documents every dump column in the order show --help lists them. */
static void test_man_page(void)
{
	/* Words a user looks for, from sa, set, monitor and show --help. */
	static const char *const words[] = {
		"replay-window", "esn",		  "seq",
		"lifetime",	 "auth-trunc",	  "rfc4106(gcm(aes))",
		"cbc(des3_ede)", "sha384",	  "encap udp",
		"sa flush",	 "0600",	  "soft-expire",
		"hard-expire",	 "seq-exhausted", "acquire",
		"ipv6-icmp",	 "udplite",	  "sport",
		"dport",	 "no-SA drops",
	};
	char *man = calloc(1, 65536), *usage = strdup(show_usage), *columns, *column, *at, *save;
	int index = 0;
	size_t i;

	slurp(MAN_PAGE, man, 65536);
	/* In show --help the columns are the words between "for scripts:" and "See". */
	columns = strstr(usage, "for scripts:\n") + strlen("for scripts:\n");
	*strstr(columns, "See") = '\0';
	at = man;
	for (column = strtok_r(columns, " \n", &save); column && at;
	     column = strtok_r(NULL, " \n", &save)) {
		char entry[64];

		/* The man page's table rows read " 1  device ...", "10  packets ...". */
		snprintf(entry, sizeof(entry), "%2d  %s", ++index, column);
		do
			at = strstr(at + 1, entry);
		while (at && !strchr(" \n", at[strlen(entry)]));
		if (!at)
			printf("# man page lacks dump column '%s'\n", entry);
	}
	ok(at && index == 28, "man page lists the 28 dump columns of 'show --help' in order");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		ok(strstr(man, words[i]) &&
			   (strstr(sa_usage, words[i]) || strstr(set_usage, words[i]) ||
			    strstr(monitor_usage, words[i]) || strstr(show_usage, words[i])),
		   "'%s' is in both the man page and --help", words[i]);
	free(usage);
	free(man);
}

void test_cli(void)
{
	if (access(BINARY, X_OK) || access(MAN_PAGE, R_OK)) {
		tap_skip("run from helper/ after make", "the esptun binary and its man page");
		return;
	}
	test_exit_codes();
	test_man_page();
}
