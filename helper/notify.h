/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_NOTIFY_H
#define ESPTUN_NOTIFY_H

/*
 * sd_notify(3) without libsystemd: under a Type=notify service, systemd
 * learns that the daemon is ready (its configuration loaded, its sockets
 * bound), reloading or stopping. Outside systemd ($NOTIFY_SOCKET unset)
 * it does nothing.
 */

/*
 * Send STATE ("READY=1", newline-separated assignments) to $NOTIFY_SOCKET.
 * 1 when sent, 0 when there is no socket to tell, -1 (errno set) when it
 * could not be sent. Callers only warn: a lost notification must not stop
 * the daemon.
 */
int notify(const char *state);

#endif
