/* SPDX-License-Identifier: GPL-2.0 */
/*
 * esptun up, down and reload: requests to the daemon of this network
 * namespace over a unix SOCK_SEQPACKET socket beside its status files
 * (status.h, mode 0600). A connection carries one request ("up NAME",
 * "down NAME", "rekey NAME" or "reload") and one reply: "ok " or "error " and a message
 * for the user.
 */
#ifndef ESPTUN_CONTROL_H
#define ESPTUN_CONTROL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#define CONTROL_MSG_MAX 1024 /* a request or a reply, bytes */

enum control_verb { CONTROL_UP, CONTROL_DOWN, CONTROL_REKEY, CONTROL_RELOAD };

struct control_request {
	enum control_verb verb;
	char name[IFNAMSIZ]; /* the device, for all but reload */
};

/* Parse the request BUF of LEN bytes (hostile). 0, or -1 with the reason in ERR. */
int control_parse(const char *buf, size_t len, struct control_request *req, char *err,
		  size_t err_len);

/*
 * The daemon's listening socket (non-blocking), replacing a stale one; -1
 * (errno set) when it cannot be made or another daemon answers on it.
 */
int control_listen(void);
/* The daemon is leaving: its socket goes. */
void control_unlink(void);
/* Answer the connection FD, then close it. */
void control_reply(int fd, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
