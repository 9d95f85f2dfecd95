// SPDX-License-Identifier: GPL-2.0
/*
 * Does our ESP reach the peer? A path can carry IKE and drop ESP (IP
 * protocol 50), in one direction or both: the tunnel is up and nothing
 * passes. Our counters alone cannot tell a peer that sends nothing from
 * one whose ESP is dropped, but the peer's DPD can: a peer asks R-U-THERE
 * only when it has heard nothing from us for its dpd-delay (RFC 3706
 * section 5.3, as this daemon and strongSwan do), so R-U-THEREs that keep
 * coming while our outbound SA keeps sending say our ESP does not arrive.
 * After esp-timeout of that, and at least two such probes, the log and
 * esptun show say so, and whether the peer's ESP reaches us (our inbound
 * SAs counted packets within esp-timeout).
 *
 * With encap = auto the daemon then negotiates the tunnel again with ESP
 * in UDP forced (a NAT-D hash that cannot match, nat.c), a new phase 1 and
 * Quick Mode beside the old ones; once the new pair is in, the older IKE
 * SAs of the tunnel are deleted with their ESP SAs. A tunnel already in
 * UDP, a peer without NAT-T and encap = never get the diagnosis only.
 *
 * The kernel stamps each SA with the time it last carried a packet, so a
 * probe is judged when it arrives, by what we sent before it: one
 * netlink request per probe, and nothing at all for a tunnel the peer does
 * not probe. (Judging a probe by what we sent after it mistakes a tunnel
 * whose traffic starts just after a routine probe for a blocked one.)
 *
 * Limits: without DPD on the peer there is nothing to go by, and a peer
 * that probes on a fixed schedule whatever the traffic (Cisco's "periodic"
 * DPD) looks like one that does not hear us.
 */
#include "ike_sa.h"

/*
 * "While we send": our outbound SA carried a packet this shortly before
 * the probe. A peer that heard it would ask no sooner than its dpd-delay
 * after it, so the window stays well inside that: half our own dpd-delay
 * (peers are mostly set alike), at most 1 s. A 3 s window counted the
 * probes that followed BGP's sparse packets to a peer with a dpd-delay of
 * 2 s, and so diagnosed a healthy tunnel (seen in CI).
 */
static uint64_t recent_ms(const struct ike_sa *sa)
{
	uint64_t half = (uint64_t)sa->cfg->dpd_delay * 500;

	return half && half < 1000 ? half : 1000;
}

/*
 * When the tunnel's ESP last moved: its inbound SAs (the latest of them)
 * and the outbound SA, 0 for never. False when no outbound SA is in.
 */
static bool last_esp(struct ike_sa *sa, uint64_t *in_ms, uint64_t *out_ms)
{
	struct ike_ctx *ctx = sa->ctx;
	const struct quick_mode *qm;
	bool have_out = false;
	uint64_t ms;

	*in_ms = *out_ms = 0;
	for (qm = sa->qms; qm; qm = qm->next) {
		if (!qm->installed)
			continue;
		if (!ctx->esp_last(ctx->arg, sa->cfg, true, qm->spi_in, &ms) && ms > *in_ms)
			*in_ms = ms;
		if (qm->out_active && !ctx->esp_last(ctx->arg, sa->cfg, false, qm->spi_out, &ms)) {
			*out_ms = ms;
			have_out = true;
		}
	}
	return have_out;
}

static void clear_problem(struct ike_sa *sa)
{
	if (sa->ctx->problem)
		sa->ctx->problem(sa->ctx->arg, sa->cfg, NULL);
}

static uint64_t timeout_ms(const struct ike_sa *sa)
{
	return (uint64_t)sa->cfg->esp_timeout * 1000;
}

/* Whether the tunnel sends ESP in UDP already. */
static bool in_udp(const struct ike_sa *sa)
{
	struct ike_endpoint ep;

	nat_endpoint(sa, &ep);
	return ep.udp;
}

static void fall_back(struct ike_sa *sa, const char *addr)
{
	const struct tunnel_cfg *cfg = sa->cfg;
	const struct ike_sa *o;

	if (cfg->encap != ENCAP_AUTO || in_udp(sa) || !sa->nat.version) {
		ike_log("%s: no fallback to ESP in UDP: %s", cfg->name,
			cfg->encap != ENCAP_AUTO ? "encap is not auto"
			: in_udp(sa)		 ? "ESP already travels in UDP"
						 : "the peer does not speak NAT-T");
		return;
	}
	for_each_tunnel_sa(o, sa->ctx, cfg)
		if (o->encap_fallback && o->state != MM_DEAD)
			return; /* one is under way */
	ike_log("%s: negotiating the tunnel again with ESP in UDP to %s (encap = auto)", cfg->name,
		addr);
	if (!ike_initiate_encap(sa->ctx, cfg, true))
		ike_log("%s: cannot start the fallback negotiation", cfg->name);
}

/* The peer asks while we send; IN_MS: when its ESP last reached us. */
static void diagnose(struct ike_sa *sa, uint64_t in_ms)
{
	struct esp_path *p = &sa->path;
	uint64_t now = sa->ctx->now_ms;
	const char *what = in_udp(sa) ? "UDP 4500 (ESP in UDP)" : "IP protocol 50 (ESP)";
	char addr[64];

	ike_addr_str(&sa->peer, addr, sizeof(addr));
	p->blocked = true;
	if (in_ms + timeout_ms(sa) <= now) {
		ike_problem(sa->ctx, sa->cfg,
			    "IKE reaches %s but ESP does not, either way: %s appears blocked", addr,
			    what);
		/*
		 * Blocked both ways, both sides see it at about the same time,
		 * and two fallbacks started at once cross. The IKE SA's
		 * initiator starts it; its responder only if the initiator's
		 * has not replaced this IKE SA within another timeout.
		 */
		if (!sa->initiator) {
			p->fall_back_ms = now + timeout_ms(sa);
			return;
		}
	} else {
		ike_problem(sa->ctx, sa->cfg,
			    "our ESP does not reach %s (it asks whether we are alive while we "
			    "send), its ESP reaches us: %s appears blocked towards the peer",
			    addr, what);
	}
	fall_back(sa, addr);
}

/* The peer stopped asking, and we sent after its last probe: it hears us (again). */
static void heard(struct ike_sa *sa)
{
	struct esp_path *p = &sa->path;

	p->unheard_ms = 0;
	p->unheard_probes = 0;
	if (!p->blocked)
		return;
	p->blocked = false;
	p->fall_back_ms = 0;
	ike_log("%s: the peer hears our ESP again", sa->cfg->name);
	clear_problem(sa);
}

/*
 * After a probe we sent just before, and at each p->check_ms: diagnose
 * once the signs are enough, clear once the peer stopped asking, and set
 * p->check_ms to when that can next change without another probe.
 */
static void judge(struct ike_sa *sa)
{
	struct esp_path *p = &sa->path;
	uint64_t now = sa->ctx->now_ms, timeout = timeout_ms(sa), in_ms, out_ms;
	bool have_out;

	p->check_ms = 0;
	if (!p->unheard_ms)
		return;
	have_out = last_esp(sa, &in_ms, &out_ms);
	if (now - p->peer_probe_ms > timeout) {
		if (have_out && out_ms > p->peer_probe_ms) {
			heard(sa);
			return;
		}
		/* We sent nothing since: nothing to go by until we do. */
		p->check_ms = now + timeout;
		return;
	}
	p->check_ms = p->peer_probe_ms + timeout + 1;
	if (p->blocked || p->unheard_probes < 2)
		return;
	if (now - p->unheard_ms >= timeout)
		diagnose(sa, in_ms);
	else if (p->unheard_ms + timeout < p->check_ms)
		p->check_ms = p->unheard_ms + timeout;
}

static bool watched(const struct ike_sa *sa)
{
	return sa->state == MM_ESTABLISHED && sa->cfg->esp_timeout && sa->ctx->esp_last;
}

void path_peer_probe(struct ike_sa *sa)
{
	struct esp_path *p = &sa->path;
	uint64_t now = sa->ctx->now_ms, in_ms, out_ms;

	p->peer_probe_ms = now;
	if (!watched(sa))
		return;
	/* A probe of a tunnel that sent nothing just before is the peer's routine, not a sign. */
	if (!last_esp(sa, &in_ms, &out_ms) || out_ms + recent_ms(sa) < now)
		return;
	/*
	 * A sign older than esp-timeout was a passing loss, not this one's
	 * start: kept, it would make a later blip a diagnosis at once.
	 */
	if (p->unheard_ms && now - p->last_unheard_ms > timeout_ms(sa)) {
		p->unheard_ms = 0;
		p->unheard_probes = 0;
	}
	if (!p->unheard_ms)
		p->unheard_ms = now;
	p->last_unheard_ms = now;
	p->unheard_probes++;
	judge(sa);
	if (p->check_ms)
		ike_sa_due_by(sa, p->check_ms);
}

void path_tick(struct ike_sa *sa, int64_t *next)
{
	struct esp_path *p = &sa->path;
	uint64_t now = sa->ctx->now_ms;

	if (!watched(sa))
		return;
	if (p->fall_back_ms && now >= p->fall_back_ms) {
		char addr[64];

		p->fall_back_ms = 0;
		ike_addr_str(&sa->peer, addr, sizeof(addr));
		fall_back(sa, addr);
	}
	if (p->fall_back_ms)
		ike_timer_at(next, p->fall_back_ms, now);
	if (p->check_ms && now >= p->check_ms)
		judge(sa);
	if (p->check_ms)
		ike_timer_at(next, p->check_ms, now);
}

void path_installed(struct ike_sa *sa)
{
	struct ike_sa *o;

	/* A new pair under an IKE SA with no ESP trouble: whatever stood in the way is past. */
	if (!sa->path.blocked)
		clear_problem(sa);
	if (!sa->encap_fallback)
		return;
	for_each_tunnel_sa(o, sa->ctx, sa->cfg) {
		if (o == sa || o->state == MM_DEAD || o->encap_fallback)
			continue;
		ike_log("%s: ESP in UDP is in: deleting the IKE SA that carried plain ESP",
			sa->cfg->name);
		info_delete_all(o);
		o->state = MM_DEAD; /* freed by the next ike_tick() */
	}
}
