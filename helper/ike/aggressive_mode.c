// SPDX-License-Identifier: GPL-2.0
/*
 * Aggressive Mode with pre-shared keys (RFC 2409 5.4) or signatures (5.1),
 * both roles; with signatures [CR] is sent and CERT, SIG stand for HASH:
 *
 *	AM1  I -> R  HDR, SA, KE, Ni, IDii [, CR]
 *	AM2  R -> I  HDR, SA, KE, Nr, IDir, HASH_R [, CR]
 *	AM3  I -> R  HDR*, HASH_I [, N(INITIAL-CONTACT)]
 *
 * We send AM3 encrypted, as libreswan and Cisco do, and accept it either
 * way, for strongSwan sends it in the clear. The choice decides the IV
 * that Quick Mode derives its own from (RFC 2409 appendix B): the last
 * CBC block of phase 1. After an encrypted AM3 every peer agrees that is
 * AM3's last block. After a plain one there is no such block: strongSwan
 * and we take the phase-1 IV, hash(g^xi | g^xr) cut to the cipher's
 * block, but libreswan takes the whole hash, so with a hash longer than
 * the block (SHA-256 and AES, say) it cannot read our first Quick Mode.
 * Since AM1 carries one KE, every proposal offers the same DH group
 * (config.c).
 *
 * The identities travel in the clear, so the responder chooses the tunnel
 * (and its PSK) by the peer's address and identity. It answers an
 * unauthenticated AM1 with HASH_R, keyed by the PSK: whoever sees AM1 and
 * AM2 can try PSKs offline. The responder logs that warning. Signatures
 * leave nothing to attack offline.
 *
 * A message that fails any check is dropped without changing the state.
 */
#include <string.h>

#include "ike_sa.h"

static void header(struct ike_sa *sa, struct isakmp_builder *b)
{
	isakmp_build_header(b, sa->icookie, sa->rcookie, ISAKMP_XCHG_AGGRESSIVE, 0, 0);
}

int am_start(struct ike_sa *sa)
{
	struct ike_prop props[PROP_MAX];
	struct isakmp_builder b;
	size_t sa_off, sa_end;

	if (ike_random(sa->icookie, 8))
		return -1;
	index_cookie_set(sa);
	sa->aggressive = true;
	sa->prop = sa->cfg->ike[0]; /* its group is every proposal's */
	header(sa, &b);
	sa_off = b.len + ISAKMP_GEN_LEN;
	prop_build_ike(&b, props, p1_proposals(sa->cfg, props));
	sa_end = b.len;
	if (p1_add_ke_nonce(sa, &b, sa->gxi, sa->ni, &sa->ni_len))
		return -1;
	p1_add_id(sa, &b);
	cert_add_requests(sa, &b);
	p1_add_vids(sa, &b);
	isakmp_finish(&b);
	if (b.err || p1_keep_sai_b(sa, b.buf + sa_off, sa_end - sa_off))
		return -1;
	if (!config_signs(sa->cfg))
		ike_warn("%s: warning: Aggressive Mode sends the identities in the clear and lets "
			 "an eavesdropper attack the pre-shared key offline",
			 sa->cfg->name);
	ike_log_built("AM1", &sa->peer, &b);
	ike_send(sa, &sa->rt, &b, "AM1", true);
	sa->state = AM_I_AM1_SENT;
	return 0;
}

/*
 * The Aggressive Mode tunnel for FROM whose remote-id names the identity
 * ID, else the first one for FROM without a remote-id. *KNOWN tells
 * whether any Aggressive Mode tunnel has FROM's address.
 */
static const struct tunnel_cfg *cfg_for_peer(const struct config *cfg,
					     const struct sockaddr_storage *from, const uint8_t *id,
					     size_t id_len, bool *known)
{
	const struct tunnel_cfg *t, *any = NULL;

	*known = false;
	for (t = cfg->tunnels; t; t = t->next) {
		if (!t->aggressive || !p1_cfg_has_peer(t, from))
			continue;
		*known = true;
		if (!p1_id_matches(t, id, id_len))
			continue;
		if (t->remote_id.type)
			return t;
		if (!any)
			any = t;
	}
	return any;
}

/* AM1 received, for no SA of ours: a new responder IKE SA answered with AM2. */
static struct retransmit *process_am1(struct ike_ctx *ctx, const struct sockaddr_storage *from,
				      struct isakmp_msg *m)
{
	const struct isakmp_payload *sa_pl, *id;
	const struct tunnel_cfg *cfg;
	struct isakmp_builder b;
	struct ike_sa *sa;
	char addr[64];
	bool known;
	int ret;

	if (m->flags & ISAKMP_FLAG_ENC)
		return NULL;
	ike_addr_str(from, addr, sizeof(addr));
	ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len);
	sa_pl = ret ? NULL : isakmp_find(m, ISAKMP_NP_SA, NULL);
	id = ret ? NULL : isakmp_find(m, ISAKMP_NP_ID, NULL);
	if (!sa_pl || !id || id->len < 4 || id->len > sizeof(sa->peer_id)) {
		ike_log("AM1 from %s refused: %s", addr,
			isakmp_notify_name(ret ? (uint16_t)ret : ISAKMP_N_PAYLOAD_MALFORMED));
		return NULL;
	}
	ike_log_msg("AM1", false, from, m);
	cfg = cfg_for_peer(ctx->cfg, from, id->body, id->len, &known);
	if (!cfg) {
		if (!known) {
			ike_log("AM1 from %s: no Aggressive Mode tunnel is configured for this "
				"peer",
				addr);
			return NULL;
		}
		/*
		 * No answer, as for an address we have no tunnel for: an
		 * INVALID-ID-INFORMATION would tell a prober which
		 * identities exist (and earn an AM2 hash to attack) apart
		 * from which do not.
		 */
		ike_log("AM1 from %s: no tunnel for this peer has its identity as remote-id: "
			"not answered",
			addr);
		return NULL;
	}
	sa = p1_responder_new(ctx, cfg, from, m, sa_pl, "AM1");
	if (!sa)
		return NULL;
	sa->aggressive = true;
	ret = p1_take_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len);
	if (ret) {
		p1_refuse(sa, "AM1", ret);
		ike_sa_free(sa);
		return NULL;
	}
	memcpy(sa->peer_id, id->body, id->len);
	sa->peer_id_len = id->len;
	header(sa, &b);
	prop_build_ike(&b, &sa->prop, 1);
	if (p1_add_ke_nonce(sa, &b, sa->gxr, sa->nr, &sa->nr_len) || p1_derive(sa)) {
		ike_log("%s: AM1: key exchange failed (invalid public value?)", cfg->name);
		ike_sa_free(sa);
		return NULL;
	}
	p1_add_id(sa, &b);
	if (p1_add_auth(sa, &b) || nat_add_natd(sa, &b)) {
		ike_sa_free(sa);
		return NULL;
	}
	cert_add_requests(sa, &b);
	p1_add_vids(sa, &b);
	isakmp_finish(&b);
	if (!config_signs(cfg))
		ike_warn(
			"%s: warning: Aggressive Mode with a pre-shared key: AM2 carries a hash an "
			"eavesdropper can attack offline to recover the key; prefer Main Mode",
			cfg->name);
	ike_log_built("AM2", &sa->peer, &b);
	/* Repeated only when AM1 is, as MM2 (main_mode.c). */
	ike_send(sa, &sa->rt, &b, "AM2", false);
	sa->state = AM_R_AM2_SENT;
	return &sa->rt;
}

/* AM2 received by the initiator: check everything, answer AM3, established. */
static struct retransmit *process_am2(struct ike_sa *sa, const struct sockaddr_storage *from,
				      struct isakmp_msg *m)
{
	const struct isakmp_payload *sa_pl, *id;
	struct isakmp_builder b;
	struct ike_prop chosen;
	char why[200];
	int ret;

	if ((m->flags & ISAKMP_FLAG_ENC) || isakmp_parse_payloads(m, m->np, m->body, m->body_len)) {
		ike_log("%s: AM2 refused: %s", sa->cfg->name,
			isakmp_notify_name(ISAKMP_N_PAYLOAD_MALFORMED));
		return NULL;
	}
	ike_log_msg("AM2", false, from, m);
	sa_pl = isakmp_find(m, ISAKMP_NP_SA, NULL);
	id = isakmp_find(m, ISAKMP_NP_ID, NULL);
	ret = sa_pl ? prop_select_ike(sa_pl, sa->cfg->ike, sa->cfg->n_ike, &chosen, why,
				      sizeof(why))
		    : ISAKMP_N_PAYLOAD_MALFORMED;
	if (ret || chosen.group != sa->cfg->ike[0].group) {
		ike_log("%s: AM2: the responder chose a transform we did not offer: %s",
			sa->cfg->name, ret && sa_pl ? why : "malformed or another DH group");
		return NULL;
	}
	/* What follows only changes what the next AM2 sets again; our DH key stays. */
	sa->prop = chosen;
	ret = p1_take_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len);
	if (!ret)
		ret = p1_check_id(sa, id);
	if (ret) {
		p1_refuse(sa, "AM2", ret);
		return NULL;
	}
	if (p1_derive(sa)) {
		ike_log("%s: AM2: key exchange failed (invalid public value?)", sa->cfg->name);
		return NULL;
	}
	ret = p1_check_auth(sa, m, id->body, id->len);
	if (ret) {
		p1_refuse(sa, "AM2", ret);
		return NULL;
	}
	p1_take_vids(sa, m);
	ret = nat_take_natd(sa, m);
	if (ret) {
		p1_refuse(sa, "AM2", ret);
		return NULL;
	}
	nat_float(sa); /* AM3 goes to the NAT-T port when a NAT was detected */
	header(sa, &b);
	if (p1_add_auth(sa, &b) || nat_add_natd(sa, &b))
		return NULL;
	p1_add_initial_contact(sa, &b);
	isakmp_finish(&b);
	if (b.err)
		return NULL;
	ike_log_built("AM3", &sa->peer, &b);
	if (ike_encrypt(sa, &b, sa->iv))
		return NULL;
	/* A lost AM3 is recovered by the responder's retransmitted AM2. */
	ike_send(sa, &sa->rt, &b, "AM3", false);
	p1_established(sa);
	return &sa->rt;
}

/* AM3 received by the responder: HASH_I over the identity AM1 carried. */
static void process_am3(struct ike_sa *sa, struct isakmp_msg *m)
{
	uint8_t plain[ISAKMP_MAX_MSG], next_iv[IKE_MAX_BLOCK];
	bool enc = m->flags & ISAKMP_FLAG_ENC;
	int ret;

	if (enc)
		ret = ike_decrypt(sa, m, plain, sa->iv, next_iv) ? ISAKMP_N_AUTHENTICATION_FAILED
								 : 0;
	else
		ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len);
	if (!ret) {
		ike_log_msg("AM3", false, ike_rx_from(sa), m);
		ret = p1_check_auth(sa, m, sa->peer_id, sa->peer_id_len);
	}
	if (!ret)
		ret = nat_take_natd(sa, m);
	if (ret) {
		p1_refuse(sa, "AM3", ret);
		return;
	}
	nat_follow(sa); /* AM3 on the NAT-T port: the peer is there from now on */
	if (enc)
		memcpy(sa->iv, next_iv, sa->keys.block);
	sa->rt.next_ms = 0;
	sa->rt.have_last_in = false; /* AM3 needs no answer: AM1 gets AM2 no more */
	p1_established(sa);
	p1_take_initial_contact(sa, m, enc);
}

void am_lost_am3(struct ike_sa *sa, uint8_t exchange)
{
	ike_log("%s: exchange %u before AM3: AM3 was lost, repeating AM2", sa->cfg->name, exchange);
	/*
	 * The message returned our cookie: the peer is real, and established.
	 * Out of reach of the half-open limits, and the time to finish is the
	 * full negotiation time from now, for its AM3 may take a few tries.
	 */
	sa->cookie_returned = true;
	sa->expire_ms = sa->ctx->now_ms + IKE_NEGOTIATION_MS;
}

struct ike_sa *am_find(struct ike_ctx *ctx, const struct isakmp_msg *m)
{
	static const uint8_t zero[8];
	struct ike_sa *sa;

	if (!memcmp(m->rcookie, zero, 8)) {
		for_each_icookie_sa(sa, ctx, m->icookie)
			if (!sa->initiator && sa->aggressive)
				return sa;
		return NULL;
	}
	sa = ike_sa_find(ctx, m->icookie, m->rcookie);
	if (!sa) {
		/* AM2: the responder's cookie is new to us. */
		for_each_icookie_sa(sa, ctx, m->icookie)
			if (sa->initiator && sa->state == AM_I_AM1_SENT)
				break;
		if (!sa)
			return NULL;
		memcpy(sa->rcookie, m->rcookie, 8);
		ike_sa_touch(sa);
	}
	return sa->aggressive ? sa : NULL;
}

struct retransmit *am_input(struct ike_ctx *ctx, struct ike_sa *sa,
			    const struct sockaddr_storage *from, struct isakmp_msg *m)
{
	static const uint8_t zero[8];
	struct retransmit *rt = NULL;

	if (!memcmp(m->rcookie, zero, 8))
		return sa ? NULL : process_am1(ctx, from, m); /* an AM1 again, no repeat: dropped */
	if (!sa)
		return NULL;
	if (sa->state == AM_I_AM1_SENT)
		rt = process_am2(sa, from, m);
	else if (sa->state == AM_R_AM2_SENT)
		process_am3(sa, m);
	if (sa->state == AM_I_AM1_SENT)
		memset(sa->rcookie, 0,
		       8); /* AM2 refused: a later AM2 may come with another cookie */
	return rt;
}
