// SPDX-License-Identifier: GPL-2.0
/*
 * esptun: the subcommand table, help and version.
 */
#include <stdio.h>
#include <string.h>

#include <linux/esptun.h>

#include "log.h"
#include "subcommands.h"

#define ESPTUN_VERSION "0.1.0"

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
} subcommands[] = {
	{ "show", show_main, show_usage, "Show devices, their endpoints, SAs and counters" },
	{ "set", set_main, set_usage, "Set a device's endpoints and UDP encapsulation" },
	{ "sa", sa_main, sa_usage, "Add, delete or flush a device's SAs (manual keying)" },
	{ "monitor", monitor_main, monitor_usage, "Print lifetime, sequence and acquire events" },
	{ "daemon", daemon_main, daemon_usage, "Negotiate IKEv1 and install the SAs it agrees" },
	{ "up", up_main, up_usage, "Bring a daemon's tunnel up now" },
	{ "down", down_main, down_usage, "Delete a daemon's tunnel's SAs and keep it down" },
	{ "rekey", rekey_main, rekey_usage, "Rekey a daemon's tunnel's ESP SAs now" },
	{ "reload", reload_main, reload_usage, "Make the daemon re-read its configuration" },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void print_usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: esptun [-j | --json] COMMAND [ARGS...]\n"
		"       esptun help COMMAND | esptun COMMAND --help\n"
		"       esptun --help | --version\n"
		"\n"
		"Configure esptun route-based IPsec ESP tunnel devices (ip link add NAME type\n"
		"esptun) through the esptun.ko generic netlink family.\n"
		"\n"
		"-j (--json) makes show print JSON (schema in esptun(8)).\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < N_SUBCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
}

/* On a usage error only the synopsis, up to the first blank line, is worth repeating. */
static void print_synopsis(const struct subcommand *cmd)
{
	const char *end = strstr(cmd->usage, "\n\n");

	fprintf(stderr, "%.*s\n", end ? (int)(end - cmd->usage) : (int)strlen(cmd->usage),
		cmd->usage);
	fprintf(stderr, "See 'esptun help %s'.\n", cmd->name);
}

static const struct subcommand *find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const struct subcommand *cmd;
	int ret;

	/* As ip -j: before the command, for the one command that has JSON. */
	if (argc > 1 && (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json"))) {
		json_output = true;
		argc--;
		argv++;
		if (argc > 1 && strcmp(argv[1], "show")) {
			log_error("-j is for show only");
			return EXIT_USAGE;
		}
	}
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("esptun %s (generic netlink family %s version %d)\n", ESPTUN_VERSION,
		       ESPTUN_GENL_NAME, ESPTUN_GENL_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		cmd = find_subcommand(argv[2]);
		if (!cmd || argc > 3) {
			log_error("help: no command '%s'", argv[argc > 3 ? 3 : 2]);
			return EXIT_USAGE;
		}
		fputs(cmd->usage, stdout);
		return 0;
	}
	cmd = find_subcommand(argv[1]);
	if (!cmd) {
		log_error("unknown command '%s'; see 'esptun --help'", argv[1]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - 1, argv + 1)) {
		fputs(cmd->usage, stdout);
		return 0;
	}
	log_set_context(cmd->name);
	ret = cmd->run(argc - 1, argv + 1);
	if (ret == EXIT_USAGE)
		print_synopsis(cmd);
	return ret;
}
