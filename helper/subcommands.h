/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_SUBCOMMANDS_H
#define ESPTUN_SUBCOMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

/*
 * Each subcommand gets ARGV from its own name on and returns 0 or an
 * exit code from log.h; on EXIT_USAGE main.c prints its usage text.
 */
int set_main(int argc, char **argv);
int sa_main(int argc, char **argv);
int show_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int daemon_main(int argc, char **argv);
int up_main(int argc, char **argv);
int down_main(int argc, char **argv);
int rekey_main(int argc, char **argv);
int reload_main(int argc, char **argv);

extern const char set_usage[];
extern const char sa_usage[];
extern const char show_usage[];
extern const char monitor_usage[];
extern const char daemon_usage[];
extern const char up_usage[];
extern const char down_usage[];
extern const char rekey_usage[];
extern const char reload_usage[];

/*
 * The netlink side of the subcommands, apart from the socket so the host
 * tests can check the messages against the uapi: set_fill() and sa_fill()
 * are kernel_fill_fn for a struct set_request and a struct sa_request;
 * show_reply() is the kernel_reply_fn printing a GET_DEVICE reply, and
 * monitor_event() the one printing an event.
 */
struct json;

struct show_state {
	bool dump;	      /* one tab-separated line per SA instead of the readable form */
	unsigned int devices; /* printed so far, to separate them */
	struct json *json;    /* esptun -j show: show_json_reply() writes here */
};

/* Set by esptun -j (--json) before the subcommand; only show reads it. */
extern bool json_output;

int set_fill(struct nl_msg *msg, uint8_t cmd, const void *set_request);
int sa_fill(struct nl_msg *msg, uint8_t cmd, const void *sa_request);
int show_reply(uint8_t cmd, struct nlattr **attrs, void *show_state);
int show_json_reply(uint8_t cmd, struct nlattr **attrs, void *show_state);
int monitor_event(uint8_t cmd, struct nlattr **attrs, void *unused);

#endif
