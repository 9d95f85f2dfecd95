/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon knows about a tunnel and the kernel does not (the NAT
 * it detected, where it last saw the peer), kept in a small file per
 * device for `esptun show`: /run/esptun/NETNS/DEV, NETNS being the network
 * namespace's inode number, since devices of one name live in many.
 */
#ifndef ESPTUN_STATUS_H
#define ESPTUN_STATUS_H

#include <stddef.h>

/* One tunnel's status file: its IKE SAs and up to 16 sub-tunnels, each rekeying, with selectors. */
#define STATUS_MAX 8192

/* The daemon's control socket (control.h) beside the status files: ':' is in no device's name. */
#define STATUS_CONTROL "daemon:control"

/* The file NAME (a device, or STATUS_CONTROL) into BUF; MAKE creates the directories. 0 or -1. */
int status_path(const char *name, char *buf, size_t len, int make);

/* Replace DEV's status with TEXT (lines). 0 or -1. */
int status_write(const char *dev, const char *text);
/* Remove DEV's status (the daemon is leaving). */
void status_remove(const char *dev);
/* DEV's status into BUF (NUL-terminated, truncated to LEN). 0, or -1 when there is none. */
int status_read(const char *dev, char *buf, size_t len);

#endif
