// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the ISAKMP parser: header, payload chain, and every
 * structure inside the payloads (SA proposals, transforms, attributes,
 * notify, delete). The sanitizers turn any out-of-bounds read into a crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "../isakmp.h"

static void walk_sa(const struct isakmp_payload *pl)
{
	struct isakmp_cursor props;
	struct isakmp_proposal p;
	struct isakmp_transform t;
	struct isakmp_attr a;
	uint32_t v;

	if (isakmp_sa_open(pl, &props))
		return;
	while (isakmp_proposal_next(&props, &p) == 1) {
		struct isakmp_cursor tc = p.transforms;

		while (isakmp_transform_next(&tc, &t) == 1) {
			struct isakmp_cursor ac = t.attrs;

			while (isakmp_attr_next(&ac, &a) == 1)
				(void)isakmp_attr_u32(&a, &v);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isakmp_msg m;
	struct isakmp_notify_info n;
	struct isakmp_delete_info d;
	size_t i;

	if (isakmp_parse_header(&m, data, size))
		return 0;
	/* Parse as if decrypted too: the chain walk must hold for any bytes. */
	if (isakmp_parse_payloads(&m, m.np, m.body, m.body_len))
		return 0;
	for (i = 0; i < m.n; i++) {
		switch (m.p[i].type) {
		case ISAKMP_NP_SA:
			walk_sa(&m.p[i]);
			break;
		case ISAKMP_NP_N:
			(void)isakmp_notify_parse(&m.p[i], &n);
			break;
		case ISAKMP_NP_D:
			(void)isakmp_delete_parse(&m.p[i], &d);
			break;
		}
	}
	return 0;
}
