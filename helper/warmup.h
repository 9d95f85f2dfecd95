/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_WARMUP_H
#define ESPTUN_WARMUP_H

#include "config.h"

/*
 * Have the kernel make every ESP algorithm CFG's tunnels may install,
 * from a thread of its own: the caller does not wait. Call it with the
 * daemon's signals blocked, which the thread keeps.
 */
void warmup_start(const struct config *cfg);

#endif
