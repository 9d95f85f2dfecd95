/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISAKMP wire format (RFC 2408, with the IPsec DOI of RFC 2407): the
 * header, the generic payload chain, SA / proposal / transform / attribute
 * walking, and a bounded message builder. Nothing here trusts a length
 * field: every read is checked against the bytes actually received.
 */
#ifndef ESPTUN_ISAKMP_H
#define ESPTUN_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISAKMP_HDR_LEN 28
#define ISAKMP_GEN_LEN 4
#define ISAKMP_VERSION 0x10 /* major 1, minor 0 */
/* Larger than any message PSK negotiation produces (a MODP-4096 KE is 516 bytes). */
#define ISAKMP_MAX_MSG 4096
#define ISAKMP_MAX_PAYLOADS 24

enum isakmp_payload_type {
	ISAKMP_NP_NONE = 0,
	ISAKMP_NP_SA = 1,
	ISAKMP_NP_P = 2,
	ISAKMP_NP_T = 3,
	ISAKMP_NP_KE = 4,
	ISAKMP_NP_ID = 5,
	ISAKMP_NP_CERT = 6,
	ISAKMP_NP_CR = 7,
	ISAKMP_NP_HASH = 8,
	ISAKMP_NP_SIG = 9,
	ISAKMP_NP_NONCE = 10,
	ISAKMP_NP_N = 11,
	ISAKMP_NP_D = 12,
	ISAKMP_NP_VID = 13,
	ISAKMP_NP_NATD = 20, /* RFC 3947 */
	ISAKMP_NP_NATOA = 21,
	ISAKMP_NP_NATD_DRAFT = 130, /* draft-ietf-ipsec-nat-t-ike-02/03 */
	ISAKMP_NP_NATOA_DRAFT = 131,
	ISAKMP_NP_FRAG = 132, /* IKE fragment (Cisco's, no RFC): fragment.c */
};

enum isakmp_exchange_type {
	ISAKMP_XCHG_MAIN = 2, /* Identity Protection */
	ISAKMP_XCHG_AGGRESSIVE = 4,
	ISAKMP_XCHG_INFO = 5,
	ISAKMP_XCHG_QUICK = 32,
};

enum isakmp_flags {
	ISAKMP_FLAG_ENC = 0x01,
	ISAKMP_FLAG_COMMIT = 0x02,
	ISAKMP_FLAG_AUTH_ONLY = 0x04,
};

enum { ISAKMP_DOI_IPSEC = 1, ISAKMP_SIT_IDENTITY_ONLY = 1 };

enum isakmp_protocol {
	ISAKMP_PROTO_ISAKMP = 1,
	ISAKMP_PROTO_AH = 2,
	ISAKMP_PROTO_ESP = 3,
};

/* Notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706). */
enum isakmp_notify {
	ISAKMP_N_INVALID_PAYLOAD_TYPE = 1,
	ISAKMP_N_DOI_NOT_SUPPORTED = 2,
	ISAKMP_N_SITUATION_NOT_SUPPORTED = 3,
	ISAKMP_N_INVALID_COOKIE = 4,
	ISAKMP_N_INVALID_MAJOR_VERSION = 5,
	ISAKMP_N_INVALID_EXCHANGE_TYPE = 7,
	ISAKMP_N_INVALID_FLAGS = 8,
	ISAKMP_N_INVALID_MESSAGE_ID = 9,
	ISAKMP_N_INVALID_PROTOCOL_ID = 10,
	ISAKMP_N_INVALID_SPI = 11,
	ISAKMP_N_INVALID_TRANSFORM_ID = 12,
	ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	ISAKMP_N_NO_PROPOSAL_CHOSEN = 14,
	ISAKMP_N_BAD_PROPOSAL_SYNTAX = 15,
	ISAKMP_N_PAYLOAD_MALFORMED = 16,
	ISAKMP_N_INVALID_KEY_INFORMATION = 17,
	ISAKMP_N_INVALID_ID_INFORMATION = 18,
	ISAKMP_N_INVALID_CERTIFICATE = 20,
	ISAKMP_N_INVALID_HASH_INFORMATION = 23,
	ISAKMP_N_AUTHENTICATION_FAILED = 24,
	ISAKMP_N_CERT_UNAVAILABLE = 28,
	ISAKMP_N_RESPONDER_LIFETIME = 24576,
	ISAKMP_N_INITIAL_CONTACT = 24578,
	ISAKMP_N_R_U_THERE = 36136,
	ISAKMP_N_R_U_THERE_ACK = 36137,
};

/* One payload of a parsed chain: BODY excludes the 4-byte generic header. */
struct isakmp_payload {
	uint8_t type;
	const uint8_t *raw; /* the generic header, for hashes over whole payloads */
	const uint8_t *body;
	size_t len; /* of BODY */
};

struct isakmp_msg {
	uint8_t icookie[8], rcookie[8];
	uint8_t np, version, exchange, flags;
	uint32_t msgid;
	size_t length;	     /* from the header, checked against the datagram */
	const uint8_t *body; /* what follows the header; ciphertext when ENC is set */
	size_t body_len;
	size_t n;
	struct isakmp_payload p[ISAKMP_MAX_PAYLOADS];
};

/*
 * Parse the fixed header of the datagram BUF. Returns 0, or a positive
 * notify type (enum isakmp_notify) explaining the refusal.
 */
int isakmp_parse_header(struct isakmp_msg *m, const uint8_t *buf, size_t len);

/*
 * Walk the payload chain in BUF starting with payload type FIRST. Bytes
 * after the last payload are ignored (they are CBC padding once decrypted).
 * Returns 0 or a notify type.
 */
int isakmp_parse_payloads(struct isakmp_msg *m, uint8_t first, const uint8_t *buf, size_t len);

/* The first payload of TYPE after index *FROM (start with 0), or NULL. */
const struct isakmp_payload *isakmp_find(const struct isakmp_msg *m, uint8_t type, size_t *from);

/* Cursor over a bounded region, used for proposals, transforms and attributes. */
struct isakmp_cursor {
	const uint8_t *p;
	size_t left;
};

struct isakmp_proposal {
	uint8_t num, protocol, spi_size, ntransforms;
	const uint8_t *spi;
	struct isakmp_cursor transforms;
};

struct isakmp_transform {
	uint8_t num, id;
	struct isakmp_cursor attrs;
};

struct isakmp_attr {
	uint16_t type;	    /* without the AF bit */
	bool tv;	    /* basic (type/value) attribute */
	const uint8_t *val; /* TLV value; for TV the 2 value bytes */
	size_t len;
};

/*
 * SA payload body: check DOI and situation and return a cursor on its
 * proposals. Each *_next() returns 1 with the next element, 0 at the end,
 * or a negative notify type when the element is malformed.
 */
int isakmp_sa_open(const struct isakmp_payload *sa, struct isakmp_cursor *proposals);
int isakmp_proposal_next(struct isakmp_cursor *c, struct isakmp_proposal *p);
int isakmp_transform_next(struct isakmp_cursor *c, struct isakmp_transform *t);
int isakmp_attr_next(struct isakmp_cursor *c, struct isakmp_attr *a);

/* An attribute's value as an integer; false when it does not fit 32 bits. */
bool isakmp_attr_u32(const struct isakmp_attr *a, uint32_t *v);

struct isakmp_notify_info {
	uint32_t doi;
	uint8_t protocol, spi_size;
	uint16_t type;
	const uint8_t *spi, *data;
	size_t data_len;
};
int isakmp_notify_parse(const struct isakmp_payload *pl, struct isakmp_notify_info *n);

struct isakmp_delete_info {
	uint32_t doi;
	uint8_t protocol, spi_size;
	uint16_t nspis;
	const uint8_t *spis;
};
int isakmp_delete_parse(const struct isakmp_payload *pl, struct isakmp_delete_info *d);

/*
 * Message builder into a fixed buffer. Any overflow sets ERR and later
 * writes do nothing, so callers check once at the end.
 */
struct isakmp_builder {
	uint8_t buf[ISAKMP_MAX_MSG];
	size_t len;
	size_t np_off; /* where the next payload's type must be written */
	bool err;
};

void isakmp_build_header(struct isakmp_builder *b, const uint8_t icookie[8],
			 const uint8_t rcookie[8], uint8_t exchange, uint8_t flags, uint32_t msgid);
/* Start a payload of TYPE in the chain; returns its offset for isakmp_end(). */
size_t isakmp_begin(struct isakmp_builder *b, uint8_t type);
/* Start a proposal or transform (NEXT is ISAKMP_NP_P/T or NONE for the last one). */
size_t isakmp_begin_sub(struct isakmp_builder *b, uint8_t next);
/* Set the length of the (sub)payload started at OFF. */
void isakmp_end(struct isakmp_builder *b, size_t off);
void isakmp_put(struct isakmp_builder *b, const void *data, size_t len);
void isakmp_put8(struct isakmp_builder *b, uint8_t v);
void isakmp_put16(struct isakmp_builder *b, uint16_t v);
void isakmp_put32(struct isakmp_builder *b, uint32_t v);
/* An attribute: basic (TV) when VALUE fits 16 bits, variable (TLV) otherwise. */
void isakmp_put_attr(struct isakmp_builder *b, uint16_t type, uint32_t value);
/* Add a whole payload with BODY. */
void isakmp_add(struct isakmp_builder *b, uint8_t type, const void *body, size_t len);
/* Write the total length into the header. */
void isakmp_finish(struct isakmp_builder *b);

/* "SA", "KE", ... for log lines. */
const char *isakmp_payload_name(uint8_t type);
const char *isakmp_notify_name(uint16_t type);

#endif
