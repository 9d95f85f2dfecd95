/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_REPLAY_H
#define _ESPTUN_REPLAY_H

#include <linux/types.h>

struct esptun_replay;

struct esptun_replay *esptun_replay_alloc(u32 window, u64 top);
void esptun_replay_free(struct esptun_replay *r);
u64 esptun_replay_infer(const struct esptun_replay *r, u32 seq_lo, bool esn);
bool esptun_replay_check(struct esptun_replay *r, u64 seq);
bool esptun_replay_advance(struct esptun_replay *r, u64 seq, bool *newest);
u64 esptun_replay_top(const struct esptun_replay *r);
u32 esptun_replay_window(const struct esptun_replay *r);

#endif /* _ESPTUN_REPLAY_H */
