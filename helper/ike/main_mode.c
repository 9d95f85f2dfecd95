// SPDX-License-Identifier: GPL-2.0
/*
 * Main Mode with pre-shared keys (RFC 2409 5.4) or signatures (5.1), both
 * roles; with signatures [CR] is sent and CERT, SIG stand for HASH:
 *
 *	MM1  I -> R  HDR, SA
 *	MM2  R -> I  HDR, SA
 *	MM3  I -> R  HDR, KE, Ni [, CR]
 *	MM4  R -> I  HDR, KE, Nr [, CR]
 *	MM5  I -> R  HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)]
 *	MM6  R -> I  HDR*, IDir, HASH_R
 *
 * Each message is handled by one function for the state that expects it;
 * a message that fails any check is dropped without changing the state.
 */
#include <string.h>

#include "ike_sa.h"

static void header(struct ike_sa *sa, struct isakmp_builder *b, uint8_t flags)
{
	isakmp_build_header(b, sa->icookie, sa->rcookie, ISAKMP_XCHG_MAIN, flags, 0);
}

int mm_start(struct ike_sa *sa)
{
	struct ike_prop props[PROP_MAX];
	struct isakmp_builder b;
	size_t sa_off, sa_end;

	if (ike_random(sa->icookie, 8))
		return -1;
	index_cookie_set(sa);
	header(sa, &b, 0);
	sa_off = b.len + ISAKMP_GEN_LEN;
	prop_build_ike(&b, props, p1_proposals(sa->cfg, props));
	sa_end = b.len;
	p1_add_vids(sa, &b);
	isakmp_finish(&b);
	if (b.err || p1_keep_sai_b(sa, b.buf + sa_off, sa_end - sa_off))
		return -1;
	ike_log_built("MM1", &sa->peer, &b);
	ike_send(sa, &sa->rt, &b, "MM1", true);
	sa->state = MM_I_MM1_SENT;
	return 0;
}

/* The first Main Mode tunnel configured for the address FROM. */
static const struct tunnel_cfg *cfg_for_peer(const struct config *cfg,
					     const struct sockaddr_storage *from)
{
	const struct tunnel_cfg *t;

	for (t = cfg->tunnels; t; t = t->next)
		if (!t->aggressive && p1_cfg_has_peer(t, from))
			return t;
	return NULL;
}

/* MM1 received, no repeat: a new responder IKE SA answered with MM2. */
static struct retransmit *process_mm1(struct ike_ctx *ctx, const struct sockaddr_storage *from,
				      struct isakmp_msg *m)
{
	const struct tunnel_cfg *cfg;
	const struct isakmp_payload *sa_pl;
	struct isakmp_builder b;
	struct ike_sa *sa;
	char addr[64];
	int ret;

	ike_addr_str(from, addr, sizeof(addr));
	cfg = cfg_for_peer(ctx->cfg, from);
	if (!cfg) {
		ike_log("MM1 from %s: no Main Mode tunnel is configured for this peer", addr);
		return NULL;
	}
	if (m->flags & ISAKMP_FLAG_ENC)
		return NULL;
	ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len);
	if (ret || !(sa_pl = isakmp_find(m, ISAKMP_NP_SA, NULL))) {
		ike_log("%s: MM1 from %s refused: %s", cfg->name, addr,
			isakmp_notify_name(ret ? (uint16_t)ret : ISAKMP_N_PAYLOAD_MALFORMED));
		return NULL;
	}
	ike_log_msg("MM1", false, from, m);
	sa = p1_responder_new(ctx, cfg, from, m, sa_pl, "MM1");
	if (!sa)
		return NULL;
	header(sa, &b, 0);
	prop_build_ike(&b, &sa->prop, 1);
	p1_add_vids(sa, &b);
	isakmp_finish(&b);
	ike_log_built("MM2", &sa->peer, &b);
	/*
	 * No timer: MM2 goes to an address no one has verified, so it is
	 * repeated only when MM1 is (one datagram out per datagram in).
	 */
	ike_send(sa, &sa->rt, &b, "MM2", false);
	sa->state = MM_R_MM2_SENT;
	return &sa->rt;
}

/* MM5 or MM6: ID and HASH, encrypted with the phase-1 IV chain. */
static int send_id_hash(struct ike_sa *sa, const char *name, bool arm)
{
	struct isakmp_builder b;

	header(sa, &b, 0);
	p1_add_id(sa, &b);
	if (p1_add_auth(sa, &b))
		return -1;
	if (sa->initiator)
		p1_add_initial_contact(sa, &b);
	isakmp_finish(&b);
	ike_log_built(name, &sa->peer, &b);
	if (ike_encrypt(sa, &b, sa->iv))
		return -1;
	ike_send(sa, &sa->rt, &b, name, arm);
	return 0;
}

/* The peer's ID (against remote-id) and HASH in MM5 / MM6. 0 or a notify type. */
static int verify_id_hash(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *id = isakmp_find(m, ISAKMP_NP_ID, NULL);
	int ret = p1_check_id(sa, id);

	return ret ? ret : p1_check_auth(sa, m, id->body, id->len);
}

static struct retransmit *fail(struct ike_sa *sa, const char *msg, int notify)
{
	ike_log("%s: %s refused: %s", sa->cfg->name, msg, isakmp_notify_name((uint16_t)notify));
	return NULL;
}

/* Returns the slot of the reply that answers M (MM4, MM6), else NULL. */
static struct retransmit *process(struct ike_sa *sa, struct isakmp_msg *m)
{
	uint8_t plain[ISAKMP_MAX_MSG], next_iv[IKE_MAX_BLOCK];
	struct isakmp_builder b;
	const struct isakmp_payload *pl;
	char why[200];
	int ret;

	switch (sa->state) {
	case MM_I_MM1_SENT: /* MM2 */
		if ((m->flags & ISAKMP_FLAG_ENC) ||
		    (ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len)))
			return fail(sa, "MM2", ISAKMP_N_PAYLOAD_MALFORMED);
		ike_log_msg("MM2", false, ike_rx_from(sa), m);
		if (!(pl = isakmp_find(m, ISAKMP_NP_SA, NULL)))
			return fail(sa, "MM2", ISAKMP_N_PAYLOAD_MALFORMED);
		ret = prop_select_ike(pl, sa->cfg->ike, sa->cfg->n_ike, &sa->prop, why,
				      sizeof(why));
		if (ret) {
			ike_log("%s: MM2: the responder chose a transform we did not offer: %s",
				sa->cfg->name, why);
			return NULL;
		}
		p1_take_vids(sa, m);
		header(sa, &b, 0);
		if (p1_add_ke_nonce(sa, &b, sa->gxi, sa->ni, &sa->ni_len) || nat_add_natd(sa, &b))
			return NULL;
		cert_add_requests(sa, &b);
		isakmp_finish(&b);
		ike_log_built("MM3", &sa->peer, &b);
		ike_send(sa, &sa->rt, &b, "MM3", true);
		sa->state = MM_I_MM3_SENT;
		return NULL;
	case MM_R_MM2_SENT: /* MM3 */
		if ((m->flags & ISAKMP_FLAG_ENC) ||
		    (ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len)))
			return fail(sa, "MM3", ISAKMP_N_PAYLOAD_MALFORMED);
		ike_log_msg("MM3", false, ike_rx_from(sa), m);
		ret = p1_take_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len);
		if (!ret)
			ret = nat_take_natd(sa, m);
		if (ret)
			return fail(sa, "MM3", ret);
		header(sa, &b, 0);
		if (p1_add_ke_nonce(sa, &b, sa->gxr, sa->nr, &sa->nr_len) || nat_add_natd(sa, &b) ||
		    p1_derive(sa)) {
			ike_log("%s: MM3: key exchange failed (invalid public value?)",
				sa->cfg->name);
			sa->state = MM_DEAD;
			return NULL;
		}
		cert_add_requests(sa, &b);
		isakmp_finish(&b);
		ike_log_built("MM4", &sa->peer, &b);
		ike_send(sa, &sa->rt, &b, "MM4", true);
		sa->state = MM_R_MM4_SENT;
		/* The peer returned our cookie: no longer half-open, the full time to finish. */
		sa->expire_ms = sa->ctx->now_ms + IKE_NEGOTIATION_MS;
		return &sa->rt;
	case MM_I_MM3_SENT: /* MM4 */
		if ((m->flags & ISAKMP_FLAG_ENC) ||
		    (ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len)))
			return fail(sa, "MM4", ISAKMP_N_PAYLOAD_MALFORMED);
		ike_log_msg("MM4", false, ike_rx_from(sa), m);
		ret = p1_take_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len);
		if (!ret)
			ret = nat_take_natd(sa, m);
		if (ret)
			return fail(sa, "MM4", ret);
		nat_float(sa); /* MM5 goes to the NAT-T port when a NAT was detected */
		if (p1_derive(sa) || send_id_hash(sa, "MM5", true)) {
			ike_log("%s: MM4: key exchange failed", sa->cfg->name);
			sa->state = MM_DEAD;
			return NULL;
		}
		sa->state = MM_I_MM5_SENT;
		return NULL;
	case MM_R_MM4_SENT: /* MM5 */
	case MM_I_MM5_SENT: /* MM6 */
		/*
		 * The keys come from the PSK: with different PSKs the message
		 * decrypts to garbage, which is an authentication failure too.
		 */
		if (!(m->flags & ISAKMP_FLAG_ENC))
			return NULL; /* a late retransmission of MM3 or MM4 */
		if (!sa->initiator)
			sa->rt.next_ms = 0; /* the peer has MM4; its MM5 retransmits drive us now */
		ret = ike_decrypt(sa, m, plain, sa->iv, next_iv);
		if (ret)
			ret = ISAKMP_N_AUTHENTICATION_FAILED;
		else
			ike_log_msg(sa->initiator ? "MM6" : "MM5", false, ike_rx_from(sa), m);
		if (!ret)
			ret = verify_id_hash(sa, m);
		if (ret) {
			p1_refuse(sa, sa->initiator ? "MM6" : "MM5", ret);
			return NULL;
		}
		memcpy(sa->iv, next_iv, sa->keys.block);
		nat_follow(sa); /* MM5 on the NAT-T port: MM6 and the rest go back there */
		if (sa->initiator) {
			sa->rt.next_ms = 0;
			p1_established(sa);
			return NULL;
		}
		if (send_id_hash(sa, "MM6", false))
			return NULL;
		p1_established(sa);
		p1_take_initial_contact(sa, m, true);
		return &sa->rt;
	default:
		return NULL;
	}
}

struct ike_sa *mm_find(struct ike_ctx *ctx, const struct sockaddr_storage *from,
		       const struct isakmp_msg *m)
{
	static const uint8_t zero[8];
	struct ike_sa *sa;

	if (!memcmp(m->rcookie, zero, 8)) {
		for_each_icookie_sa(sa, ctx, m->icookie)
			if (!sa->initiator && sa->state == MM_R_MM2_SENT)
				return sa;
		return NULL;
	}
	sa = ike_sa_find(ctx, m->icookie, m->rcookie);
	if (sa)
		return sa;
	/* MM2: the responder's cookie is new to us. Only the configured
	 * peer may answer: the port may differ, the address may not.
	 */
	for_each_icookie_sa(sa, ctx, m->icookie)
		if (sa->initiator && sa->state == MM_I_MM1_SENT && p1_cfg_has_peer(sa->cfg, from))
			break;
	if (!sa)
		return NULL;
	memcpy(sa->rcookie, m->rcookie, 8);
	sa->peer = *from;
	ike_sa_touch(sa);
	return sa;
}

struct retransmit *mm_input(struct ike_ctx *ctx, struct ike_sa *sa,
			    const struct sockaddr_storage *from, struct isakmp_msg *m)
{
	static const uint8_t zero[8];
	struct retransmit *rt;

	if (!memcmp(m->rcookie, zero, 8))
		return sa ? NULL : process_mm1(ctx, from, m); /* an MM1 again, no repeat: dropped */
	if (!sa)
		return NULL;
	rt = process(sa, m);
	if (sa->state == MM_I_MM1_SENT)
		memset(sa->rcookie, 0,
		       8); /* MM2 refused: a later MM2 may come with another cookie */
	return rt;
}
