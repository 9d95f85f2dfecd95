// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP encode/decode round trips, and the parser's refusals of lengths
 * that point outside the datagram.
 */
#include <string.h>

#include "../isakmp.h"
#include "test_ike.h"

static const uint8_t ic[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rc[8] = { 0 };

/* An SA with two proposals: ESP with one transform (two attributes), ISAKMP with two. */
static void build_sa(struct isakmp_builder *b)
{
	size_t sa, p, t;
	const uint8_t spi[4] = { 0xde, 0xad, 0xbe, 0xef };

	isakmp_build_header(b, ic, rc, ISAKMP_XCHG_MAIN, 0, 0);
	sa = isakmp_begin(b, ISAKMP_NP_SA);
	isakmp_put32(b, ISAKMP_DOI_IPSEC);
	isakmp_put32(b, ISAKMP_SIT_IDENTITY_ONLY);
	p = isakmp_begin_sub(b, ISAKMP_NP_P);
	isakmp_put8(b, 1);
	isakmp_put8(b, ISAKMP_PROTO_ESP);
	isakmp_put8(b, 4);
	isakmp_put8(b, 1);
	isakmp_put(b, spi, 4);
	t = isakmp_begin_sub(b, ISAKMP_NP_NONE);
	isakmp_put8(b, 1);
	isakmp_put8(b, 12);
	isakmp_put16(b, 0);
	isakmp_put_attr(b, 6, 256);
	isakmp_put_attr(b, 2, 86400 * 30); /* TLV */
	isakmp_end(b, t);
	isakmp_end(b, p);
	p = isakmp_begin_sub(b, ISAKMP_NP_NONE);
	isakmp_put8(b, 2);
	isakmp_put8(b, ISAKMP_PROTO_ISAKMP);
	isakmp_put8(b, 0);
	isakmp_put8(b, 2);
	for (int i = 0; i < 2; i++) {
		t = isakmp_begin_sub(b, i ? ISAKMP_NP_NONE : ISAKMP_NP_T);
		isakmp_put8(b, (uint8_t)(i + 1));
		isakmp_put8(b, 1);
		isakmp_put16(b, 0);
		isakmp_put_attr(b, 1, 7);
		isakmp_end(b, t);
	}
	isakmp_end(b, p);
	isakmp_end(b, sa);
	isakmp_add(b, ISAKMP_NP_VID, "abcd", 4);
	isakmp_add(b, ISAKMP_NP_NONCE, "0123456789abcdef", 16);
	isakmp_finish(b);
}

static void test_roundtrip(void)
{
	struct isakmp_builder b;
	struct isakmp_msg m;
	struct isakmp_cursor props, tc, ac;
	struct isakmp_proposal p;
	struct isakmp_transform t;
	struct isakmp_attr a;
	uint32_t v;

	build_sa(&b);
	CHECK(!b.err);
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == 0);
	CHECK(m.length == b.len);
	CHECK(m.np == ISAKMP_NP_SA && m.exchange == ISAKMP_XCHG_MAIN);
	CHECK(!memcmp(m.icookie, ic, 8));
	CHECK(isakmp_parse_payloads(&m, m.np, m.body, m.body_len) == 0);
	CHECK(m.n == 3);
	CHECK(m.p[0].type == ISAKMP_NP_SA && m.p[1].type == ISAKMP_NP_VID &&
	      m.p[2].type == ISAKMP_NP_NONCE);
	CHECK(m.p[1].len == 4 && !memcmp(m.p[1].body, "abcd", 4));
	CHECK(m.p[2].len == 16);

	CHECK(isakmp_sa_open(&m.p[0], &props) == 0);
	CHECK(isakmp_proposal_next(&props, &p) == 1);
	CHECK(p.num == 1 && p.protocol == ISAKMP_PROTO_ESP && p.spi_size == 4 &&
	      p.ntransforms == 1);
	CHECK(p.spi[0] == 0xde && p.spi[3] == 0xef);
	tc = p.transforms;
	CHECK(isakmp_transform_next(&tc, &t) == 1);
	CHECK(t.id == 12);
	ac = t.attrs;
	CHECK(isakmp_attr_next(&ac, &a) == 1);
	CHECK(a.type == 6 && a.tv && isakmp_attr_u32(&a, &v) && v == 256);
	CHECK(isakmp_attr_next(&ac, &a) == 1);
	CHECK(a.type == 2 && !a.tv && a.len == 4 && isakmp_attr_u32(&a, &v) && v == 86400 * 30);
	CHECK(isakmp_attr_next(&ac, &a) == 0);
	CHECK(isakmp_transform_next(&tc, &t) == 0);
	CHECK(isakmp_proposal_next(&props, &p) == 1);
	CHECK(p.num == 2 && p.ntransforms == 2 && p.spi_size == 0);
	tc = p.transforms;
	CHECK(isakmp_transform_next(&tc, &t) == 1 && t.num == 1);
	CHECK(isakmp_transform_next(&tc, &t) == 1 && t.num == 2);
	CHECK(isakmp_transform_next(&tc, &t) == 0);
	CHECK(isakmp_proposal_next(&props, &p) == 0);
}

static void test_truncation(void)
{
	struct isakmp_builder b;
	struct isakmp_msg m;
	size_t cut;

	build_sa(&b);
	/* Every shorter datagram is refused by the header or the chain walk, never read past. */
	for (cut = 0; cut < b.len; cut++) {
		uint8_t copy[ISAKMP_MAX_MSG];
		int ret;

		memcpy(copy, b.buf, cut);
		ret = isakmp_parse_header(&m, copy, cut);
		CHECK(ret != 0);
	}
	/* A header claiming less than the payloads need. */
	b.buf[27] = (uint8_t)(b.len - 3);
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == 0);
	CHECK(isakmp_parse_payloads(&m, m.np, m.body, m.body_len) == ISAKMP_N_PAYLOAD_MALFORMED);
}

static void test_malformed(void)
{
	struct isakmp_builder b;
	struct isakmp_msg m;
	struct isakmp_cursor c;
	struct isakmp_attr a;
	const uint8_t tlv_long[] = { 0x00, 0x02, 0x00, 0x09, 1, 2 };
	const uint8_t tv_short[] = { 0x80, 0x01, 0x00 };

	/* Unknown payload type and a zero payload length. */
	isakmp_build_header(&b, ic, rc, ISAKMP_XCHG_MAIN, 0, 0);
	isakmp_add(&b, 99, "x", 1);
	isakmp_finish(&b);
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == 0);
	CHECK(isakmp_parse_payloads(&m, m.np, m.body, m.body_len) == ISAKMP_N_INVALID_PAYLOAD_TYPE);

	isakmp_build_header(&b, ic, rc, ISAKMP_XCHG_MAIN, 0, 0);
	isakmp_add(&b, ISAKMP_NP_VID, "xxxx", 4);
	isakmp_finish(&b);
	b.buf[ISAKMP_HDR_LEN + 3] = 0;
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == 0);
	CHECK(isakmp_parse_payloads(&m, m.np, m.body, m.body_len) == ISAKMP_N_PAYLOAD_MALFORMED);

	/* Wrong major version, unknown flags. */
	isakmp_build_header(&b, ic, rc, ISAKMP_XCHG_MAIN, 0, 0);
	isakmp_finish(&b);
	b.buf[17] = 0x20;
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == ISAKMP_N_INVALID_MAJOR_VERSION);
	b.buf[17] = 0x10;
	b.buf[19] = 0x80;
	CHECK(isakmp_parse_header(&m, b.buf, b.len) == ISAKMP_N_INVALID_FLAGS);

	/* Attributes whose length exceeds what is left. */
	c.p = tlv_long;
	c.left = sizeof(tlv_long);
	CHECK(isakmp_attr_next(&c, &a) == -ISAKMP_N_PAYLOAD_MALFORMED);
	c.p = tv_short;
	c.left = sizeof(tv_short);
	CHECK(isakmp_attr_next(&c, &a) == -ISAKMP_N_PAYLOAD_MALFORMED);
}

static void test_notify_delete(void)
{
	struct isakmp_payload pl;
	struct isakmp_notify_info n;
	struct isakmp_delete_info d;
	const uint8_t notify[] = { 0, 0, 0, 1, 1,  16, 0x60, 0x02, 1,  2,  3,  4,   5,
				   6, 7, 8, 9, 10, 11, 12,   13,   14, 15, 16, 0xaa };
	uint8_t del[] = { 0, 0, 0, 1, 3, 4, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8 };

	pl.body = notify;
	pl.len = sizeof(notify);
	CHECK(isakmp_notify_parse(&pl, &n) == 0);
	CHECK(n.type == ISAKMP_N_INITIAL_CONTACT && n.spi_size == 16 && n.data_len == 1);
	pl.len = 20; /* SPI runs past the end */
	CHECK(isakmp_notify_parse(&pl, &n) == ISAKMP_N_PAYLOAD_MALFORMED);

	pl.body = del;
	pl.len = sizeof(del);
	CHECK(isakmp_delete_parse(&pl, &d) == ISAKMP_N_PAYLOAD_MALFORMED); /* 3 SPIs, room for 2 */
	pl.len = sizeof(del);
	del[7] = 2;
	CHECK(isakmp_delete_parse(&pl, &d) == 0 && d.nspis == 2 && d.protocol == ISAKMP_PROTO_ESP);
}

static void test_builder_overflow(void)
{
	struct isakmp_builder b;
	static uint8_t big[ISAKMP_MAX_MSG];

	isakmp_build_header(&b, ic, rc, ISAKMP_XCHG_MAIN, 0, 0);
	isakmp_add(&b, ISAKMP_NP_VID, big, sizeof(big));
	CHECK(b.err);
}

int main(void)
{
	test_roundtrip();
	test_truncation();
	test_malformed();
	test_notify_delete();
	test_builder_overflow();
	TEST_DONE("test_ike_isakmp");
}
