// SPDX-License-Identifier: GPL-2.0
/*
 * What Main Mode and Aggressive Mode, with pre-shared keys (RFC 2409 5.4)
 * or signatures (5.1, cert.c), share: proposals, KE and nonce payloads, the
 * derivation of SKEYID*, our identity, HASH_I / HASH_R and what
 * authenticates them, the check of the peer's identity and of its proof,
 * vendor IDs, the start and the end of phase 1. The exchanges differ only
 * in which message carries what (main_mode.c, aggressive_mode.c).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "../creds.h"
#include "ike_sa.h"
#include "lifecycle.h"

/* RFC 3706 section 7: the DPD vendor ID, version 1.0. */
static const uint8_t dpd_vid[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				     0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };

size_t p1_proposals(const struct tunnel_cfg *cfg, struct ike_prop *out)
{
	size_t i;

	for (i = 0; i < cfg->n_ike; i++) {
		out[i] = cfg->ike[i];
		out[i].life_s = cfg->ike_lifetime;
		out[i].life_kb = cfg->ike_lifetime_kb;
	}
	return cfg->n_ike;
}

int p1_keep_sai_b(struct ike_sa *sa, const uint8_t *body, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return -1;
	memcpy(copy, body, len);
	free(sa->sai_b);
	sa->sai_b = copy;
	sa->sai_b_len = len;
	return 0;
}

bool p1_cfg_has_peer(const struct tunnel_cfg *t, const struct sockaddr_storage *from)
{
	if (t->family != from->ss_family)
		return false;
	if (t->family == AF_INET)
		return !memcmp(t->remote, &((const struct sockaddr_in *)from)->sin_addr, 4);
	return !memcmp(t->remote, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
}

struct ike_sa *p1_responder_new(struct ike_ctx *ctx, const struct tunnel_cfg *cfg,
				const struct sockaddr_storage *from, const struct isakmp_msg *m,
				const struct isakmp_payload *sa_pl, const char *name)
{
	struct ike_prop chosen;
	struct ike_sa *sa;
	char addr[64], why[200];
	int ret;

	ike_addr_str(from, addr, sizeof(addr));
	if (ctx->admin_down && ctx->admin_down(ctx->arg, cfg)) {
		ike_log("%s: %s from %s refused: the tunnel is down (esptun down)", cfg->name, name,
			addr);
		return NULL;
	}
	ret = prop_select_ike(sa_pl, cfg->ike, cfg->n_ike, &chosen, why, sizeof(why));
	if (ret) {
		ike_log("%s: %s from %s: %s", cfg->name, name, addr, why);
		info_notify_plain(ctx, from, m->icookie, m->rcookie, (uint16_t)ret);
		return NULL;
	}
	ike_sa_make_room(ctx, from);
	sa = ike_sa_new(ctx, cfg, false, from);
	if (!sa)
		return NULL;
	ike_sa_track_half_open(sa);
	sa->expire_ms = ctx->now_ms + IKE_HALF_OPEN_MS;
	memcpy(sa->icookie, m->icookie, 8);
	index_cookie_set(sa);
	if (ike_random(sa->rcookie, 8) || p1_keep_sai_b(sa, sa_pl->body, sa_pl->len)) {
		ike_sa_free(sa);
		return NULL;
	}
	sa->prop = chosen;
	p1_take_vids(sa, m);
	/* The chosen transform is echoed with the offered lifetime; the shorter one applies here. */
	sa->life_s = cfg->ike_lifetime;
	if (chosen.life_s && chosen.life_s < sa->life_s)
		sa->life_s = chosen.life_s;
	sa->life_kb = cfg->ike_lifetime_kb;
	if (chosen.life_kb && (!sa->life_kb || chosen.life_kb < sa->life_kb))
		sa->life_kb = chosen.life_kb;
	return sa;
}

int p1_take_ke_nonce(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t *gx, uint8_t *n,
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
	sa->gx_len = ke->len;
	memcpy(n, no->body, no->len);
	*n_len = no->len;
	return 0;
}

int p1_add_ke_nonce(struct ike_sa *sa, struct isakmp_builder *b, uint8_t *gx, uint8_t *n,
		    size_t *n_len)
{
	ike_dh_free(sa->dh);
	sa->gx_len = ike_dh_pub_len(sa->prop.group);
	sa->dh = ike_dh_new(sa->prop.group);
	*n_len = IKE_NONCE_LEN;
	if (!sa->dh || ike_dh_public(sa->dh, gx) || ike_random(n, *n_len))
		return -1;
	isakmp_add(b, ISAKMP_NP_KE, gx, sa->gx_len);
	isakmp_add(b, ISAKMP_NP_NONCE, n, *n_len);
	return 0;
}

int p1_derive(struct ike_sa *sa)
{
	uint8_t gxy[IKE_MAX_DH];
	size_t glen = ike_dh_secret_len(sa->prop.group);
	const uint8_t *peer = sa->initiator ? sa->gxr : sa->gxi;
	int ret;

	if (!sa->dh || ike_dh_shared(sa->dh, peer, sa->gx_len, gxy))
		return -1;
	sa->keys.hash = sa->prop.hash;
	sa->keys.cipher = sa->prop.cipher;
	sa->keys.key_len = ike_cipher_key_len(sa->prop.cipher, sa->prop.key_bits);
	struct chunk ni = { sa->ni, sa->ni_len }, nr = { sa->nr, sa->nr_len }, g = { gxy, glen };
	struct chunk gi = { sa->gxi, sa->gx_len }, gr = { sa->gxr, sa->gx_len };
	bool sig = config_signs(sa->cfg);
	ret = ike_keys_derive(&sa->keys, sig ? NULL : sa->cfg->psk, sa->cfg->psk_len, &ni, &nr, &g,
			      sa->icookie, sa->rcookie) ||
	      ike_keys_phase1_iv(&sa->keys, &gi, &gr, sa->iv);
	OPENSSL_cleanse(gxy, sizeof(gxy));
	if (!ret && sa->ctx->phase1_keys)
		sa->ctx->phase1_keys(sa->ctx->arg, sa);
	return ret ? -1 : 0;
}

size_t p1_my_id(const struct ike_sa *sa, uint8_t *out)
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

void p1_add_id(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t id[4 + CONFIG_ID_MAX];

	isakmp_add(b, ISAKMP_NP_ID, id, p1_my_id(sa, id));
}

/* HASH_I (OF_INITIATOR) or HASH_R over the ID payload body ID. */
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

int p1_add_auth(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t id[4 + CONFIG_ID_MAX], h[IKE_MAX_HASH];
	size_t id_len = p1_my_id(sa, id);

	if (auth_hash(sa, sa->initiator, id, id_len, h))
		return -1;
	if (config_signs(sa->cfg))
		return cert_add_signature(sa, b, h, sa->keys.hash_len);
	isakmp_add(b, ISAKMP_NP_HASH, h, sa->keys.hash_len);
	return 0;
}

bool p1_id_matches(const struct tunnel_cfg *cfg, const uint8_t *id, size_t len)
{
	const struct ike_id *want = &cfg->remote_id;

	if (len < 4)
		return false;
	if (!want->type)
		return true;
	/*
	 * With certificates a peer may send its subject while remote-id names
	 * one of its subjectAltNames, or the other way round: the certificate
	 * must then hold both (cert_check()).
	 */
	if (id[0] != want->type)
		return config_signs(cfg);
	if (id[0] == ID_DER_ASN1_DN)
		return creds_dn_equal(id + 4, len - 4, want->data, want->len);
	return len - 4 == want->len && !memcmp(id + 4, want->data, want->len);
}

int p1_check_id(const struct ike_sa *sa, const struct isakmp_payload *id)
{
	if (!id || id->len < 4 || id->len > sizeof(sa->peer_id))
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (!p1_id_matches(sa->cfg, id->body, id->len)) {
		ike_log("%s: INVALID-ID-INFORMATION: the peer's identity does not match remote-id",
			sa->cfg->name);
		return ISAKMP_N_INVALID_ID_INFORMATION;
	}
	return 0;
}

int p1_check_auth(struct ike_sa *sa, const struct isakmp_msg *m, const uint8_t *id, size_t id_len)
{
	const struct isakmp_payload *hash = isakmp_find(m, ISAKMP_NP_HASH, NULL);
	uint8_t h[IKE_MAX_HASH];

	if (auth_hash(sa, !sa->initiator, id, id_len, h))
		return ISAKMP_N_AUTHENTICATION_FAILED;
	if (config_signs(sa->cfg))
		return cert_check(sa, m, id, id_len, h);
	if (!hash || hash->len != sa->keys.hash_len || CRYPTO_memcmp(h, hash->body, hash->len))
		return ISAKMP_N_AUTHENTICATION_FAILED;
	return 0;
}

void p1_refuse(struct ike_sa *sa, const char *name, int notify)
{
	if (notify == ISAKMP_N_AUTHENTICATION_FAILED && config_signs(sa->cfg))
		ike_log("%s: %s: AUTHENTICATION-FAILED: the message does not decrypt, or its "
			"signature does not verify",
			sa->cfg->name, name);
	else if (notify == ISAKMP_N_AUTHENTICATION_FAILED)
		ike_log("%s: %s: AUTHENTICATION-FAILED: the message does not decrypt or its hash "
			"does not verify (different pre-shared keys?)",
			sa->cfg->name, name);
	else
		ike_log("%s: %s refused: %s", sa->cfg->name, name,
			isakmp_notify_name((uint16_t)notify));
	sa->our_refusal = (uint16_t)notify;
	/* To where the refused message came from: the peer may have floated to its NAT-T port. */
	info_notify_plain(sa->ctx, sa->ctx->rx_from ? sa->ctx->rx_from : &sa->peer, sa->icookie,
			  sa->rcookie, (uint16_t)notify);
}

void p1_established(struct ike_sa *sa)
{
	char p[64], kb[24], cookies[IKE_COOKIES_STR];

	prop_ike_str(&sa->prop, p, sizeof(p));
	sa->state = MM_ESTABLISHED;
	sa->established_ms = sa->ctx->now_ms;
	sa->dpd.alive_ms = sa->ctx->now_ms;
	/* A random start for the R-U-THERE sequence numbers (RFC 3706 7). */
	if (ike_random(&sa->dpd.seq, sizeof(sa->dpd.seq)))
		sa->dpd.seq = 0;
	sa->dpd.seq &= 0x7fffffff;
	sa->our_refusal = 0;
	/* The private DH value is not needed any more. */
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	/*
	 * The responder took the shorter at MM1/AM1; the initiator takes ours
	 * or the one echoed, whichever is shorter: nothing authenticates the
	 * responder's SA payload, so a longer echo must not stretch ours.
	 */
	if (!sa->life_s)
		sa->life_s = sa->cfg->ike_lifetime;
	if (sa->prop.life_s && sa->prop.life_s < sa->life_s)
		sa->life_s = sa->prop.life_s;
	if (!sa->life_kb)
		sa->life_kb = sa->cfg->ike_lifetime_kb;
	if (sa->prop.life_kb && (!sa->life_kb || sa->prop.life_kb < sa->life_kb))
		sa->life_kb = sa->prop.life_kb;
	sa->expire_ms = sa->ctx->now_ms + (uint64_t)sa->life_s * 1000;
	kb[0] = 0;
	if (sa->life_kb)
		snprintf(kb, sizeof(kb), " and %uK", sa->life_kb);
	ike_log("%s: IKE SA established (%s, %s, %s, lifetime %us%s%s; NAT-T: %s), cookies %s",
		sa->cfg->name, sa->aggressive ? "Aggressive Mode" : "Main Mode", p,
		sa->initiator ? "initiator" : "responder", sa->life_s, kb,
		sa->peer_dpd ? ", peer supports DPD" : "", nat_describe(sa),
		ike_cookies_str(sa, cookies));
	reauth_established(sa);
	twins_established(sa);
	pairs_established(sa);
}

bool p1_starts_quick_mode(const struct ike_sa *sa)
{
	/* A fallback (path.c) or a successor (reauth.c) needs its pair whoever brought the tunnel up. */
	return sa->cfg->initiate || sa->encap_fallback || sa->reauth;
}

void p1_add_initial_contact(struct ike_sa *sa, struct isakmp_builder *b)
{
	const struct ike_sa *o;

	/*
	 * Not while another negotiation with the peer is under way either: when
	 * both sides initiate at once, neither may drop the other's new SA. A
	 * half-open one does not count: anyone may have forged its MM1.
	 */
	for_each_tunnel_sa(o, sa->ctx, sa->cfg)
		if (o != sa && ike_sa_genuine(o))
			return;
	info_put_notify(b, sa->icookie, sa->rcookie, ISAKMP_N_INITIAL_CONTACT, NULL, 0);
}

/*
 * In a plain AM3 the notify is covered by neither HASH_I nor encryption:
 * anyone on the path could add one to the peer's genuine AM3 and have us
 * drop every other SA with the peer. strongSwan honours it all the same;
 * we log it and do not.
 */
void p1_take_initial_contact(struct ike_sa *sa, const struct isakmp_msg *m, bool covered)
{
	const struct isakmp_payload *pl;
	char cookies[IKE_COOKIES_STR];
	struct isakmp_notify_info n;
	struct ike_sa *old;
	size_t i = 0;

	while ((pl = isakmp_find(m, ISAKMP_NP_N, &i)))
		if (!isakmp_notify_parse(pl, &n) && n.type == ISAKMP_N_INITIAL_CONTACT)
			break;
	if (!pl)
		return;
	if (!covered) {
		ike_log("%s: INITIAL-CONTACT in a plain AM3, which nothing authenticates: ignored",
			sa->cfg->name);
		return;
	}
	ike_log("%s: INITIAL-CONTACT: the peer has no other SA with us", sa->cfg->name);
	for_each_tunnel_sa(old, sa->ctx, sa->cfg) {
		/*
		 * One established while SA was negotiated the peer may not have
		 * known of: in Aggressive Mode, when both ends initiate at once,
		 * each AM3 carries it (the other's SA was half-open then), and
		 * each end would drop the IKE SA the other keeps. twins.c settles
		 * those instead.
		 */
		if (old == sa || old->state != MM_ESTABLISHED ||
		    old->established_ms >= sa->started_ms)
			continue;
		ike_log("%s: INITIAL-CONTACT: dropping the older IKE SA %s and its ESP SAs",
			sa->cfg->name, ike_cookies_str(old, cookies));
		ike_sa_clear_children(old);
		old->state = MM_DEAD; /* freed by the next ike_tick() */
	}
}

void p1_add_vids(const struct ike_sa *sa, struct isakmp_builder *b)
{
	isakmp_add(b, ISAKMP_NP_VID, dpd_vid, sizeof(dpd_vid));
	frag_add_vid(sa, b);
	twins_add_vid(b);
	nat_add_vids(sa, b);
}

void p1_take_vids(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *vid;
	size_t i = 0;

	while ((vid = isakmp_find(m, ISAKMP_NP_VID, &i)))
		if (vid->len == sizeof(dpd_vid) && !memcmp(vid->body, dpd_vid, sizeof(dpd_vid)))
			sa->peer_dpd = true;
		else if (!frag_take_vid(sa, vid) && !twins_take_vid(sa, vid))
			nat_take_vid(sa, vid);
}

struct ike_sa *ike_initiate(struct ike_ctx *ctx, const struct tunnel_cfg *cfg)
{
	return ike_initiate_encap(ctx, cfg, false);
}

struct ike_sa *ike_initiate_encap(struct ike_ctx *ctx, const struct tunnel_cfg *cfg,
				  bool encap_fallback)
{
	struct sockaddr_storage peer;
	struct ike_sa *sa;

	ike_sockaddr(cfg->family, cfg->remote, 500, &peer);
	sa = ike_sa_new(ctx, cfg, true, &peer);
	if (!sa)
		return NULL;
	sa->encap_fallback = encap_fallback;
	if (cfg->aggressive ? am_start(sa) : mm_start(sa)) {
		ike_log("%s: cannot start %s Mode", cfg->name,
			cfg->aggressive ? "Aggressive" : "Main");
		ike_sa_free(sa);
		return NULL;
	}
	return sa;
}
