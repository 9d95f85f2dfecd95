// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for what follows authentication: two negotiators with
 * an established IKE SA and ESP pair (peers.h), and each input turned into
 * a Quick Mode or informational message from B to A that passes the
 * checks a forgery fails: B's cookies, encrypted with B's keys and the
 * message ID's IV, with a valid HASH(1) over the fuzzed payloads. So the
 * fuzzer reaches Quick Mode's proposal, nonce, KE, ID and NAT-OA handling,
 * DELETE and notify processing, which fuzz_ike_input cannot get past the
 * hash to. Input: the exchange (low bit of byte 0: Quick Mode or
 * informational), the message ID (bytes 1-4), the first payload type
 * (byte 5), then the payload chain as it goes on the wire.
 */
#include "peers.h"

/* An established pair, made anew when an input ended it (a DELETE, say). */
static bool establish(void)
{
	cleanup();
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	ike_initiate(&b.ctx, &b.t);
	run(3);
	return keys_match();
}

static bool established(const struct side *s)
{
	return s->ctx.sas && s->ctx.sas->state == MM_ESTABLISHED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t msgid;

	ike_log_quiet = true;
	if (size < 6 || size > ISAKMP_MAX_MSG / 2)
		return 0;
	if ((!established(&a) || !established(&b)) && !establish())
		return 0;
	msgid = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 |
		data[4];
	if (!msgid)
		return 0;
	deliver_protected(&a, &b, data[0] & 1 ? ISAKMP_XCHG_QUICK : ISAKMP_XCHG_INFO, msgid,
			  data[5], data + 6, size - 6);
	qlen = 0; /* A's answers go nowhere: B's state stays as established */
	a.ctx.now_ms += 1000;
	ike_tick(&a.ctx);
	qlen = 0;
	return 0;
}
