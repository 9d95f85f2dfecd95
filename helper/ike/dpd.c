// SPDX-License-Identifier: GPL-2.0
/*
 * Dead Peer Detection (RFC 3706). Both sides send the DPD vendor ID in
 * their first phase-1 message (phase1.c); when the peer sent it too and
 * dpd-delay is set, a peer quiet for dpd-delay seconds gets an encrypted
 * R-U-THERE with a sequence number, repeated while unanswered; its
 * R-U-THERE-ACK must carry a number we sent. Authenticated IKE traffic and
 * inbound ESP packets (the kernel's counter of our inbound SAs) count as
 * signs of life, so a busy tunnel is never probed. After dpd-timeout
 * without any, dpd-action: clear removes the ESP SAs from the kernel and
 * forgets the IKE SA; restart does the same and initiates again.
 *
 * Answering the peer's R-U-THERE is informational.c's.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike_sa.h"
#include "lifecycle.h"

/* While unanswered, R-U-THERE is repeated this often (or every dpd-delay, if shorter). */
#define DPD_RETRY_MS 10000

static void alive(struct ike_sa *sa)
{
	sa->dpd.alive_ms = sa->ctx->now_ms;
	sa->dpd.probe_ms = 0;
}

void dpd_alive(struct ike_sa *sa)
{
	sa->dpd.heard++;
	alive(sa);
}

void dpd_ack(struct ike_sa *sa, uint32_t seq)
{
	struct dpd *d = &sa->dpd;

	/* Only a number in [first_seq, seq] answers our probes (serial arithmetic). */
	if (!d->probes || seq - d->first_seq > d->seq - d->first_seq) {
		ike_log("%s: DPD: R-U-THERE-ACK %u answers no probe of ours, ignored",
			sa->cfg->name, seq);
		return;
	}
	if (!d->probe_ms)
		return; /* a late answer to a probe already settled */
	ike_log("%s: DPD: R-U-THERE-ACK %u: the peer is alive", sa->cfg->name, seq);
	dpd_alive(sa);
}

bool dpd_peer_probe(struct ike_sa *sa, uint32_t seq, bool *newer)
{
	struct dpd *d = &sa->dpd;

	/* Serial arithmetic: a number up to 2^31 ahead of the last is newer. */
	*newer = !d->have_peer_seq || (seq != d->peer_seq && seq - d->peer_seq < 0x80000000u);
	if (!*newer && seq != d->peer_seq) {
		ike_log("%s: DPD: R-U-THERE %u is older than %u: a replay, ignored", sa->cfg->name,
			seq, d->peer_seq);
		return false;
	}
	d->peer_seq = seq;
	d->have_peer_seq = true;
	return true;
}

/* Whether the inbound ESP SAs received packets since the last check. */
static bool esp_moved(struct ike_sa *sa)
{
	struct ike_ctx *ctx = sa->ctx;
	const struct quick_mode *qm;
	uint64_t sum = 0, n;
	bool known = false;

	if (!ctx->esp_packets)
		return false;
	for (qm = sa->qms; qm; qm = qm->next) {
		if (!qm->installed || ctx->esp_packets(ctx->arg, sa->cfg, true, qm->spi_in, &n))
			continue;
		sum += n;
		known = true;
	}
	if (!known || sum == sa->dpd.esp_packets)
		return false;
	sa->dpd.esp_packets = sum;
	return true;
}

static void probe(struct ike_sa *sa, uint32_t retry_ms)
{
	struct dpd *d = &sa->dpd;
	uint8_t seq[4];
	uint32_t be;

	if (!d->probe_ms) {
		d->probe_ms = sa->ctx->now_ms;
		d->first_seq = d->seq + 1;
	}
	d->seq++;
	d->probes++;
	d->next_ms = sa->ctx->now_ms + retry_ms;
	be = htonl(d->seq);
	memcpy(seq, &be, 4);
	ike_log("%s: DPD: no traffic from the peer for %llus, R-U-THERE %u", sa->cfg->name,
		(unsigned long long)((sa->ctx->now_ms - d->alive_ms) / 1000), d->seq);
	info_notify_data(sa, ISAKMP_N_R_U_THERE, seq, sizeof(seq));
}

void ike_sa_clear_children(struct ike_sa *sa)
{
	struct quick_mode *qm;

	for (qm = sa->qms; qm; qm = qm->next)
		rekey_remove(sa, qm);
}

static void dead(struct ike_sa *sa)
{
	const struct tunnel_cfg *cfg = sa->cfg;
	char addr[64];

	ike_addr_str(&sa->peer, addr, sizeof(addr));
	ike_log("%s: DPD: no answer from %s to %u R-U-THERE in %llus: the peer is dead, %s",
		cfg->name, addr, sa->dpd.seq - sa->dpd.first_seq + 1,
		(unsigned long long)((sa->ctx->now_ms - sa->dpd.probe_ms) / 1000),
		cfg->dpd_action == DPD_RESTART ? "clearing its SAs and restarting"
					       : "clearing its SAs");
	ike_sa_clear_children(sa);
	sa->state = MM_DEAD;
	if (cfg->dpd_action == DPD_RESTART)
		ike_initiate(sa->ctx, cfg);
}

void dpd_tick(struct ike_sa *sa, int64_t *next)
{
	const struct tunnel_cfg *cfg = sa->cfg;
	struct dpd *d = &sa->dpd;
	uint64_t now = sa->ctx->now_ms, delay_ms, timeout_ms;
	uint32_t retry_ms;

	if (sa->state != MM_ESTABLISHED || !sa->peer_dpd || !cfg->dpd_delay)
		return;
	delay_ms = (uint64_t)cfg->dpd_delay * 1000;
	timeout_ms = (uint64_t)(cfg->dpd_timeout ? cfg->dpd_timeout : 5 * cfg->dpd_delay) * 1000;
	retry_ms = delay_ms < DPD_RETRY_MS ? (uint32_t)delay_ms : DPD_RETRY_MS;
	if (!d->probe_ms) {
		if (now < d->alive_ms + delay_ms) {
			ike_timer_at(next, d->alive_ms + delay_ms, now);
			return;
		}
		/* Quiet for dpd-delay as far as IKE knows: did ESP arrive meanwhile? */
		if (esp_moved(sa)) {
			d->alive_ms = now;
			ike_timer_at(next, now + delay_ms, now);
			return;
		}
		probe(sa, retry_ms);
	} else if (esp_moved(sa)) {
		alive(sa); /* ESP, not IKE: the peer may still have lost the IKE SA */
		ike_timer_at(next, now + delay_ms, now);
		return;
	} else if (now >= d->probe_ms + timeout_ms) {
		dead(sa);
		return;
	} else if (now >= d->next_ms) {
		probe(sa, retry_ms);
	}
	ike_timer_at(next, d->next_ms, now);
	ike_timer_at(next, d->probe_ms + timeout_ms, now);
}
