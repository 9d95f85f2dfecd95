// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode (RFC 2409 5.5), both roles, with optional PFS:
 *
 *	QM1  I -> R  HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
 *	QM2  R -> I  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *	QM3  I -> R  HDR*, HASH(3)
 *
 * Each exchange has its own message ID and IV (derived from the phase-1
 * IV); a received message's IV is only committed after its hash verifies.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"
#include "lifecycle.h"

/* Per sub-tunnel: its pair, a rekey's new one, a collision's spare, one under way. */
#define MAX_QM_PER_SA (4 * CONFIG_PAIRS_MAX)

/* A fresh inbound SPI for QM, none of our others (spi_set.c). 0 or -1. */
static int take_spi(struct ike_ctx *ctx, struct quick_mode *qm)
{
	uint32_t spi = 0;

	/* SPIs 1..255 are reserved by IANA (RFC 4303 2.1). */
	while (spi < 256 || spi_set_has(ctx, spi))
		if (ike_random(&spi, sizeof(spi)))
			return -1;
	return spi_set_add(ctx, qm, spi);
}

static struct quick_mode *qm_new(struct ike_sa *sa, uint32_t msgid, bool initiator)
{
	struct quick_mode *qm, **pp;
	size_t n = 0;

	/* Bound the state a peer can make us keep: forget the oldest finished exchanges. */
	for (pp = &sa->qms; *pp; pp = &(*pp)->next)
		n++;
	if (n >= MAX_QM_PER_SA) {
		/* Never one whose SAs are in the kernel: rekeying and DELETE need them. */
		for (pp = &sa->qms; *pp && ((*pp)->state != QM_DONE || (*pp)->installed);
		     pp = &(*pp)->next)
			;
		if (!*pp)
			return NULL;
		qm = *pp;
		*pp = qm->next;
		qm_free(qm);
	}
	qm = calloc(1, sizeof(*qm));
	if (!qm)
		return NULL;
	qm->msgid = msgid;
	qm->initiator = initiator;
	qm->started_ms = sa->ctx->now_ms;
	ike_msgid_remember(sa, msgid);
	if (ike_keys_msgid_iv(&sa->keys, sa->iv, msgid, qm->iv)) {
		free(qm);
		return NULL;
	}
	for (pp = &sa->qms; *pp; pp = &(*pp)->next)
		;
	*pp = qm;
	return qm;
}

static void qm_remove(struct ike_sa *sa, struct quick_mode *qm)
{
	struct quick_mode **pp;

	for (pp = &sa->qms; *pp; pp = &(*pp)->next) {
		if (*pp == qm) {
			*pp = qm->next;
			qm_free(qm);
			return;
		}
	}
}

/* Our proposals with the configured lifetime and the encapsulation mode NAT-T calls for. */
static void our_proposals(const struct ike_sa *sa, struct esp_prop *out)
{
	size_t i;

	for (i = 0; i < sa->cfg->n_esp; i++) {
		out[i] = sa->cfg->esp[i];
		out[i].life_s = sa->cfg->lifetime;
		out[i].life_kb = sa->cfg->lifetime_kb;
		out[i].mode = nat_encap_mode(sa);
	}
}

/*
 * Append the message body after HASH to B, whose HASH payload body starts
 * at HASH_OFF, and fill in prf(SKEYID_a, M-ID | PREFIX | body).
 */
static int fill_hash(struct ike_sa *sa, struct isakmp_builder *b, size_t hash_off, uint32_t msgid,
		     const struct chunk *prefix)
{
	size_t start = hash_off + sa->keys.hash_len;
	struct chunk parts[2] = { prefix ? *prefix : (struct chunk){ NULL, 0 },
				  { b->buf + start, b->len - start } };

	if (b->err)
		return -1;
	return ike_hash_msgid(sa, msgid, parts, 2, b->buf + hash_off);
}

/*
 * HASH(1) and HASH(2) cover everything after them, so their room is reserved
 * here and filled in once the message is built (RFC 2409 5.5).
 */
static size_t reserve_hash(struct ike_sa *sa, struct isakmp_builder *b)
{
	static const uint8_t zero[IKE_MAX_HASH];

	isakmp_add(b, ISAKMP_NP_HASH, zero, sa->keys.hash_len);
	return b->len - sa->keys.hash_len;
}

/*
 * The kernel refused the outbound half (or the whole pair) after the peer
 * got the message that lets it use the pair: a half pair only black-holes.
 * DELETE our inbound SPI, which is the peer's outbound one, so that it
 * drops the pair too, and remove what we added.
 */
static void refused_out(struct ike_sa *sa, struct quick_mode *qm)
{
	ike_warn("%s: the kernel refused SA pair %08x/%08x: deleting it on both sides",
		 sa->cfg->name, qm->spi_in, qm->spi_out);
	info_delete_esp(sa, qm->spi_in);
	rekey_remove(sa, qm);
}

/*
 * Compute KEYMAT for both directions and hand DIRS of the pair to the
 * installer. The responder adds its inbound SA before it sends QM2 and the
 * outbound one on QM3; the initiator adds its inbound SA before it sends
 * QM3 and the outbound one once QM3 is out. So each side's inbound SA is
 * in before the message that lets the peer send on it leaves: the peer
 * switches its outbound SA the moment it has that message.
 */
static bool install(struct ike_sa *sa, struct quick_mode *qm, unsigned int dirs)
{
	bool ok = false;
	struct child_sa c = { .cfg = sa->cfg, .prop = qm->prop, .dirs = dirs, .sel = qm->sel };
	struct chunk ni = { qm->ni, qm->ni_len }, nr = { qm->nr, qm->nr_len };
	struct chunk gxy = { qm->gxy, qm->gxy_len };
	bool last = dirs & CHILD_OUT;
	char p[64];
	size_t len;

	if (esp_prop_kernel(&qm->prop, &c.alg))
		goto out;
	nat_endpoint(sa, &c.ep);
	len = c.alg.enc_key_len + c.alg.auth_key_len;
	c.spi_in = qm->initiator ? qm->spi_i : qm->spi_r;
	c.spi_out = qm->initiator ? qm->spi_r : qm->spi_i;
	c.life_s = sa->cfg->lifetime;
	if (qm->prop.life_s && qm->prop.life_s < c.life_s)
		c.life_s = qm->prop.life_s;
	c.soft_s = rekey_soft_s(c.life_s);
	c.life_kb = sa->cfg->lifetime_kb;
	if (qm->prop.life_kb && (!c.life_kb || qm->prop.life_kb < c.life_kb))
		c.life_kb = qm->prop.life_kb;
	c.soft_bytes = rekey_soft_bytes(c.life_kb, qm->initiator);
	/* Each direction's KEYMAT uses the SPI its receiver chose. */
	if (len <= IKE_MAX_KEYMAT &&
	    !ike_keys_keymat(&sa->keys, &gxy, ISAKMP_PROTO_ESP, c.spi_in, &ni, &nr, c.key_in,
			     len) &&
	    !ike_keys_keymat(&sa->keys, &gxy, ISAKMP_PROTO_ESP, c.spi_out, &ni, &nr, c.key_out,
			     len)) {
		if (last) {
			prop_esp_str(&qm->prop, p, sizeof(p));
			ike_log("%s: CHILD SA established (%s, SPI in %08x out %08x, lifetime "
				"%us)",
				sa->cfg->name, p, c.spi_in, c.spi_out, c.life_s);
		}
		qm->spi_in = c.spi_in;
		qm->spi_out = c.spi_out;
		ok = !sa->ctx->install(sa->ctx->arg, &c);
		if (ok) {
			if (dirs & CHILD_IN)
				qm->added_ms = sa->ctx->now_ms;
			qm->installed = true;
		} else if (dirs & CHILD_IN) {
			qm->installed = false;
		}
		if (!ok && last)
			refused_out(sa, qm);
		if (last && qm->installed) {
			rekey_installed(sa, qm, c.life_s);
			path_installed(sa);
			reauth_installed(sa);
		}
	}
out:
	OPENSSL_cleanse(&c, sizeof(c));
	if (!last)
		return ok;
	OPENSSL_cleanse(qm->gxy, sizeof(qm->gxy));
	qm->state = QM_DONE;
	qm->done_ms = sa->ctx->now_ms;
	return ok;
}

int qm_start(struct ike_sa *sa, unsigned int pair)
{
	struct esp_prop props[PROP_MAX];
	const struct tunnel_cfg *t = sa->cfg;
	const struct traffic_sel *local, *remote;
	uint8_t gx[IKE_MAX_DH];
	struct isakmp_builder b;
	struct quick_mode *qm;
	uint32_t msgid = 0;
	size_t hash_off;
	int group = t->esp[0].pfs_group, family;

	config_pair(t, pair, &local, &remote);
	/* One family for both selectors: a configured one's, else the IKE peers'. */
	family = local->family ? local->family : remote->family ? remote->family : t->family;
	while (!msgid)
		if (ike_random(&msgid, sizeof(msgid)))
			return -1;
	qm = qm_new(sa, msgid, true);
	if (!qm)
		return -1;
	qm->pair = pair;
	qm->ni_len = IKE_NONCE_LEN;
	if (take_spi(sa->ctx, qm) || ike_random(qm->ni, qm->ni_len))
		goto fail;
	if (group && (!(qm->dh = ike_dh_new(group)) || ike_dh_public(qm->dh, gx)))
		goto fail;
	our_proposals(sa, props);
	isakmp_build_header(&b, sa->icookie, sa->rcookie, ISAKMP_XCHG_QUICK, 0, msgid);
	hash_off = reserve_hash(sa, &b);
	prop_build_esp(&b, props, sa->cfg->n_esp, qm->spi_i);
	isakmp_add(&b, ISAKMP_NP_NONCE, qm->ni, qm->ni_len);
	if (group)
		isakmp_add(&b, ISAKMP_NP_KE, gx, ike_dh_pub_len(group));
	qm->idci_len = ts_id(local, family, qm->idci);
	qm->idcr_len = ts_id(remote, family, qm->idcr);
	isakmp_add(&b, ISAKMP_NP_ID, qm->idci, qm->idci_len);
	isakmp_add(&b, ISAKMP_NP_ID, qm->idcr, qm->idcr_len);
	isakmp_finish(&b);
	if (fill_hash(sa, &b, hash_off, msgid, NULL))
		goto fail;
	ike_log_built("QM1", &sa->peer, &b);
	if (ike_encrypt(sa, &b, qm->iv))
		goto fail;
	ike_send(sa, &qm->rt, &b, "QM1", true);
	qm->state = QM_I_QM1_SENT;
	qm->heard = sa->dpd.heard;
	return 0;
fail:
	qm_remove(sa, qm);
	return -1;
}

/* Check HASH(1) or HASH(2) (PREFIX is Ni_b for HASH(2)). 0 or a notify type. */
static int check_hash(struct ike_sa *sa, const struct isakmp_msg *m, const struct chunk *prefix)
{
	uint8_t h[IKE_MAX_HASH];
	struct chunk parts[2] = { prefix ? *prefix : (struct chunk){ NULL, 0 }, ike_after_hash(m) };

	if (m->n < 1 || m->p[0].type != ISAKMP_NP_HASH || m->p[0].len != sa->keys.hash_len)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (ike_hash_msgid(sa, m->msgid, parts, 2, h) ||
	    CRYPTO_memcmp(h, m->p[0].body, sa->keys.hash_len))
		return ISAKMP_N_INVALID_HASH_INFORMATION;
	dpd_alive(sa);
	nat_follow(sa);
	reauth_count(sa, m->body_len);
	return 0;
}

/*
 * Whether the initiator's and the responder's selectors CI and CR lie
 * within sub-tunnel PAIR of SA's tunnel, seen from INITIATOR's side.
 */
static bool pair_within(const struct ike_sa *sa, unsigned int pair, bool initiator,
			const uint8_t *ci, size_t ci_len, const uint8_t *cr, size_t cr_len)
{
	const struct traffic_sel *local, *remote;

	config_pair(sa->cfg, pair, &local, &remote);
	return ts_within(ci, ci_len, initiator ? local : remote) &&
	       ts_within(cr, cr_len, initiator ? remote : local);
}

/*
 * The selectors of a QM1 or QM2 against ours: as responder they must lie
 * within one sub-tunnel's remote-ts (the initiator's side) and local-ts,
 * the first that holds them becoming QM's; as initiator the reply may
 * narrow what we offered for QM's sub-tunnel but not widen it. Without ID
 * payloads they are the IKE peers' addresses (RFC 2409 5.5). The pair that
 * passes is the one agreed, for the kernel to enforce: into QM->sel. 0 or
 * a notify.
 */
static int check_selectors(const struct ike_sa *sa, struct quick_mode *qm,
			   const struct isakmp_payload *idc, const struct isakmp_payload *ids)
{
	const struct tunnel_cfg *t = sa->cfg;
	uint8_t i_id[TS_ID_MAX], r_id[TS_ID_MAX];
	const uint8_t *ci = i_id, *cr = r_id;
	size_t ci_len, cr_len;
	char i_str[96], r_str[96], why[128];
	bool within;

	if (idc) {
		ci = idc->body;
		ci_len = idc->len;
		cr = ids->body;
		cr_len = ids->len;
	} else {
		ci_len = ts_host_id(t->family, qm->initiator ? t->local : t->remote, i_id);
		cr_len = ts_host_id(t->family, qm->initiator ? t->remote : t->local, r_id);
	}
	within = pair_within(sa, qm->pair, qm->initiator, ci, ci_len, cr, cr_len);
	for (unsigned int pair = 1; !qm->initiator && !within && pair < config_pairs(t); pair++)
		if ((within = pair_within(sa, pair, false, ci, ci_len, cr, cr_len)))
			qm->pair = pair;
	if (within && !ts_agreed(ci, ci_len, cr, cr_len, qm->initiator, &qm->sel, why, sizeof(why)))
		return 0;
	ts_str(ci, ci_len, i_str, sizeof(i_str));
	ts_str(cr, cr_len, r_str, sizeof(r_str));
	if (within)
		ike_log("%s: Quick Mode selectors %s (initiator) <-> %s (responder) cannot be "
			"enforced: %s",
			t->name, i_str, r_str, why);
	else
		ike_log("%s: Quick Mode selectors %s (initiator) <-> %s (responder) are not "
			"within %s",
			t->name, i_str, r_str,
			qm->initiator ? "what we offered" : "remote-ts and local-ts");
	return ISAKMP_N_INVALID_ID_INFORMATION;
}

/*
 * Take the peer's nonce, KE (when the chosen transform has PFS) and the
 * optional ID pair into QM, computing the PFS secret. 0 or a notify type.
 */
static int take_payloads(const struct ike_sa *sa, struct quick_mode *qm, const struct isakmp_msg *m,
			 uint8_t *nonce, size_t *nonce_len)
{
	const struct isakmp_payload *no = isakmp_find(m, ISAKMP_NP_NONCE, NULL);
	const struct isakmp_payload *ke = isakmp_find(m, ISAKMP_NP_KE, NULL);
	size_t from = 0;
	const struct isakmp_payload *idc = isakmp_find(m, ISAKMP_NP_ID, &from);
	const struct isakmp_payload *ids = isakmp_find(m, ISAKMP_NP_ID, &from);
	int group = qm->prop.pfs_group;

	if (!no || no->len < 8 || no->len > IKE_NONCE_MAX)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	memcpy(nonce, no->body, no->len);
	*nonce_len = no->len;
	if (!group != !ke)
		return ISAKMP_N_NO_PROPOSAL_CHOSEN; /* PFS on one side only */
	if (!idc != !ids || (idc && (idc->len > sizeof(qm->idci) || ids->len > sizeof(qm->idcr))))
		return ISAKMP_N_INVALID_ID_INFORMATION;
	if (check_selectors(sa, qm, idc, ids))
		return ISAKMP_N_INVALID_ID_INFORMATION;
	if (idc && !qm->initiator) {
		/* Within ours: echo them back; both sides' SAs carry just this pair. */
		memcpy(qm->idci, idc->body, idc->len);
		memcpy(qm->idcr, ids->body, ids->len);
		qm->idci_len = idc->len;
		qm->idcr_len = ids->len;
	}
	if (!group)
		return 0;
	if (!qm->dh && !(qm->dh = ike_dh_new(group)))
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	if (ike_dh_shared(qm->dh, ke->body, ke->len, qm->gxy))
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	qm->gxy_len = ike_dh_secret_len(group);
	return 0;
}

/* RFC 2407 4.5: the lifetime of an offer that names none. */
#define QM_DEFAULT_LIFETIME 28800

/*
 * A responder keeps an SA no longer than its own lifetime; when that is
 * shorter than the initiator offered, QM2 says so in RESPONDER-LIFETIME
 * (RFC 2407 4.6.3.1), or the initiator would go on sending on an SA we
 * have let expire until its own, longer, lifetime ran out. Cisco sends and
 * honours it; what QM2's SA payload echoes is the offer, unchanged.
 */
static void put_responder_lifetime(const struct ike_sa *sa, const struct quick_mode *qm,
				   struct isakmp_builder *b)
{
	uint32_t offered_s = qm->prop.life_s ? qm->prop.life_s : QM_DEFAULT_LIFETIME;
	uint32_t s = sa->cfg->lifetime, kb = sa->cfg->lifetime_kb;
	bool shorter_kb = kb && (!qm->prop.life_kb || kb < qm->prop.life_kb);
	size_t off;

	if (s >= offered_s && !shorter_kb)
		return;
	if (s > offered_s)
		s = offered_s;
	if (!shorter_kb)
		kb = qm->prop.life_kb;
	off = isakmp_begin(b, ISAKMP_NP_N);
	isakmp_put32(b, ISAKMP_DOI_IPSEC);
	isakmp_put8(b, ISAKMP_PROTO_ESP);
	isakmp_put8(b, 4);
	isakmp_put16(b, ISAKMP_N_RESPONDER_LIFETIME);
	isakmp_put32(b, qm->spi_r);
	prop_put_esp_life(b, s, kb);
	isakmp_end(b, off);
	ike_log("%s: QM2 carries RESPONDER-LIFETIME %us, %uK (0: no byte limit): ours is shorter "
		"than offered",
		sa->cfg->name, s, kb);
}

/*
 * The initiator's side: a RESPONDER-LIFETIME in QM2 shortens the
 * lifetimes of QM's pair, never lengthens them, and one that is malformed
 * is ignored (it is covered by HASH(2), so it is the peer's own mistake).
 */
static void take_responder_lifetime(const struct ike_sa *sa, struct quick_mode *qm,
				    const struct isakmp_msg *m)
{
	const struct isakmp_payload *pl;
	struct isakmp_notify_info n;
	uint32_t s, kb;
	size_t i = 0;

	while ((pl = isakmp_find(m, ISAKMP_NP_N, &i))) {
		if (isakmp_notify_parse(pl, &n) || n.type != ISAKMP_N_RESPONDER_LIFETIME)
			continue;
		if (n.protocol != ISAKMP_PROTO_ESP ||
		    prop_parse_esp_life(n.data, n.data_len, &s, &kb)) {
			ike_log("%s: QM2: malformed RESPONDER-LIFETIME ignored", sa->cfg->name);
			continue;
		}
		if (s && (!qm->prop.life_s || s < qm->prop.life_s))
			qm->prop.life_s = s;
		if (kb && (!qm->prop.life_kb || kb < qm->prop.life_kb))
			qm->prop.life_kb = kb;
		ike_log("%s: QM2: RESPONDER-LIFETIME %us, %uK: the pair lives at most %us, %uK",
			sa->cfg->name, s, kb, qm->prop.life_s, qm->prop.life_kb);
	}
}

/* QM1 received: choose, answer with QM2. */
static struct retransmit *respond(struct ike_sa *sa, struct isakmp_msg *m)
{
	uint8_t plain[ISAKMP_MAX_MSG], iv[IKE_MAX_BLOCK], next_iv[IKE_MAX_BLOCK], gx[IKE_MAX_DH];
	const struct isakmp_payload *sa_pl;
	struct esp_prop props[PROP_MAX];
	struct isakmp_builder b;
	struct quick_mode *qm;
	char why[200];
	size_t hash_off;
	int ret;

	our_proposals(sa, props);
	/* Authenticated before any state is kept or an older exchange forgotten for it. */
	ret = ike_keys_msgid_iv(&sa->keys, sa->iv, m->msgid, iv) ? ISAKMP_N_PAYLOAD_MALFORMED : 0;
	if (!ret)
		ret = ike_decrypt(sa, m, plain, iv, next_iv);
	if (!ret)
		ret = check_hash(sa, m, NULL);
	if (!ret)
		ret = nat_check_oa(sa, m);
	if (ret) {
		ike_log("%s: QM1 refused: %s", sa->cfg->name, isakmp_notify_name((uint16_t)ret));
		return NULL;
	}
	if (ike_msgid_seen(sa, m->msgid)) {
		ike_log("%s: QM1 %08x: its exchange is over (a replay?): ignored", sa->cfg->name,
			m->msgid);
		return NULL;
	}
	qm = qm_new(sa, m->msgid, false);
	if (!qm)
		return NULL;
	ike_log_msg("QM1", false, ike_rx_from(sa), m);
	sa_pl = isakmp_find(m, ISAKMP_NP_SA, NULL);
	ret = sa_pl ? prop_select_esp(sa_pl, props, sa->cfg->n_esp, &qm->prop, &qm->spi_i, why,
				      sizeof(why))
		    : ISAKMP_N_PAYLOAD_MALFORMED;
	if (ret) {
		ike_log("%s: QM1: %s", sa->cfg->name, sa_pl ? why : "no SA payload");
		info_notify(sa, (uint16_t)ret);
		goto drop;
	}
	qm->nr_len = IKE_NONCE_LEN;
	ret = take_payloads(sa, qm, m, qm->ni, &qm->ni_len);
	if (ret || take_spi(sa->ctx, qm) || ike_random(qm->nr, qm->nr_len) ||
	    (qm->prop.pfs_group && ike_dh_public(qm->dh, gx))) {
		ike_log("%s: QM1 refused: %s", sa->cfg->name,
			isakmp_notify_name(ret ? (uint16_t)ret : ISAKMP_N_PAYLOAD_MALFORMED));
		if (ret)
			info_notify(sa, (uint16_t)ret);
		goto drop;
	}
	memcpy(qm->iv, next_iv, sa->keys.block);

	isakmp_build_header(&b, sa->icookie, sa->rcookie, ISAKMP_XCHG_QUICK, 0, m->msgid);
	hash_off = reserve_hash(sa, &b);
	prop_build_esp(&b, &qm->prop, 1, qm->spi_r);
	isakmp_add(&b, ISAKMP_NP_NONCE, qm->nr, qm->nr_len);
	if (qm->prop.pfs_group)
		isakmp_add(&b, ISAKMP_NP_KE, gx, ike_dh_pub_len(qm->prop.pfs_group));
	if (qm->idci_len) {
		isakmp_add(&b, ISAKMP_NP_ID, qm->idci, qm->idci_len);
		isakmp_add(&b, ISAKMP_NP_ID, qm->idcr, qm->idcr_len);
	}
	put_responder_lifetime(sa, qm, &b);
	isakmp_finish(&b);
	struct chunk ni = { qm->ni, qm->ni_len };
	if (fill_hash(sa, &b, hash_off, m->msgid, &ni))
		goto drop;
	ike_log_built("QM2", &sa->peer, &b);
	if (ike_encrypt(sa, &b, qm->iv))
		goto drop;
	/* Our inbound SA first: the initiator sends on it as soon as it has QM2. */
	if (!install(sa, qm, CHILD_IN)) {
		ike_warn("%s: QM1: the kernel refused our inbound SA %08x: answering "
			 "NO-PROPOSAL-CHOSEN, not QM2",
			 sa->cfg->name, qm->spi_r);
		info_notify(sa, ISAKMP_N_NO_PROPOSAL_CHOSEN);
		goto drop;
	}
	ike_send(sa, &qm->rt, &b, "QM2", true);
	qm->state = QM_R_QM2_SENT;
	return &qm->rt;
drop:
	qm_remove(sa, qm);
	return NULL;
}

static int hash3(struct ike_sa *sa, struct quick_mode *qm, uint8_t *out)
{
	const uint8_t zero = 0;
	uint8_t id[4] = { qm->msgid >> 24, qm->msgid >> 16, qm->msgid >> 8, qm->msgid };
	struct chunk parts[] = {
		{ &zero, 1 }, { id, 4 }, { qm->ni, qm->ni_len }, { qm->nr, qm->nr_len }
	};

	return ike_prf(sa->keys.hash, sa->keys.skeyid_a, sa->keys.hash_len, parts, 4, out);
}

/* QM2 received by the initiator: check, answer QM3, install. */
static struct retransmit *process_qm2(struct ike_sa *sa, struct quick_mode *qm,
				      struct isakmp_msg *m)
{
	uint8_t plain[ISAKMP_MAX_MSG], next_iv[IKE_MAX_BLOCK], h[IKE_MAX_HASH];
	const struct isakmp_payload *sa_pl;
	struct esp_prop props[PROP_MAX];
	struct isakmp_builder b;
	uint32_t spi_echo = 0;
	char why[200];
	int ret;

	our_proposals(sa, props);
	ret = ike_decrypt(sa, m, plain, qm->iv, next_iv);
	if (!ret) {
		struct chunk ni = { qm->ni, qm->ni_len };

		ret = check_hash(sa, m, &ni);
	}
	if (!ret)
		ret = nat_check_oa(sa, m);
	if (ret) {
		ike_log("%s: QM2 refused: %s", sa->cfg->name, isakmp_notify_name((uint16_t)ret));
		return NULL;
	}
	ike_log_msg("QM2", false, ike_rx_from(sa), m);
	sa_pl = isakmp_find(m, ISAKMP_NP_SA, NULL);
	ret = sa_pl ? prop_select_esp(sa_pl, props, sa->cfg->n_esp, &qm->prop, &spi_echo, why,
				      sizeof(why))
		    : ISAKMP_N_PAYLOAD_MALFORMED;
	if (!ret)
		ret = take_payloads(sa, qm, m, qm->nr, &qm->nr_len);
	if (ret) {
		ike_log("%s: QM2: %s", sa->cfg->name,
			ret == ISAKMP_N_NO_PROPOSAL_CHOSEN ? why
							   : isakmp_notify_name((uint16_t)ret));
		return NULL;
	}
	qm->spi_r = spi_echo;
	take_responder_lifetime(sa, qm, m);
	memcpy(qm->iv, next_iv, sa->keys.block);
	qm->rt.next_ms = 0;

	isakmp_build_header(&b, sa->icookie, sa->rcookie, ISAKMP_XCHG_QUICK, 0, m->msgid);
	if (hash3(sa, qm, h))
		return NULL;
	isakmp_add(&b, ISAKMP_NP_HASH, h, sa->keys.hash_len);
	isakmp_finish(&b);
	ike_log_built("QM3", &sa->peer, &b);
	if (ike_encrypt(sa, &b, qm->iv))
		return NULL;
	/* Our inbound SA first: the responder sends on it as soon as it has QM3. */
	if (!install(sa, qm, CHILD_IN)) {
		ike_warn("%s: QM2: the kernel refused our inbound SA %08x: no QM3; deleting the "
			 "responder's half",
			 sa->cfg->name, qm->spi_i);
		info_delete_esp(sa, qm->spi_i);
		qm->state = QM_DONE;
		qm->done_ms = sa->ctx->now_ms;
		return NULL;
	}
	ike_send(sa, &qm->rt, &b, "QM3", false);
	/*
	 * A rekey: the responder may add its SAs only once it has QM3 (charon
	 * does), and until then drops what we send on the new pair. Keep
	 * sending on the old one until the peer's first packet on the new pair
	 * shows it in, or QM_SWITCH_MS (rekey.c).
	 */
	qm->switch_ms = rekey_switch_by(sa, qm);
	if (qm->installed && qm->switch_ms) {
		qm->state = QM_I_QM3_SENT;
		return &qm->rt;
	}
	install(sa, qm, qm->installed ? CHILD_OUT : CHILD_IN | CHILD_OUT);
	return &qm->rt;
}

void qm_switch_out(struct ike_sa *sa, struct quick_mode *qm)
{
	install(sa, qm, CHILD_OUT);
}

/* QM3 received by the responder: check HASH(3), install. */
static void process_qm3(struct ike_sa *sa, struct quick_mode *qm, struct isakmp_msg *m)
{
	uint8_t plain[ISAKMP_MAX_MSG], next_iv[IKE_MAX_BLOCK], h[IKE_MAX_HASH];
	int ret;

	ret = ike_decrypt(sa, m, plain, qm->iv, next_iv);
	if (!ret &&
	    (m->n < 1 || m->p[0].type != ISAKMP_NP_HASH || m->p[0].len != sa->keys.hash_len))
		ret = ISAKMP_N_PAYLOAD_MALFORMED;
	if (!ret && (hash3(sa, qm, h) || CRYPTO_memcmp(h, m->p[0].body, sa->keys.hash_len)))
		ret = ISAKMP_N_INVALID_HASH_INFORMATION;
	if (ret) {
		ike_log("%s: QM3 refused: %s", sa->cfg->name, isakmp_notify_name((uint16_t)ret));
		return;
	}
	ike_log_msg("QM3", false, ike_rx_from(sa), m);
	dpd_alive(sa);
	nat_follow(sa);
	memcpy(qm->iv, next_iv, sa->keys.block);
	qm->rt.next_ms = 0;
	install(sa, qm, qm->installed ? CHILD_OUT : CHILD_IN | CHILD_OUT);
}

struct quick_mode *qm_find(const struct ike_sa *sa, uint32_t msgid)
{
	struct quick_mode *qm;

	for (qm = sa->qms; qm; qm = qm->next)
		if (qm->msgid == msgid)
			return qm;
	return NULL;
}

struct retransmit *qm_input(struct ike_sa *sa, struct quick_mode *qm, struct isakmp_msg *m)
{
	if (!qm)
		return respond(sa, m);
	if (qm->state == QM_I_QM1_SENT)
		return process_qm2(sa, qm, m);
	if (qm->state == QM_R_QM2_SENT)
		process_qm3(sa, qm, m);
	return NULL;
}
