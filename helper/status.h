/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon knows about a tunnel and the kernel does not (the NAT
 * it detected, where it last saw the peer), kept in a small file per
 * device for `esptun show`: /run/esptun/NETNS/DEV, NETNS being the network
 * namespace's inode number, since devices of one name live in many.
 */
#ifndef ESPTUN_STATUS_H
#define ESPTUN_STATUS_H

#include <stdbool.h>
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

/* One "ike-sa ..." line of a status file (ike/report.h), times on CLOCK_BOOTTIME. */
struct status_ike_sa {
	char icookie[17], rcookie[17], mode[16], role[16], state[16], peer[64];
	unsigned long long established, expires; /* 0 before it is established */
	unsigned int life;
};

/* One "child-sa ..." line: an ESP SA pair, with the sub-tunnel's selector text or "". */
struct status_child_sa {
	unsigned int spi_in, spi_out;
	unsigned long long expires;
	bool active;
	const char *sel; /* points into the line */
};

/* LINE as one of them; false when it is not one. */
bool status_parse_ike_sa(const char *line, struct status_ike_sa *sa);
bool status_parse_child_sa(const char *line, struct status_child_sa *child);

#endif
