// SPDX-License-Identifier: GPL-2.0
/*
 * Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): notifications and
 * deletes, protected by HASH(1) once phase 1 is up, plain before it, and
 * DPD (RFC 3706) R-U-THERE answered with R-U-THERE-ACK (our probes: dpd.c).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa.h"
#include "lifecycle.h"

int ike_hash_msgid(struct ike_sa *sa, uint32_t msgid, const struct chunk *parts, size_t n,
		   uint8_t *out)
{
	uint8_t id[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid };
	struct chunk all[4] = { { id, 4 } };
	size_t i;

	if (n > 3)
		return -1;
	for (i = 0; i < n; i++)
		all[i + 1] = parts[i];
	return ike_prf(sa->keys.hash, sa->keys.skeyid_a, sa->keys.hash_len, all, n + 1, out);
}

void info_put_notify(struct isakmp_builder *b, const uint8_t icookie[8], const uint8_t rcookie[8],
		     uint16_t type, const uint8_t *data, size_t data_len)
{
	size_t off = isakmp_begin(b, ISAKMP_NP_N);

	isakmp_put32(b, ISAKMP_DOI_IPSEC);
	isakmp_put8(b, ISAKMP_PROTO_ISAKMP);
	isakmp_put8(b, 16);
	isakmp_put16(b, type);
	isakmp_put(b, icookie, 8);
	isakmp_put(b, rcookie, 8);
	isakmp_put(b, data, data_len);
	isakmp_end(b, off);
}

void info_notify_plain(struct ike_ctx *ctx, const struct sockaddr_storage *to,
		       const uint8_t icookie[8], const uint8_t rcookie[8], uint16_t type)
{
	struct isakmp_builder b;

	isakmp_build_header(&b, icookie, rcookie, ISAKMP_XCHG_INFO, 0, 0);
	info_put_notify(&b, icookie, rcookie, type, NULL, 0);
	isakmp_finish(&b);
	if (b.err)
		return;
	ike_log_built("INFO", to, &b);
	ike_log("  notify %s", isakmp_notify_name(type));
	/* An answer to the datagram in hand: from the port it came to. */
	ctx->send(ctx->arg, to, ctx->rx_natt, b.buf, b.len);
}

/* What one protected informational message carries: a notify, or a delete when DEL_PROTO is set. */
struct info_payload {
	uint16_t notify;
	const uint8_t *data;
	size_t data_len;
	uint8_t del_proto;
	uint32_t del_spi; /* ESP; for ISAKMP the cookies are the SPI */
};

static void put_delete(struct isakmp_builder *b, const struct ike_sa *sa,
		       const struct info_payload *p)
{
	size_t off = isakmp_begin(b, ISAKMP_NP_D);

	isakmp_put32(b, ISAKMP_DOI_IPSEC);
	isakmp_put8(b, p->del_proto);
	isakmp_put8(b, p->del_proto == ISAKMP_PROTO_ISAKMP ? 16 : 4);
	isakmp_put16(b, 1);
	if (p->del_proto == ISAKMP_PROTO_ISAKMP) {
		isakmp_put(b, sa->icookie, 8);
		isakmp_put(b, sa->rcookie, 8);
	} else {
		isakmp_put32(b, p->del_spi);
	}
	isakmp_end(b, off);
}

/* Send one informational message protected by HASH(1) in a new exchange. */
static void send_protected(struct ike_sa *sa, const struct info_payload *p)
{
	uint8_t iv[IKE_MAX_BLOCK];
	struct isakmp_builder b;
	uint32_t msgid = 0;
	size_t hash_off;
	static const uint8_t zero[IKE_MAX_HASH];

	while (!msgid)
		if (ike_random(&msgid, sizeof(msgid)))
			return;
	if (ike_keys_msgid_iv(&sa->keys, sa->iv, msgid, iv))
		return;
	isakmp_build_header(&b, sa->icookie, sa->rcookie, ISAKMP_XCHG_INFO, 0, msgid);
	isakmp_add(&b, ISAKMP_NP_HASH, zero, sa->keys.hash_len);
	hash_off = b.len - sa->keys.hash_len;
	if (p->del_proto)
		put_delete(&b, sa, p);
	else
		info_put_notify(&b, sa->icookie, sa->rcookie, p->notify, p->data, p->data_len);
	isakmp_finish(&b);
	struct chunk rest = { b.buf + hash_off + sa->keys.hash_len,
			      b.len - hash_off - sa->keys.hash_len };
	if (b.err || ike_hash_msgid(sa, msgid, &rest, 1, b.buf + hash_off))
		return;
	ike_log_built("INFO", &sa->peer, &b);
	if (p->del_proto == ISAKMP_PROTO_ESP)
		ike_log("  delete ESP SA %08x", p->del_spi);
	else if (p->del_proto)
		ike_log("  delete IKE SA");
	else
		ike_log("  notify %s", isakmp_notify_name(p->notify));
	if (ike_encrypt(sa, &b, iv))
		return;
	ike_sendto(sa, b.buf, b.len, false);
}

void info_delete_all(struct ike_sa *sa)
{
	struct quick_mode *qm;

	if (sa->state != MM_ESTABLISHED)
		return;
	/* Our inbound SPIs name the SAs to the peer (RFC 2408 3.15); then the IKE SA itself. */
	for (qm = sa->qms; qm; qm = qm->next) {
		struct info_payload esp = { .del_proto = ISAKMP_PROTO_ESP, .del_spi = qm->spi_in };

		if (!qm->installed)
			continue;
		if (!qm->delete_sent)
			send_protected(sa, &esp);
		rekey_remove(sa, qm);
	}
	info_delete_ike(sa);
	sa->state = MM_DEAD;
	ike_sa_due_by(sa, sa->ctx->now_ms); /* to be freed */
}

void info_delete_ike(struct ike_sa *sa)
{
	struct info_payload isakmp = { .del_proto = ISAKMP_PROTO_ISAKMP };

	if (sa->state == MM_ESTABLISHED)
		send_protected(sa, &isakmp);
}

int info_delete_tunnel(struct ike_ctx *ctx, const struct tunnel_cfg *cfg)
{
	struct ike_sa *sa, *next;
	int n = 0;

	for (sa = tunnels_match(tunnels_chain(ctx, cfg->name), cfg, NULL); sa; sa = next) {
		next = tunnels_match(sa->by_tunnel.next, cfg, NULL);
		info_delete_all(sa);
		ike_sa_clear_children(sa); /* what a dead or half-open SA still holds */
		ike_sa_free(sa);
		n++;
	}
	return n;
}

void info_delete_esp(struct ike_sa *sa, uint32_t spi)
{
	struct info_payload p = { .del_proto = ISAKMP_PROTO_ESP, .del_spi = spi };

	send_protected(sa, &p);
}

void info_notify(struct ike_sa *sa, uint16_t type)
{
	info_notify_data(sa, type, NULL, 0);
}

void info_notify_data(struct ike_sa *sa, uint16_t type, const uint8_t *data, size_t len)
{
	struct info_payload p = { .notify = type, .data = data, .data_len = len };

	send_protected(sa, &p);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void handle_notify(struct ike_sa *sa, const struct isakmp_payload *pl)
{
	struct isakmp_notify_info n;

	if (isakmp_notify_parse(pl, &n))
		return;
	if (n.type == ISAKMP_N_R_U_THERE) {
		/* The ACK carries the same sequence number: one reply per request. */
		struct info_payload ack = { .notify = ISAKMP_N_R_U_THERE_ACK,
					    .data = n.data,
					    .data_len = 4 };
		bool newer;

		if (n.data_len != 4 || !dpd_peer_probe(sa, be32(n.data), &newer))
			return;
		/* The last one again: the peer lost our ACK. Answered, but not a new probe. */
		send_protected(sa, &ack);
		if (newer)
			path_peer_probe(sa);
		return;
	}
	if (n.type == ISAKMP_N_R_U_THERE_ACK) {
		if (n.data_len == 4)
			dpd_ack(sa, be32(n.data));
		return;
	}
	ike_log("%s: the peer notifies %s (%u)", sa->cfg->name, isakmp_notify_name(n.type), n.type);
	/* An authenticated error ends our pending Quick Modes: no point retrying them. */
	if (n.type < 16384) {
		struct quick_mode *qm;

		for (qm = sa->qms; qm; qm = qm->next) {
			if (qm->state != QM_I_QM1_SENT)
				continue;
			ike_log("%s: Quick Mode %08x failed: the peer answered %s", sa->cfg->name,
				qm->msgid, isakmp_notify_name(n.type));
			qm->rt.next_ms = 0;
			qm->state = QM_DONE;
		}
	}
}

static void handle_delete(struct ike_sa *sa, const struct isakmp_payload *pl)
{
	struct isakmp_delete_info d;
	uint16_t i;

	if (isakmp_delete_parse(pl, &d))
		return;
	if (d.protocol == ISAKMP_PROTO_ISAKMP) {
		/* RFC 2408 3.15: the SPIs are cookie pairs; only one naming this SA ends it. */
		for (i = 0; d.spi_size == 16 && i < d.nspis; i++)
			if (!memcmp(d.spis + 16 * i, sa->icookie, 8) &&
			    !memcmp(d.spis + 16 * i + 8, sa->rcookie, 8))
				break;
		if (d.spi_size != 16 || i == d.nspis) {
			ike_log("%s: the peer deleted an IKE SA other than this one: ignored",
				sa->cfg->name);
			return;
		}
		ike_log("%s: the peer deleted the IKE SA", sa->cfg->name);
		sa->state = MM_DEAD;
		return;
	}
	for (i = 0; d.protocol == ISAKMP_PROTO_ESP && d.spi_size == 4 && i < d.nspis; i++) {
		uint32_t spi = be32(d.spis + 4 * i);
		struct quick_mode *qm = NULL;
		struct ike_sa *owner;

		/*
		 * The peer names its inbound SA: our outbound one, removed with its
		 * inbound half. Under any IKE SA with the peer (RFC 2408 5.15): after
		 * simultaneous negotiations the two ends may file a pair differently.
		 */
		for_each_tunnel_sa(owner, sa->ctx, sa->cfg) {
			for (qm = owner->qms; qm; qm = qm->next)
				if (qm->installed && qm->spi_out == spi)
					break;
			if (qm)
				break;
		}
		ike_log("%s: the peer deleted its ESP SA %08x%s", sa->cfg->name, spi,
			qm ? "" : " (not one of ours)");
		if (!qm)
			continue;
		rekey_remove(owner, qm);
		qm->rt.next_ms = 0; /* a QM2 still waiting for QM3 waits no more */
	}
}

void info_input(struct ike_sa *sa, struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	uint8_t plain[ISAKMP_MAX_MSG], iv[IKE_MAX_BLOCK], next_iv[IKE_MAX_BLOCK], h[IKE_MAX_HASH];
	size_t i;
	int ret;

	(void)buf;
	(void)len;
	if (m->msgid == 0 || ike_keys_msgid_iv(&sa->keys, sa->iv, m->msgid, iv))
		return;
	ret = ike_decrypt(sa, m, plain, iv, next_iv);
	if (!ret &&
	    (m->n < 2 || m->p[0].type != ISAKMP_NP_HASH || m->p[0].len != sa->keys.hash_len))
		ret = ISAKMP_N_PAYLOAD_MALFORMED;
	if (!ret) {
		struct chunk rest = ike_after_hash(m);

		if (ike_hash_msgid(sa, m->msgid, &rest, 1, h) ||
		    CRYPTO_memcmp(h, m->p[0].body, sa->keys.hash_len))
			ret = ISAKMP_N_INVALID_HASH_INFORMATION;
	}
	if (ret) {
		ike_log("%s: INFO refused: %s", sa->cfg->name, isakmp_notify_name((uint16_t)ret));
		return;
	}
	nat_follow(sa); /* before any answer, which goes where the peer is now */
	reauth_count(sa, m->body_len);
	ike_log_msg("INFO", false, ike_rx_from(sa), m);
	for (i = 1; i < m->n; i++) {
		if (m->p[i].type == ISAKMP_NP_N)
			handle_notify(sa, &m->p[i]);
		else if (m->p[i].type == ISAKMP_NP_D)
			handle_delete(sa, &m->p[i]);
	}
	dpd_alive(sa); /* authenticated: the peer is alive, whatever it said */
}
