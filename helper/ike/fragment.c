// SPDX-License-Identifier: GPL-2.0
/*
 * IKE fragmentation as Cisco, strongSwan and libreswan do it in IKEv1 (no
 * RFC): a peer that sent the FRAGMENTATION vendor ID takes a message cut
 * into datagrams of one payload each, of type 132:
 *
 *	generic header (next payload 0), fragment ID (2 bytes), fragment
 *	number (1, from 1), flags (1, bit 0: the last), a piece of the
 *	whole message, its ISAKMP header included
 *
 * under an ISAKMP header with the message's cookies, Message ID 0 and the
 * phase-1 exchange type, as strongSwan sends them (receivers go by the
 * cookies). Large messages are what certificates make (MM5, MM6); a path
 * that drops IP fragments drops them whole. We send a message larger than
 * fragment-size (default: what IPv4's 576 or IPv6's 1280-byte datagrams
 * hold) in fragments when we repeat it to a peer that announced support,
 * as libreswan does, so a message that gets through whole never pays for
 * them; fragmentation = force splits it from the first send, announced
 * or not. MM1 and AM1 always go whole, as the responder has no IKE SA to
 * reassemble them for.
 *
 * We reassemble only for an IKE SA we hold and from its peer's address, so
 * a spoofed source or unknown cookies cost a header parse and nothing is
 * kept. Each SA reassembles one message at a time, of at most FRAG_MAX
 * pieces and ISAKMP_MAX_MSG bytes: a fragment with another ID, or one
 * arriving FRAG_TIMEOUT_MS after the first, starts over, and the SA's end
 * frees what is left. Memory is bounded by the SAs, which the half-open
 * limits bound. A duplicate that repeats a piece is ignored; one that
 * contradicts it, a number past the last, a second last, or an oversize
 * total drops the message. A complete message goes through the input
 * path once, as if it came in one datagram; a fragment inside is dropped.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"

#define FRAG_MAX 16
#define FRAG_TIMEOUT_MS 10000
#define FRAG_HDR 4 /* fragment ID, number, flags */
#define FRAG_LAST 0x01

/* MD5("FRAGMENTATION"), then capability bits: strongSwan's 0x80000000. */
static const uint8_t frag_vid[20] = { 0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85, 0x25, 0xe7,
				      0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3, 0x80, 0x00, 0x00, 0x00 };

struct frag_rx {
	uint16_t id;
	uint8_t last;  /* the last fragment's number, 0 until it came */
	uint32_t have; /* bit N-1: fragment N */
	uint64_t started_ms;
	size_t total;
	uint8_t *piece[FRAG_MAX];
	size_t len[FRAG_MAX];
};

void frag_add_vid(const struct ike_sa *sa, struct isakmp_builder *b)
{
	if (sa->cfg->fragmentation != FRAG_NO)
		isakmp_add(b, ISAKMP_NP_VID, frag_vid, sizeof(frag_vid));
}

bool frag_take_vid(struct ike_sa *sa, const struct isakmp_payload *vid)
{
	/* The capability bits after the hash differ between implementations. */
	if (vid->len < 16 || memcmp(vid->body, frag_vid, 16))
		return false;
	sa->peer_frag = true;
	return true;
}

void frag_rx_free(struct ike_sa *sa)
{
	struct frag_rx *rx = sa->frag_rx;

	if (!rx)
		return;
	for (int i = 0; i < FRAG_MAX; i++)
		OPENSSL_free(rx->piece[i]);
	OPENSSL_free(rx);
	sa->frag_rx = NULL;
}

static int drop(struct ike_sa *sa, const char *why)
{
	ike_log("%s: IKE fragment dropped: %s", sa->cfg->name, why);
	return -1;
}

/* Drop the message being reassembled, for WHY. */
static int drop_message(struct ike_sa *sa, const char *why)
{
	frag_rx_free(sa);
	return drop(sa, why);
}

/* The reassembler for fragment ID, started over when it holds another message or an old one. */
static struct frag_rx *reassembler(struct ike_sa *sa, uint16_t id)
{
	struct frag_rx *rx = sa->frag_rx;

	if (rx && (rx->id != id || sa->ctx->now_ms - rx->started_ms > FRAG_TIMEOUT_MS))
		frag_rx_free(sa);
	if (!sa->frag_rx) {
		sa->frag_rx = OPENSSL_zalloc(sizeof(*sa->frag_rx));
		if (sa->frag_rx) {
			sa->frag_rx->id = id;
			sa->frag_rx->started_ms = sa->ctx->now_ms;
		}
	}
	return sa->frag_rx;
}

/* RX is complete: its pieces in order into WHOLE. */
static int assemble(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *whole, size_t *len)
{
	struct frag_rx *rx = sa->frag_rx;
	unsigned int count = rx->last;
	size_t off = 0;

	for (unsigned int i = 0; i < count; i++) {
		memcpy(whole + off, rx->piece[i], rx->len[i]);
		off += rx->len[i];
	}
	frag_rx_free(sa);
	/* The whole must be one message of the fragments' IKE SA, and not a fragment itself. */
	if (off < ISAKMP_HDR_LEN || memcmp(whole, m->icookie, 8) ||
	    memcmp(whole + 8, m->rcookie, 8))
		return drop(sa, "the reassembled message is not of this IKE SA");
	if (whole[16] == ISAKMP_NP_FRAG)
		return drop(sa, "the reassembled message is a fragment");
	ike_log("%s: reassembled a %zu-byte message from %u fragments", sa->cfg->name, off, count);
	*len = off;
	return 1;
}

int frag_input(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *whole, size_t *len)
{
	struct isakmp_msg parsed = *m;
	const struct isakmp_payload *pl;
	const uint8_t *data;
	struct frag_rx *rx;
	size_t dlen;
	uint8_t num;
	bool last;

	if (isakmp_parse_payloads(&parsed, m->np, m->body, m->body_len) || parsed.n != 1)
		return drop(sa, "not one fragment payload");
	pl = &parsed.p[0];
	if (pl->len <= FRAG_HDR)
		return drop(sa, "no data");
	num = pl->body[2];
	last = pl->body[3] & FRAG_LAST;
	data = pl->body + FRAG_HDR;
	dlen = pl->len - FRAG_HDR;
	if (!num || num > FRAG_MAX)
		return drop(sa, "fragment number out of range");
	rx = reassembler(sa, (uint16_t)(pl->body[0] << 8 | pl->body[1]));
	if (!rx)
		return drop(sa, "out of memory");
	if (rx->have & 1u << (num - 1)) {
		if (rx->len[num - 1] == dlen && !memcmp(rx->piece[num - 1], data, dlen))
			return 0; /* a retransmission of what we have */
		return drop_message(sa, "a fragment contradicts an earlier one with its number");
	}
	if (last && rx->last)
		return drop_message(sa, "a second last fragment");
	if (last && rx->have >> num)
		return drop_message(sa, "a fragment numbered past the last");
	if (rx->last && num > rx->last)
		return drop_message(sa, "a fragment numbered past the last");
	if (rx->total + dlen > ISAKMP_MAX_MSG)
		return drop_message(sa, "the message would exceed the largest we take");
	rx->piece[num - 1] = OPENSSL_memdup(data, dlen);
	if (!rx->piece[num - 1])
		return drop_message(sa, "out of memory");
	rx->len[num - 1] = dlen;
	rx->have |= 1u << (num - 1);
	rx->total += dlen;
	if (last)
		rx->last = num;
	if (!rx->last || rx->have != (1u << rx->last) - 1)
		return 0;
	return assemble(sa, m, whole, len);
}

/* The largest datagram we send to SA's peer: fragment-size, else by address family. */
static size_t datagram_limit(const struct ike_sa *sa)
{
	size_t limit = sa->cfg->fragment_size;

	if (!limit) /* IPv4's 576 and IPv6's 1280 bytes, less the IP and UDP headers */
		limit = sa->peer.ss_family == AF_INET ? 576 - 28 : 1280 - 48;
	return sa->nat.floated ? limit - 4 : limit; /* the non-ESP marker */
}

bool frag_send(struct ike_sa *sa, const uint8_t *buf, size_t len, bool again)
{
	uint8_t body[FRAG_HDR + ISAKMP_MAX_MSG];
	struct isakmp_builder b;
	size_t limit = datagram_limit(sa), room, count, off, n;
	bool force = sa->cfg->fragmentation == FRAG_FORCE;
	static const uint8_t zero[8];

	/* As libreswan: what got through whole never pays for fragments. */
	if (len <= limit ||
	    !(force || (again && sa->peer_frag && sa->cfg->fragmentation == FRAG_YES)))
		return false;
	/* A first message goes whole: its receiver has no IKE SA to reassemble it for. */
	if (!memcmp(sa->rcookie, zero, 8))
		return false;
	room = limit - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN - FRAG_HDR;
	count = (len + room - 1) / room;
	if (count > FRAG_MAX) {
		ike_log("%s: a %zu-byte message needs more than %d fragments of %zu bytes: "
			"sent whole",
			sa->cfg->name, len, FRAG_MAX, limit);
		return false;
	}
	sa->frag_id++;
	for (off = 0, n = 1; off < len; off += room, n++) {
		size_t piece = len - off < room ? len - off : room;

		body[0] = (uint8_t)(sa->frag_id >> 8);
		body[1] = (uint8_t)sa->frag_id;
		body[2] = (uint8_t)n;
		body[3] = n == count ? FRAG_LAST : 0;
		memcpy(body + FRAG_HDR, buf + off, piece);
		isakmp_build_header(&b, sa->icookie, sa->rcookie,
				    sa->aggressive ? ISAKMP_XCHG_AGGRESSIVE : ISAKMP_XCHG_MAIN, 0,
				    0);
		isakmp_add(&b, ISAKMP_NP_FRAG, body, FRAG_HDR + piece);
		isakmp_finish(&b);
		if (!b.err)
			sa->ctx->send(sa->ctx->arg, &sa->peer, sa->nat.floated, b.buf, b.len);
	}
	ike_log("%s: sent a %zu-byte message in %zu fragments", sa->cfg->name, len, count);
	return true;
}
