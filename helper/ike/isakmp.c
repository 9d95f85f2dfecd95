// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP wire format: parsing hostile datagrams and building our own.
 * Every length read from the wire is compared with the bytes that remain
 * before it is used, so a parse never touches memory outside the datagram.
 */
#include <string.h>

#include "isakmp.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int isakmp_parse_header(struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	memset(m, 0, sizeof(*m));
	if (len < ISAKMP_HDR_LEN || len > ISAKMP_MAX_MSG)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	memcpy(m->icookie, buf, 8);
	memcpy(m->rcookie, buf + 8, 8);
	m->np = buf[16];
	m->version = buf[17];
	m->exchange = buf[18];
	m->flags = buf[19];
	m->msgid = get32(buf + 20);
	m->length = get32(buf + 24);
	if (m->version >> 4 != ISAKMP_VERSION >> 4)
		return ISAKMP_N_INVALID_MAJOR_VERSION;
	/* The header's length rules; a datagram shorter than it is truncated. */
	if (m->length < ISAKMP_HDR_LEN || m->length > len)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (m->flags & ~(ISAKMP_FLAG_ENC | ISAKMP_FLAG_COMMIT | ISAKMP_FLAG_AUTH_ONLY))
		return ISAKMP_N_INVALID_FLAGS;
	m->body = buf + ISAKMP_HDR_LEN;
	m->body_len = m->length - ISAKMP_HDR_LEN;
	return 0;
}

static bool known_payload(uint8_t type)
{
	switch (type) {
	case ISAKMP_NP_SA:
	case ISAKMP_NP_KE:
	case ISAKMP_NP_ID:
	case ISAKMP_NP_CERT:
	case ISAKMP_NP_CR:
	case ISAKMP_NP_HASH:
	case ISAKMP_NP_SIG:
	case ISAKMP_NP_FRAG:
	case ISAKMP_NP_NONCE:
	case ISAKMP_NP_N:
	case ISAKMP_NP_D:
	case ISAKMP_NP_VID:
	case ISAKMP_NP_NATD:
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATD_DRAFT:
	case ISAKMP_NP_NATOA_DRAFT:
		return true;
	}
	return false;
}

int isakmp_parse_payloads(struct isakmp_msg *m, uint8_t first, const uint8_t *buf, size_t len)
{
	uint8_t type = first;
	size_t off = 0;

	m->n = 0;
	while (type != ISAKMP_NP_NONE) {
		size_t plen;

		/* Proposals and transforms only live inside an SA payload. */
		if (!known_payload(type))
			return ISAKMP_N_INVALID_PAYLOAD_TYPE;
		if (m->n == ISAKMP_MAX_PAYLOADS || len - off < ISAKMP_GEN_LEN)
			return ISAKMP_N_PAYLOAD_MALFORMED;
		plen = get16(buf + off + 2);
		if (plen < ISAKMP_GEN_LEN || plen > len - off)
			return ISAKMP_N_PAYLOAD_MALFORMED;
		m->p[m->n].type = type;
		m->p[m->n].raw = buf + off;
		m->p[m->n].body = buf + off + ISAKMP_GEN_LEN;
		m->p[m->n].len = plen - ISAKMP_GEN_LEN;
		m->n++;
		type = buf[off];
		off += plen;
	}
	return 0;
}

const struct isakmp_payload *isakmp_find(const struct isakmp_msg *m, uint8_t type, size_t *from)
{
	size_t i = from ? *from : 0;

	for (; i < m->n; i++) {
		if (m->p[i].type == type) {
			if (from)
				*from = i + 1;
			return &m->p[i];
		}
	}
	if (from)
		*from = m->n;
	return NULL;
}

int isakmp_sa_open(const struct isakmp_payload *sa, struct isakmp_cursor *proposals)
{
	if (sa->len < 8)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (get32(sa->body) != ISAKMP_DOI_IPSEC)
		return ISAKMP_N_DOI_NOT_SUPPORTED;
	/* Labelled-domain and secrecy situations add fields we do not speak. */
	if (get32(sa->body + 4) != ISAKMP_SIT_IDENTITY_ONLY)
		return ISAKMP_N_SITUATION_NOT_SUPPORTED;
	proposals->p = sa->body + 8;
	proposals->left = sa->len - 8;
	return 0;
}

/*
 * Take one proposal or transform substructure (generic header whose
 * next-payload is EXPECT or NONE) off C. Returns 1, 0 at the end, or a
 * negative notify type. A NONE next-payload ends the list even if bytes
 * remain, since the length of the enclosing payload may carry padding.
 */
static int sub_next(struct isakmp_cursor *c, uint8_t expect, struct isakmp_cursor *body)
{
	size_t len;

	if (!c->p)
		return 0;
	if (c->left < ISAKMP_GEN_LEN)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	if (c->p[0] != expect && c->p[0] != ISAKMP_NP_NONE)
		return -ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	len = get16(c->p + 2);
	if (len < ISAKMP_GEN_LEN || len > c->left)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	body->p = c->p + ISAKMP_GEN_LEN;
	body->left = len - ISAKMP_GEN_LEN;
	if (c->p[0] == ISAKMP_NP_NONE) {
		c->p = NULL;
		c->left = 0;
	} else {
		c->p += len;
		c->left -= len;
	}
	return 1;
}

int isakmp_proposal_next(struct isakmp_cursor *c, struct isakmp_proposal *p)
{
	struct isakmp_cursor b;
	int ret = sub_next(c, ISAKMP_NP_P, &b);

	if (ret <= 0)
		return ret;
	if (b.left < 4)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	p->num = b.p[0];
	p->protocol = b.p[1];
	p->spi_size = b.p[2];
	p->ntransforms = b.p[3];
	if (b.left - 4 < p->spi_size)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	p->spi = b.p + 4;
	p->transforms.p = b.p + 4 + p->spi_size;
	p->transforms.left = b.left - 4 - p->spi_size;
	return 1;
}

int isakmp_transform_next(struct isakmp_cursor *c, struct isakmp_transform *t)
{
	struct isakmp_cursor b;
	int ret = sub_next(c, ISAKMP_NP_T, &b);

	if (ret <= 0)
		return ret;
	if (b.left < 4)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	t->num = b.p[0];
	t->id = b.p[1];
	t->attrs.p = b.p + 4;
	t->attrs.left = b.left - 4;
	return 1;
}

int isakmp_attr_next(struct isakmp_cursor *c, struct isakmp_attr *a)
{
	uint16_t type;

	if (c->left == 0)
		return 0;
	if (c->left < 4)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	type = get16(c->p);
	a->type = type & 0x7fff;
	a->tv = type & 0x8000;
	if (a->tv) {
		a->val = c->p + 2;
		a->len = 2;
		c->p += 4;
		c->left -= 4;
		return 1;
	}
	a->len = get16(c->p + 2);
	if (a->len > c->left - 4)
		return -ISAKMP_N_PAYLOAD_MALFORMED;
	a->val = c->p + 4;
	c->p += 4 + a->len;
	c->left -= 4 + a->len;
	return 1;
}

bool isakmp_attr_u32(const struct isakmp_attr *a, uint32_t *v)
{
	size_t i;

	*v = 0;
	if (a->len > 4) {
		/* Longer encodings are fine while the leading bytes are zero. */
		for (i = 0; i < a->len - 4; i++)
			if (a->val[i])
				return false;
	}
	for (i = a->len > 4 ? a->len - 4 : 0; i < a->len; i++)
		*v = *v << 8 | a->val[i];
	return true;
}

int isakmp_notify_parse(const struct isakmp_payload *pl, struct isakmp_notify_info *n)
{
	if (pl->len < 8)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	n->doi = get32(pl->body);
	n->protocol = pl->body[4];
	n->spi_size = pl->body[5];
	n->type = get16(pl->body + 6);
	if (pl->len - 8 < n->spi_size)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	n->spi = pl->body + 8;
	n->data = n->spi + n->spi_size;
	n->data_len = pl->len - 8 - n->spi_size;
	return 0;
}

int isakmp_delete_parse(const struct isakmp_payload *pl, struct isakmp_delete_info *d)
{
	if (pl->len < 8)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	d->doi = get32(pl->body);
	d->protocol = pl->body[4];
	d->spi_size = pl->body[5];
	d->nspis = get16(pl->body + 6);
	if ((size_t)d->spi_size * d->nspis > pl->len - 8)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	d->spis = pl->body + 8;
	return 0;
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void set32(uint8_t *p, uint32_t v)
{
	set16(p, v >> 16);
	set16(p + 2, v & 0xffff);
}

void isakmp_put(struct isakmp_builder *b, const void *data, size_t len)
{
	if (b->err || len > sizeof(b->buf) - b->len) {
		b->err = true;
		return;
	}
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void isakmp_put8(struct isakmp_builder *b, uint8_t v)
{
	isakmp_put(b, &v, 1);
}

void isakmp_put16(struct isakmp_builder *b, uint16_t v)
{
	uint8_t x[2];

	set16(x, v);
	isakmp_put(b, x, 2);
}

void isakmp_put32(struct isakmp_builder *b, uint32_t v)
{
	uint8_t x[4];

	set32(x, v);
	isakmp_put(b, x, 4);
}

void isakmp_build_header(struct isakmp_builder *b, const uint8_t icookie[8],
			 const uint8_t rcookie[8], uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	b->len = 0;
	b->err = false;
	isakmp_put(b, icookie, 8);
	isakmp_put(b, rcookie, 8);
	b->np_off = b->len;
	isakmp_put8(b, ISAKMP_NP_NONE);
	isakmp_put8(b, ISAKMP_VERSION);
	isakmp_put8(b, exchange);
	isakmp_put8(b, flags);
	isakmp_put32(b, msgid);
	isakmp_put32(b, 0);
}

size_t isakmp_begin(struct isakmp_builder *b, uint8_t type)
{
	size_t off = b->len;

	if (!b->err)
		b->buf[b->np_off] = type;
	b->np_off = off;
	isakmp_put32(b, 0); /* next payload NONE, reserved, length patched by isakmp_end() */
	return off;
}

size_t isakmp_begin_sub(struct isakmp_builder *b, uint8_t next)
{
	size_t off = b->len;

	isakmp_put8(b, next);
	isakmp_put8(b, 0);
	isakmp_put16(b, 0);
	return off;
}

void isakmp_end(struct isakmp_builder *b, size_t off)
{
	if (b->err)
		return;
	if (b->len - off > 0xffff) {
		b->err = true;
		return;
	}
	set16(b->buf + off + 2, (uint16_t)(b->len - off));
}

void isakmp_put_attr(struct isakmp_builder *b, uint16_t type, uint32_t value)
{
	if (value <= 0xffff) {
		isakmp_put16(b, 0x8000 | type);
		isakmp_put16(b, (uint16_t)value);
	} else {
		isakmp_put16(b, type);
		isakmp_put16(b, 4);
		isakmp_put32(b, value);
	}
}

void isakmp_add(struct isakmp_builder *b, uint8_t type, const void *body, size_t len)
{
	size_t off = isakmp_begin(b, type);

	isakmp_put(b, body, len);
	isakmp_end(b, off);
}

void isakmp_finish(struct isakmp_builder *b)
{
	if (!b->err)
		set32(b->buf + 24, (uint32_t)b->len);
}

const char *isakmp_payload_name(uint8_t type)
{
	switch (type) {
	case ISAKMP_NP_SA:
		return "SA";
	case ISAKMP_NP_KE:
		return "KE";
	case ISAKMP_NP_ID:
		return "ID";
	case ISAKMP_NP_CERT:
		return "CERT";
	case ISAKMP_NP_CR:
		return "CR";
	case ISAKMP_NP_HASH:
		return "HASH";
	case ISAKMP_NP_SIG:
		return "SIG";
	case ISAKMP_NP_NONCE:
		return "No";
	case ISAKMP_NP_N:
		return "N";
	case ISAKMP_NP_D:
		return "D";
	case ISAKMP_NP_VID:
		return "VID";
	case ISAKMP_NP_NATD:
	case ISAKMP_NP_NATD_DRAFT:
		return "NAT-D";
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATOA_DRAFT:
		return "NAT-OA";
	}
	return "?";
}

const char *isakmp_notify_name(uint16_t type)
{
	switch (type) {
	case ISAKMP_N_INVALID_PAYLOAD_TYPE:
		return "INVALID-PAYLOAD-TYPE";
	case ISAKMP_N_DOI_NOT_SUPPORTED:
		return "DOI-NOT-SUPPORTED";
	case ISAKMP_N_SITUATION_NOT_SUPPORTED:
		return "SITUATION-NOT-SUPPORTED";
	case ISAKMP_N_INVALID_COOKIE:
		return "INVALID-COOKIE";
	case ISAKMP_N_INVALID_MAJOR_VERSION:
		return "INVALID-MAJOR-VERSION";
	case ISAKMP_N_INVALID_EXCHANGE_TYPE:
		return "INVALID-EXCHANGE-TYPE";
	case ISAKMP_N_INVALID_FLAGS:
		return "INVALID-FLAGS";
	case ISAKMP_N_INVALID_MESSAGE_ID:
		return "INVALID-MESSAGE-ID";
	case ISAKMP_N_INVALID_PROTOCOL_ID:
		return "INVALID-PROTOCOL-ID";
	case ISAKMP_N_INVALID_SPI:
		return "INVALID-SPI";
	case ISAKMP_N_INVALID_TRANSFORM_ID:
		return "INVALID-TRANSFORM-ID";
	case ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED:
		return "ATTRIBUTES-NOT-SUPPORTED";
	case ISAKMP_N_NO_PROPOSAL_CHOSEN:
		return "NO-PROPOSAL-CHOSEN";
	case ISAKMP_N_BAD_PROPOSAL_SYNTAX:
		return "BAD-PROPOSAL-SYNTAX";
	case ISAKMP_N_PAYLOAD_MALFORMED:
		return "PAYLOAD-MALFORMED";
	case ISAKMP_N_INVALID_KEY_INFORMATION:
		return "INVALID-KEY-INFORMATION";
	case ISAKMP_N_INVALID_ID_INFORMATION:
		return "INVALID-ID-INFORMATION";
	case ISAKMP_N_INVALID_CERTIFICATE:
		return "INVALID-CERTIFICATE";
	case ISAKMP_N_INVALID_HASH_INFORMATION:
		return "INVALID-HASH-INFORMATION";
	case ISAKMP_N_AUTHENTICATION_FAILED:
		return "AUTHENTICATION-FAILED";
	case ISAKMP_N_CERT_UNAVAILABLE:
		return "CERT-UNAVAILABLE";
	case ISAKMP_N_RESPONDER_LIFETIME:
		return "RESPONDER-LIFETIME";
	case ISAKMP_N_INITIAL_CONTACT:
		return "INITIAL-CONTACT";
	case ISAKMP_N_R_U_THERE:
		return "R-U-THERE";
	case ISAKMP_N_R_U_THERE_ACK:
		return "R-U-THERE-ACK";
	}
	return "NOTIFY";
}
