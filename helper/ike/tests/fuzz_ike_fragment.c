// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for IKE fragment reassembly (fragment.c): two
 * negotiators with an established IKE SA (peers.h), and each input a run
 * of fragments from B's address with the SA's cookies to A, which
 * reassembles them and hands any whole message to the input path. Input:
 * records of fragment ID (1 byte, as the low byte), number, flags, data
 * length (1 byte each), then that much data; a flags byte with bit 7 set
 * moves A's clock 4 s first, so timeouts are reached. ASan and LSan watch
 * what is kept; one reassembly per SA is all that may live across inputs.
 */
#include "peers.h"

static bool establish(void)
{
	cleanup();
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	ike_initiate(&b.ctx, &b.t);
	run(3);
	return keys_match();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isakmp_builder bld;
	struct sockaddr_storage from;
	uint8_t body[4 + 255];
	struct ike_sa *sa;
	size_t off = 0;

	ike_log_quiet = true;
	if (!a.ctx.sas || a.ctx.sas->state != MM_ESTABLISHED) {
		if (!establish())
			return 0;
	}
	sa = a.ctx.sas;
	source_of(&(struct packet){ .to = &a, .from = &b }, &from);
	while (off + 4 <= size && a.ctx.sas == sa) {
		size_t len = data[off + 3];

		if (off + 4 + len > size)
			break;
		if (data[off + 2] & 0x80)
			a.ctx.now_ms += 4000;
		body[0] = 0;
		body[1] = data[off];
		body[2] = data[off + 1];
		body[3] = data[off + 2] & 0x7f;
		memcpy(body + 4, data + off + 4, len);
		isakmp_build_header(&bld, sa->icookie, sa->rcookie, ISAKMP_XCHG_MAIN, 0, 0);
		isakmp_add(&bld, ISAKMP_NP_FRAG, body, 4 + len);
		isakmp_finish(&bld);
		ike_input(&a.ctx, &from, bld.buf, bld.len);
		off += 4 + len;
	}
	qlen = 0; /* A's answers go nowhere */
	return 0;
}
