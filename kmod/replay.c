// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window of an inbound SA (RFC 4303 3.4.3) and the recovery of
 * extended sequence numbers from their low 32 bits (RFC 4303 appendix A).
 *
 * The bitmap is a ring indexed by sequence number modulo its size, so
 * advancing the window clears only the bits it passes over. Receive checks
 * the window twice: before decryption, to avoid spending crypto on an
 * obvious replay, and after the ICV verified, to record the number; only
 * the second check is authoritative, because forged packets must never
 * move the window.
 */

#include <linux/bitmap.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/esptun.h>

#include "replay.h"

struct esptun_replay {
	spinlock_t lock;	/* top and bits */
	u64 top;		/* highest number accepted */
	u32 window;		/* packets, 0 = no replay check */
	u32 nbits;		/* ring size: window rounded up to longs */
	unsigned long bits[];
};

struct esptun_replay *esptun_replay_alloc(u32 window, u64 top)
{
	u32 nbits = round_up(window, BITS_PER_LONG);
	struct esptun_replay *r;

	if (window > ESPTUN_REPLAY_WINDOW_MAX)
		return NULL;
	r = kzalloc(struct_size(r, bits, BITS_TO_LONGS(nbits)), GFP_KERNEL_ACCOUNT);
	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	r->top = top;
	r->window = window;
	r->nbits = nbits;
	return r;
}

void esptun_replay_free(struct esptun_replay *r)
{
	kfree(r);
}

u64 esptun_replay_top(const struct esptun_replay *r)
{
	return READ_ONCE(r->top);
}

u32 esptun_replay_window(const struct esptun_replay *r)
{
	return r->window;
}

/*
 * RFC 4303 A.2: the high half is the one that puts seq_lo closest to the
 * window. Without a replay window, the default size still bounds how far
 * back a late packet may be.
 */
u64 esptun_replay_infer(const struct esptun_replay *r, u32 seq_lo, bool esn)
{
	u32 w = r->window ?: ESPTUN_REPLAY_WINDOW_DEFAULT;
	u64 top = READ_ONCE(r->top);
	u32 tl = lower_32_bits(top);
	u32 th = upper_32_bits(top);

	if (!esn)
		return seq_lo;
	if (tl >= w - 1) {
		/* The window lies within one 2^32 subspace. */
		if (seq_lo < tl - w + 1)
			th++;
	} else {
		/* The window spans a subspace boundary. */
		if (seq_lo >= tl - w + 1 && th)
			th--;
	}
	return (u64)th << 32 | seq_lo;
}

/* The ring bit of @seq; a u64 modulo needs a helper on 32-bit. */
static u32 bit_of(const struct esptun_replay *r, u64 seq)
{
	u32 rem;

	div_u64_rem(seq, r->nbits, &rem);
	return rem;
}

static bool acceptable(const struct esptun_replay *r, u64 seq)
{
	if (!seq)
		return false;
	if (!r->window || seq > r->top)
		return true;
	if (r->top - seq >= r->window)
		return false;
	return !test_bit(bit_of(r, seq), r->bits);
}

bool esptun_replay_check(struct esptun_replay *r, u64 seq)
{
	bool ok;

	spin_lock_bh(&r->lock);
	ok = acceptable(r, seq);
	spin_unlock_bh(&r->lock);
	return ok;
}

/*
 * Records @seq; false if it is refused. *@newest says whether it raised
 * the top: without a window a replay of the top number is accepted, but
 * it is not new.
 */
bool esptun_replay_advance(struct esptun_replay *r, u64 seq, bool *newest)
{
	u32 bit;
	u64 n;

	spin_lock_bh(&r->lock);
	if (!acceptable(r, seq)) {
		spin_unlock_bh(&r->lock);
		return false;
	}
	*newest = seq > r->top;
	if (*newest) {
		if (r->window) {
			if (seq - r->top >= r->nbits) {
				bitmap_zero(r->bits, r->nbits);
			} else {
				/* One division, not one per number passed over. */
				bit = bit_of(r, r->top + 1);
				for (n = r->top + 1; n < seq; n++) {
					__clear_bit(bit, r->bits);
					if (++bit == r->nbits)
						bit = 0;
				}
			}
		}
		WRITE_ONCE(r->top, seq);
	}
	if (r->window)
		__set_bit(bit_of(r, seq), r->bits);
	spin_unlock_bh(&r->lock);
	return true;
}
