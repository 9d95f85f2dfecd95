/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_KERNEL_H
#define ESPTUN_KERNEL_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <stdbool.h>
#include <stdint.h>

/* Puts the attributes of request CMD into MSG; returns a negative libnl error when they do not fit. */
typedef int (*kernel_fill_fn)(struct nl_msg *msg, uint8_t cmd, const void *arg);

/*
 * Called with the command (enum esptun_cmd) and the parsed top-level
 * attributes (enum esptun_attr) of each reply or event; returns 0 or an
 * exit code.
 */
typedef int (*kernel_reply_fn)(uint8_t cmd, struct nlattr **attrs, void *arg);

/*
 * Send one esptun generic netlink request CMD (a dump when DUMP) filled by
 * FILL, and wait for the kernel's acknowledgement or the end of the dump,
 * calling ON_REPLY (may be NULL) for every reply. A refusal is reported
 * with the kernel's extack message. The request is wiped after sending,
 * since it may carry keys. Returns 0 or an exit code.
 *
 * Requests share one socket, opened by the first; kernel_requests_close()
 * closes it (a later request opens it again).
 */
int kernel_execute(uint8_t cmd, bool dump, kernel_fill_fn fill, const void *fill_arg,
		   kernel_reply_fn on_reply, void *reply_arg);
void kernel_requests_close(void);

/*
 * Join the multicast group ESPTUN_GENL_MCGRP_EVENTS and call ON_EVENT for
 * every event until it returns non-zero or reading fails. Returns an exit code.
 */
int kernel_monitor(kernel_reply_fn on_event, void *arg);

/*
 * The same for an event loop: a socket in the events group (NULL when that
 * fails, logged), its non-blocking fd to poll, the events waiting on it
 * (an exit code), and closing it.
 */
struct kernel;
struct kernel *kernel_events_open(void);
int kernel_events_fd(struct kernel *kernel);
int kernel_events_read(struct kernel *kernel, kernel_reply_fn on_event, void *arg);
void kernel_events_close(struct kernel *kernel);

#endif
