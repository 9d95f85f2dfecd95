// SPDX-License-Identifier: GPL-2.0
/*
 * Main Mode with pre-shared keys (RFC 2409 5.4), both roles:
 *
 *	MM1  I -> R  HDR, SA
 *	MM2  R -> I  HDR, SA
 *	MM3  I -> R  HDR, KE, Ni
 *	MM4  R -> I  HDR, KE, Nr
 *	MM5  I -> R  HDR*, IDii, HASH_I
 *	MM6  R -> I  HDR*, IDir, HASH_R
 *
 * Each message is handled by one function for the state that expects it;
 * a message that fails any check is dropped without changing the state.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"

/* A bound on the state unauthenticated MM1s can make us keep; half-open SAs expire. */
#define MAX_IKE_SAS 1024

static void proposals_with_lifetime(const struct tunnel_cfg *cfg, struct ike_prop *out)
{
	size_t i;

	for (i = 0; i < cfg->n_ike; i++) {
		out[i] = cfg->ike[i];
		out[i].life_s = cfg->ike_lifetime;
	}
}

static void header(struct ike_sa *sa, struct isakmp_builder *b, uint8_t flags)
{
	isakmp_build_header(b, sa->icookie, sa->rcookie, ISAKMP_XCHG_MAIN, flags, 0);
}

/* Keep the body of the initiator's SA payload: HASH_I and HASH_R cover it. */
static int keep_sai_b(struct ike_sa *sa, const uint8_t *body, size_t len)
{
	sa->sai_b = malloc(len ? len : 1);
	if (!sa->sai_b)
		return -1;
	memcpy(sa->sai_b, body, len);
	sa->sai_b_len = len;
	return 0;
}

int mm_start(struct ike_sa *sa)
{
	struct ike_prop props[PROP_MAX];
	struct isakmp_builder b;
	size_t sa_off;

	if (ike_random(sa->icookie, 8))
		return -1;
	proposals_with_lifetime(sa->cfg, props);
	header(sa, &b, 0);
	sa_off = b.len;
	prop_build_ike(&b, props, sa->cfg->n_ike);
	isakmp_finish(&b);
	if (b.err ||
	    keep_sai_b(sa, b.buf + sa_off + ISAKMP_GEN_LEN, b.len - sa_off - ISAKMP_GEN_LEN))
		return -1;
	ike_log_built("MM1", &sa->peer, &b);
	ike_send(sa, &sa->rt, &b, "MM1", true);
	sa->state = MM_I_MM1_SENT;
	return 0;
}

static const struct tunnel_cfg *cfg_for_peer(const struct config *cfg,
					     const struct sockaddr_storage *from)
{
	const struct tunnel_cfg *t;

	for (t = cfg->tunnels; t; t = t->next) {
		if (t->family != from->ss_family)
			continue;
		if (t->family == AF_INET &&
		    !memcmp(t->remote, &((const struct sockaddr_in *)from)->sin_addr, 4))
			return t;
		if (t->family == AF_INET6 &&
		    !memcmp(t->remote, &((const struct sockaddr_in6 *)from)->sin6_addr, 16))
			return t;
	}
	return NULL;
}

static size_t count_sas(const struct ike_ctx *ctx)
{
	const struct ike_sa *sa;
	size_t n = 0;

	for (sa = ctx->sas; sa; sa = sa->next)
		n++;
	return n;
}

/* MM1 received: a new responder IKE SA, or a retransmitted MM1 answered from the cache. */
static void process_mm1(struct ike_ctx *ctx, const struct sockaddr_storage *from,
			struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	const struct tunnel_cfg *cfg;
	const struct isakmp_payload *sa_pl;
	struct ike_prop chosen;
	struct isakmp_builder b;
	struct ike_sa *sa;
	char addr[64], why[200];
	int ret;

	for (sa = ctx->sas; sa; sa = sa->next)
		if (!sa->initiator && !memcmp(sa->icookie, m->icookie, 8) &&
		    sa->state == MM_R_MM2_SENT) {
			ike_duplicate(sa, &sa->rt, buf, len);
			return;
		}
	ike_addr_str(from, addr, sizeof(addr));
	cfg = cfg_for_peer(ctx->cfg, from);
	if (!cfg) {
		ike_log("MM1 from %s: no tunnel is configured for this peer", addr);
		return;
	}
	if (cfg->aggressive) {
		ike_log("%s: MM1 from %s, but the tunnel is configured for Aggressive Mode",
			cfg->name, addr);
		return;
	}
	if (m->flags & ISAKMP_FLAG_ENC)
		return;
	ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len);
	if (ret || !(sa_pl = isakmp_find(m, ISAKMP_NP_SA, NULL))) {
		ike_log("%s: MM1 from %s refused: %s", cfg->name, addr,
			isakmp_notify_name(ret ? (uint16_t)ret : ISAKMP_N_PAYLOAD_MALFORMED));
		return;
	}
	ike_log_msg("MM1", false, from, m);
	if (count_sas(ctx) >= MAX_IKE_SAS) {
		ike_log("%s: MM1 from %s dropped: too many IKE SAs", cfg->name, addr);
		return;
	}
	ret = prop_select_ike(sa_pl, cfg->ike, cfg->n_ike, &chosen, why, sizeof(why));
	if (ret) {
		ike_log("%s: MM1 from %s: %s", cfg->name, addr, why);
		info_notify_plain(ctx, from, m->icookie, m->rcookie, (uint16_t)ret);
		return;
	}
	sa = ike_sa_new(ctx, cfg, false, from);
	if (!sa)
		return;
	memcpy(sa->icookie, m->icookie, 8);
	if (ike_random(sa->rcookie, 8) || keep_sai_b(sa, sa_pl->body, sa_pl->len)) {
		ike_sa_free(sa);
		return;
	}
	sa->prop = chosen;
	/* Echo the chosen transform with the offered lifetime; the shorter one applies here. */
	sa->life_s = cfg->ike_lifetime;
	if (chosen.life_s && chosen.life_s < sa->life_s)
		sa->life_s = chosen.life_s;
	header(sa, &b, 0);
	prop_build_ike(&b, &chosen, 1);
	isakmp_finish(&b);
	ike_log_built("MM2", &sa->peer, &b);
	ike_remember_request(&sa->rt, buf, len);
	ike_send(sa, &sa->rt, &b, "MM2", true);
	sa->state = MM_R_MM2_SENT;
}

/* KE and nonce of MM3/MM4: check sizes and keep them. Returns 0 or a notify type. */
static int take_ke_nonce(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *gx, uint8_t *n,
			 size_t *n_len)
{
	const struct isakmp_payload *ke = isakmp_find(m, ISAKMP_NP_KE, NULL);
	const struct isakmp_payload *no = isakmp_find(m, ISAKMP_NP_NONCE, NULL);

	if (!ke || !no)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (ke->len != ike_dh_pub_len(sa->prop.group))
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	if (no->len < 8 || no->len > IKE_NONCE_MAX)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	memcpy(gx, ke->body, ke->len);
	memcpy(n, no->body, no->len);
	*n_len = no->len;
	return 0;
}

/* Our DH key and nonce, added to B as KE and NONCE payloads. */
static int add_ke_nonce(struct ike_sa *sa, struct isakmp_builder *b, uint8_t *gx, uint8_t *n,
			size_t *n_len)
{
	sa->gx_len = ike_dh_pub_len(sa->prop.group);
	sa->dh = ike_dh_new(sa->prop.group);
	*n_len = IKE_NONCE_LEN;
	if (!sa->dh || ike_dh_public(sa->dh, gx) || ike_random(n, *n_len))
		return -1;
	isakmp_add(b, ISAKMP_NP_KE, gx, sa->gx_len);
	isakmp_add(b, ISAKMP_NP_NONCE, n, *n_len);
	return 0;
}

/* Both public values and nonces known: the shared secret, SKEYID*, the phase-1 IV. */
static int derive(struct ike_sa *sa)
{
	uint8_t gxy[IKE_MAX_DH];
	size_t glen = ike_dh_secret_len(sa->prop.group);
	const uint8_t *peer = sa->initiator ? sa->gxr : sa->gxi;
	int ret;

	if (ike_dh_shared(sa->dh, peer, sa->gx_len, gxy))
		return -1;
	sa->keys.hash = sa->prop.hash;
	sa->keys.cipher = sa->prop.cipher;
	sa->keys.key_len = ike_cipher_key_len(sa->prop.cipher, sa->prop.key_bits);
	struct chunk ni = { sa->ni, sa->ni_len }, nr = { sa->nr, sa->nr_len }, g = { gxy, glen };
	struct chunk gi = { sa->gxi, sa->gx_len }, gr = { sa->gxr, sa->gx_len };
	ret = ike_keys_derive(&sa->keys, sa->cfg->psk, sa->cfg->psk_len, &ni, &nr, &g, sa->icookie,
			      sa->rcookie) ||
	      ike_keys_phase1_iv(&sa->keys, &gi, &gr, sa->iv);
	OPENSSL_cleanse(gxy, sizeof(gxy));
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	return ret ? -1 : 0;
}

/* The body of our ID payload: the configured identity, or our address. */
static size_t my_id(const struct ike_sa *sa, uint8_t *out)
{
	const struct tunnel_cfg *c = sa->cfg;

	out[1] = 0; /* protocol and port: 0, as RFC 2407 4.6.2 allows in phase 1 */
	out[2] = out[3] = 0;
	if (c->local_id.type) {
		out[0] = c->local_id.type;
		memcpy(out + 4, c->local_id.data, c->local_id.len);
		return 4 + c->local_id.len;
	}
	out[0] = c->family == AF_INET ? ID_IPV4_ADDR : ID_IPV6_ADDR;
	memcpy(out + 4, c->local, c->family == AF_INET ? 4 : 16);
	return c->family == AF_INET ? 8 : 20;
}

/* HASH_I (initiator true) or HASH_R over the ID payload body ID. */
static int auth_hash(struct ike_sa *sa, bool of_initiator, const uint8_t *id, size_t id_len,
		     uint8_t *out)
{
	struct chunk gi = { sa->gxi, sa->gx_len }, gr = { sa->gxr, sa->gx_len };
	struct chunk ci = { sa->icookie, 8 }, cr = { sa->rcookie, 8 };
	struct chunk parts[6] = { of_initiator ? gi : gr,	of_initiator ? gr : gi,
				  of_initiator ? ci : cr,	of_initiator ? cr : ci,
				  { sa->sai_b, sa->sai_b_len }, { id, id_len } };

	return ike_prf(sa->keys.hash, sa->keys.skeyid, sa->keys.hash_len, parts, 6, out);
}

/* MM5 or MM6: ID and HASH, encrypted with the phase-1 IV chain. */
static int send_id_hash(struct ike_sa *sa, const char *name, bool arm)
{
	uint8_t id[4 + CONFIG_ID_MAX], h[IKE_MAX_HASH];
	size_t id_len = my_id(sa, id);
	struct isakmp_builder b;

	if (auth_hash(sa, sa->initiator, id, id_len, h))
		return -1;
	header(sa, &b, 0);
	isakmp_add(&b, ISAKMP_NP_ID, id, id_len);
	isakmp_add(&b, ISAKMP_NP_HASH, h, sa->keys.hash_len);
	isakmp_finish(&b);
	ike_log_built(name, &sa->peer, &b);
	if (ike_encrypt(sa, &b, sa->iv))
		return -1;
	ike_send(sa, &sa->rt, &b, name, arm);
	return 0;
}

/* Check the peer's ID against remote-id (when configured) and its HASH. 0 or a notify. */
static int verify_id_hash(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *id = isakmp_find(m, ISAKMP_NP_ID, NULL);
	const struct isakmp_payload *hash = isakmp_find(m, ISAKMP_NP_HASH, NULL);
	const struct ike_id *want = &sa->cfg->remote_id;
	uint8_t h[IKE_MAX_HASH];

	if (!id || !hash || id->len < 4)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (want->type && (id->body[0] != want->type || id->len - 4 != want->len ||
			   memcmp(id->body + 4, want->data, want->len))) {
		ike_log("%s: the peer's identity does not match remote-id", sa->cfg->name);
		return ISAKMP_N_INVALID_ID_INFORMATION;
	}
	if (hash->len != sa->keys.hash_len || auth_hash(sa, !sa->initiator, id->body, id->len, h) ||
	    CRYPTO_memcmp(h, hash->body, hash->len))
		return ISAKMP_N_AUTHENTICATION_FAILED;
	return 0;
}

static void established(struct ike_sa *sa)
{
	char p[64];

	prop_ike_str(&sa->prop, p, sizeof(p));
	sa->state = MM_ESTABLISHED;
	sa->established_ms = sa->ctx->now_ms;
	if (!sa->life_s || (sa->prop.life_s && sa->prop.life_s < sa->life_s))
		sa->life_s = sa->prop.life_s ? sa->prop.life_s : sa->cfg->ike_lifetime;
	sa->expire_ms = sa->ctx->now_ms + (uint64_t)sa->life_s * 1000;
	ike_log("%s: IKE SA established (Main Mode, %s, %s, lifetime %us)", sa->cfg->name, p,
		sa->initiator ? "initiator" : "responder", sa->life_s);
}

static void fail(struct ike_sa *sa, const char *msg, int notify)
{
	ike_log("%s: %s refused: %s", sa->cfg->name, msg, isakmp_notify_name((uint16_t)notify));
}

static void process(struct ike_sa *sa, struct isakmp_msg *m, const uint8_t *buf, size_t len)
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
		ike_log_msg("MM2", false, &sa->peer, m);
		if (!(pl = isakmp_find(m, ISAKMP_NP_SA, NULL)))
			return fail(sa, "MM2", ISAKMP_N_PAYLOAD_MALFORMED);
		ret = prop_select_ike(pl, sa->cfg->ike, sa->cfg->n_ike, &sa->prop, why,
				      sizeof(why));
		if (ret) {
			ike_log("%s: MM2: the responder chose a transform we did not offer: %s",
				sa->cfg->name, why);
			return;
		}
		header(sa, &b, 0);
		if (add_ke_nonce(sa, &b, sa->gxi, sa->ni, &sa->ni_len))
			return;
		isakmp_finish(&b);
		ike_log_built("MM3", &sa->peer, &b);
		ike_send(sa, &sa->rt, &b, "MM3", true);
		sa->state = MM_I_MM3_SENT;
		return;
	case MM_R_MM2_SENT: /* MM3 */
		if ((m->flags & ISAKMP_FLAG_ENC) ||
		    (ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len)))
			return fail(sa, "MM3", ISAKMP_N_PAYLOAD_MALFORMED);
		ike_log_msg("MM3", false, &sa->peer, m);
		sa->gx_len = ike_dh_pub_len(sa->prop.group);
		ret = take_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len);
		if (ret)
			return fail(sa, "MM3", ret);
		header(sa, &b, 0);
		if (add_ke_nonce(sa, &b, sa->gxr, sa->nr, &sa->nr_len) || derive(sa)) {
			ike_log("%s: MM3: key exchange failed (invalid public value?)",
				sa->cfg->name);
			sa->state = MM_DEAD;
			return;
		}
		isakmp_finish(&b);
		ike_log_built("MM4", &sa->peer, &b);
		ike_remember_request(&sa->rt, buf, len);
		ike_send(sa, &sa->rt, &b, "MM4", true);
		sa->state = MM_R_MM4_SENT;
		return;
	case MM_I_MM3_SENT: /* MM4 */
		if ((m->flags & ISAKMP_FLAG_ENC) ||
		    (ret = isakmp_parse_payloads(m, m->np, m->body, m->body_len)))
			return fail(sa, "MM4", ISAKMP_N_PAYLOAD_MALFORMED);
		ike_log_msg("MM4", false, &sa->peer, m);
		ret = take_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len);
		if (ret)
			return fail(sa, "MM4", ret);
		if (derive(sa) || send_id_hash(sa, "MM5", true)) {
			ike_log("%s: MM4: key exchange failed", sa->cfg->name);
			sa->state = MM_DEAD;
			return;
		}
		sa->state = MM_I_MM5_SENT;
		return;
	case MM_R_MM4_SENT: /* MM5 */
	case MM_I_MM5_SENT: /* MM6 */
		/*
		 * The keys come from the PSK: with different PSKs the message
		 * decrypts to garbage, which is an authentication failure too.
		 */
		if (!(m->flags & ISAKMP_FLAG_ENC))
			return; /* a late retransmission of MM3 or MM4 */
		if (!sa->initiator)
			sa->rt.next_ms = 0; /* the peer has MM4; its MM5 retransmits drive us now */
		ret = ike_decrypt(sa, m, plain, sa->iv, next_iv);
		if (ret)
			ret = ISAKMP_N_AUTHENTICATION_FAILED;
		else
			ike_log_msg(sa->initiator ? "MM6" : "MM5", false, &sa->peer, m);
		if (!ret)
			ret = verify_id_hash(sa, m);
		if (ret) {
			if (ret == ISAKMP_N_AUTHENTICATION_FAILED)
				ike_log("%s: %s: AUTHENTICATION-FAILED: the message does not "
					"decrypt "
					"or its hash does not verify (different pre-shared keys?)",
					sa->cfg->name, sa->initiator ? "MM6" : "MM5");
			info_notify_plain(sa->ctx, &sa->peer, sa->icookie, sa->rcookie,
					  (uint16_t)ret);
			return;
		}
		memcpy(sa->iv, next_iv, sa->keys.block);
		if (sa->initiator) {
			sa->rt.next_ms = 0;
			established(sa);
			if (sa->cfg->initiate)
				qm_start(sa);
			return;
		}
		ike_remember_request(&sa->rt, buf, len);
		if (send_id_hash(sa, "MM6", false))
			return;
		established(sa);
		return;
	case MM_ESTABLISHED:
	case MM_DEAD:
		return;
	}
}

void mm_input(struct ike_ctx *ctx, const struct sockaddr_storage *from,
	      const struct isakmp_msg *msg, const uint8_t *buf, size_t len)
{
	static const uint8_t zero[8];
	struct isakmp_msg m = *msg;
	struct ike_sa *sa;

	if (m.msgid != 0)
		return;
	if (!memcmp(m.rcookie, zero, 8)) {
		process_mm1(ctx, from, &m, buf, len);
		return;
	}
	sa = ike_sa_find(ctx, m.icookie, m.rcookie);
	if (!sa) {
		/* MM2: the responder's cookie is new to us. */
		for (sa = ctx->sas; sa; sa = sa->next)
			if (sa->initiator && sa->state == MM_I_MM1_SENT &&
			    !memcmp(sa->icookie, m.icookie, 8))
				break;
		if (!sa)
			return;
		memcpy(sa->rcookie, m.rcookie, 8);
		sa->peer = *from;
	}
	if (ike_duplicate(sa, &sa->rt, buf, len))
		return;
	process(sa, &m, buf, len);
	if (sa->state == MM_I_MM1_SENT)
		memset(sa->rcookie, 0,
		       8); /* MM2 refused: a later MM2 may come with another cookie */
}
