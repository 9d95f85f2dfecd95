// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's writes to the kernel: RTM_NEWLINK for a missing device over
 * rtnetlink, and SET_DEVICE / NEW_SA / DEL_SA over the esptun genl family
 * through kernel.c; and one read, an SA's packet counter for DPD and
 * path.c. Keys pass through here only in memory that is wiped.
 */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <linux/esptun.h>
#include <netlink/netlink.h>
#include <openssl/crypto.h>

#include "../kernel.h"
#include "../reply.h"
#include "install.h"

static int fill_name(struct nl_msg *msg, uint8_t cmd, const void *arg);

int install_flush(const struct tunnel_cfg *t)
{
	if (kernel_execute(ESPTUN_CMD_FLUSH_SA, false, fill_name, t, NULL, NULL)) {
		ike_warn("%s: cannot remove the SAs the device holds", t->name);
		return -1;
	}
	ike_log("%s: removed any SAs the device held", t->name);
	return 0;
}

int install_device(const struct tunnel_cfg *t)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC,
				 .ifi_flags = IFF_UP,
				 .ifi_change = IFF_UP };
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct nlattr *info;
	int ret = -1;

	/*
	 * No if_nametoindex() first: for a missing name the kernel runs
	 * modprobe for a "netdev-NAME" module, 0.4 s per device under TCG.
	 * An existing device answers EEXIST, which is fine.
	 */
	sk = nl_socket_alloc();
	msg = nlmsg_alloc_simple(RTM_NEWLINK,
				 NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	if (sk && msg && !nl_connect(sk, NETLINK_ROUTE) &&
	    !nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) &&
	    !nla_put_string(msg, IFLA_IFNAME, t->name) &&
	    (info = nla_nest_start(msg, IFLA_LINKINFO)) &&
	    !nla_put_string(msg, IFLA_INFO_KIND, "esptun")) {
		nla_nest_end(msg, info);
		ret = nl_send_auto(sk, msg) < 0 ? -NLE_FAILURE : nl_wait_for_ack(sk);
	}
	/*
	 * A device that exists already may hold the SAs of a daemon before us.
	 * None of our IKE SAs knows them, the peer drops its end once we
	 * negotiate anew (INITIAL-CONTACT), and their SPIs could collide with
	 * the ones we choose.
	 */
	if (ret == -NLE_EXIST)
		ret = install_flush(t);
	else if (ret)
		ike_warn("%s: cannot create the esptun device (is esptun.ko loaded?)", t->name);
	else
		ike_log("%s: created the esptun device", t->name);
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ret;
}

/* A device and where it sends ESP, as SET_DEVICE needs them. */
struct device_ep {
	const struct tunnel_cfg *t;
	const struct ike_endpoint *ep;
};

static int fill_device(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct device_ep *d = arg;
	const struct tunnel_cfg *t = d->t;
	const struct sockaddr_storage *peer = &d->ep->peer;
	int alen = t->family == AF_INET ? 4 : 16;
	const void *remote = t->remote;
	uint16_t dport = 0;

	(void)cmd;
	/* The peer's address as IKE last saw it: a NAT may have moved it. */
	if (peer->ss_family == AF_INET && t->family == AF_INET) {
		remote = &((const struct sockaddr_in *)peer)->sin_addr;
		dport = ntohs(((const struct sockaddr_in *)peer)->sin_port);
	} else if (peer->ss_family == AF_INET6 && t->family == AF_INET6) {
		remote = &((const struct sockaddr_in6 *)peer)->sin6_addr;
		dport = ntohs(((const struct sockaddr_in6 *)peer)->sin6_port);
	}
	/* ENCAP always: a device that had UDP for an earlier peer mapping may need plain ESP now. */
	if (nla_put_string(msg, ESPTUN_A_IFNAME, t->name) ||
	    nla_put(msg, ESPTUN_A_LOCAL, alen, t->local) ||
	    nla_put(msg, ESPTUN_A_REMOTE, alen, remote) ||
	    nla_put_u8(msg, ESPTUN_A_ENCAP, d->ep->udp ? ESPTUN_ENCAP_UDP : ESPTUN_ENCAP_NONE))
		return -NLE_NOMEM;
	if (d->ep->udp && (nla_put_u16(msg, ESPTUN_A_SPORT, d->ep->sport) ||
			   nla_put_u16(msg, ESPTUN_A_DPORT, dport)))
		return -NLE_NOMEM;
	return 0;
}

int install_endpoint(const struct tunnel_cfg *t, const struct ike_endpoint *ep)
{
	struct device_ep d = { t, ep };
	char addr[64];

	ike_addr_str(&ep->peer, addr, sizeof(addr));
	if (kernel_execute(ESPTUN_CMD_SET_DEVICE, false, fill_device, &d, NULL, NULL)) {
		ike_warn("%s: setting the device's endpoint to %s failed", t->name, addr);
		return -1;
	}
	if (ep->udp)
		ike_log("%s: ESP in UDP from port %u to %s", t->name, ep->sport, addr);
	return 0;
}

/* One direction of a child SA, as NEW_SA needs it. */
struct one_sa {
	const struct child_sa *c;
	uint8_t dir;
};

/*
 * The agreed pair as the SA's selector, written in the direction of the
 * packets it carries: the inbound SA's come from the remote side. None
 * for 0/0 <-> 0/0, so a route-based device takes the fast path as before.
 */
static int put_selector(struct nl_msg *msg, const struct child_sel *s, bool in)
{
	int alen = s->family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	if (s->any)
		return 0;
	if (!(nest = nla_nest_start(msg, ESPTUN_A_SA_SELECTOR)) ||
	    nla_put(msg, ESPTUN_A_SEL_SRC, alen, in ? s->remote : s->local) ||
	    nla_put_u8(msg, ESPTUN_A_SEL_SRC_LEN, in ? s->remote_len : s->local_len) ||
	    nla_put(msg, ESPTUN_A_SEL_DST, alen, in ? s->local : s->remote) ||
	    nla_put_u8(msg, ESPTUN_A_SEL_DST_LEN, in ? s->local_len : s->remote_len) ||
	    (s->proto && nla_put_u8(msg, ESPTUN_A_SEL_PROTO, s->proto)) ||
	    ((in ? s->remote_port : s->local_port) &&
	     nla_put_u16(msg, ESPTUN_A_SEL_SPORT, in ? s->remote_port : s->local_port)) ||
	    ((in ? s->local_port : s->remote_port) &&
	     nla_put_u16(msg, ESPTUN_A_SEL_DPORT, in ? s->local_port : s->remote_port)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

int install_sa_request(struct nl_msg *msg, const struct child_sa *c, uint8_t dir)
{
	const struct esp_kernel_alg *a = &c->alg;
	bool in = dir == ESPTUN_DIR_IN;
	const uint8_t *key = in ? c->key_in : c->key_out;
	struct nlattr *sa, *life;
	int ret;

	if (nla_put_string(msg, ESPTUN_A_IFNAME, c->cfg->name) ||
	    !(sa = nla_nest_start(msg, ESPTUN_A_SA)))
		return -NLE_NOMEM;
	ret = nla_put_u8(msg, ESPTUN_A_SA_DIR, dir) ||
	      nla_put_u32(msg, ESPTUN_A_SA_SPI, in ? c->spi_in : c->spi_out) ||
	      nla_put_u32(msg, ESPTUN_A_SA_ICV_BITS, a->icv_bits);
	if (!ret && a->aead)
		ret = nla_put_string(msg, ESPTUN_A_SA_AEAD, a->aead) ||
		      nla_put(msg, ESPTUN_A_SA_ENC_KEY, (int)a->enc_key_len, key);
	/* KEYMAT holds the cipher key first, then the HMAC key (RFC 2409 5.5). */
	if (!ret && !a->aead)
		ret = nla_put_string(msg, ESPTUN_A_SA_ENC, a->enc) ||
		      nla_put_string(msg, ESPTUN_A_SA_AUTH, a->auth) ||
		      nla_put(msg, ESPTUN_A_SA_ENC_KEY, (int)a->enc_key_len, key) ||
		      nla_put(msg, ESPTUN_A_SA_AUTH_KEY, (int)a->auth_key_len,
			      key + a->enc_key_len);
	if (!ret && (c->life_s || c->life_kb)) {
		ret = !(life = nla_nest_start(msg, ESPTUN_A_SA_LIFETIME)) ||
		      (c->life_s && nla_put_u64(msg, ESPTUN_A_LIFETIME_HARD_SECONDS, c->life_s)) ||
		      (c->soft_s && nla_put_u64(msg, ESPTUN_A_LIFETIME_SOFT_SECONDS, c->soft_s)) ||
		      (c->life_kb && nla_put_u64(msg, ESPTUN_A_LIFETIME_HARD_BYTES,
						 (uint64_t)c->life_kb * 1024)) ||
		      (c->soft_bytes &&
		       nla_put_u64(msg, ESPTUN_A_LIFETIME_SOFT_BYTES, c->soft_bytes));
		if (!ret)
			nla_nest_end(msg, life);
	}
	if (!ret)
		ret = put_selector(msg, &c->sel, in);
	nla_nest_end(msg, sa);
	return ret ? -NLE_NOMEM : 0;
}

static int fill_sa(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct one_sa *o = arg;

	(void)cmd;
	return install_sa_request(msg, o->c, o->dir);
}

int install_child(const struct child_sa *c)
{
	struct one_sa in = { c, ESPTUN_DIR_IN }, out = { c, ESPTUN_DIR_OUT };
	char sel[128];

	/*
	 * Inbound first: the peer may send on its new outbound SA as soon as it
	 * has one. A new outbound SA replaces the device's old one atomically.
	 */
	if (install_endpoint(c->cfg, &c->ep) ||
	    ((c->dirs & CHILD_IN) &&
	     kernel_execute(ESPTUN_CMD_NEW_SA, false, fill_sa, &in, NULL, NULL))) {
		ike_warn("%s: installing SAs %08x/%08x into the kernel failed", c->cfg->name,
			 c->spi_in, c->spi_out);
		return -1;
	}
	if ((c->dirs & CHILD_OUT) &&
	    kernel_execute(ESPTUN_CMD_NEW_SA, false, fill_sa, &out, NULL, NULL)) {
		ike_warn("%s: installing outbound SA %08x into the kernel failed", c->cfg->name,
			 c->spi_out);
		/* The caller takes the pair as not added: leave no inbound half behind. */
		if (c->dirs & CHILD_IN)
			remove_child(c->cfg, c->spi_in, 0);
		return -1;
	}
	if (c->dirs & CHILD_IN)
		ike_log("%s: installed inbound SA %08x", c->cfg->name, c->spi_in);
	if (c->dirs & CHILD_OUT) {
		ike_log("%s: installed outbound SA %08x", c->cfg->name, c->spi_out);
		/* The pair is complete: what it carries, as show crypto ipsec sa has it. */
		ts_sel_str(&c->sel, sel, sizeof(sel));
		ike_log("%s: child SA in %08x out %08x %s", c->cfg->name, c->spi_in, c->spi_out,
			sel);
	}
	return 0;
}

/* Device, direction and SPI: what DEL_SA needs. */
static int fill_one(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct one_sa *o = arg;
	const struct child_sa *c = o->c;
	struct nlattr *sa;
	bool in = o->dir == ESPTUN_DIR_IN;

	(void)cmd;
	if (nla_put_string(msg, ESPTUN_A_IFNAME, c->cfg->name) ||
	    !(sa = nla_nest_start(msg, ESPTUN_A_SA)) || nla_put_u8(msg, ESPTUN_A_SA_DIR, o->dir) ||
	    nla_put_u32(msg, ESPTUN_A_SA_SPI, in ? c->spi_in : c->spi_out))
		return -NLE_NOMEM;
	nla_nest_end(msg, sa);
	return 0;
}

int remove_child(const struct tunnel_cfg *t, uint32_t spi_in, uint32_t spi_out)
{
	struct child_sa c = { .cfg = t, .spi_in = spi_in, .spi_out = spi_out };
	struct one_sa in = { &c, ESPTUN_DIR_IN }, out = { &c, ESPTUN_DIR_OUT };
	/* Outbound first, so nothing more is sent on a pair whose inbound half is gone. */
	int ret =
		spi_out ? kernel_execute(ESPTUN_CMD_DEL_SA, false, fill_one, &out, NULL, NULL) : 0;

	ret |= kernel_execute(ESPTUN_CMD_DEL_SA, false, fill_one, &in, NULL, NULL);
	if (spi_out)
		ike_log("%s: %s inbound SA %08x and outbound SA %08x", t->name,
			ret ? "could not remove" : "removed", spi_in, spi_out);
	else
		ike_log("%s: %s inbound SA %08x (its outbound twin was replaced)", t->name,
			ret ? "could not remove" : "removed", spi_in);
	return ret ? -1 : 0;
}

static int got_device(uint8_t cmd, struct nlattr **attrs, void *arg)
{
	struct tunnel_packets *tp = arg;
	struct nlattr *nest;
	struct sa_info sa;
	int rem;

	(void)cmd;
	tp->n = 0;
	if (!attrs[ESPTUN_A_SAS])
		return 0;
	nla_for_each_nested(nest, attrs[ESPTUN_A_SAS], rem) {
		if (nla_type(nest) != ESPTUN_A_SA)
			continue;
		if (sa_info_parse(nest, &sa) || tp->n == sizeof(tp->sa) / sizeof(tp->sa[0]))
			return 1;
		tp->sa[tp->n].in = sa.dir == ESPTUN_DIR_IN;
		tp->sa[tp->n].spi = sa.spi;
		tp->sa[tp->n].packets = sa.stats[ESPTUN_A_STATS_PACKETS];
		tp->sa[tp->n++].last_ms = sa.stats[ESPTUN_A_STATS_LAST_MS];
	}
	return 0;
}

static int fill_name(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct tunnel_cfg *t = arg;

	(void)cmd;
	return nla_put_string(msg, ESPTUN_A_IFNAME, t->name);
}

int tunnel_packets_get(const struct tunnel_cfg *t, struct tunnel_packets *tp)
{
	return kernel_execute(ESPTUN_CMD_GET_DEVICE, false, fill_name, t, got_device, tp) ? -1 : 0;
}

const struct tunnel_sa_use *tunnel_packets_of(const struct tunnel_packets *tp, bool in,
					      uint32_t spi)
{
	for (size_t i = 0; i < tp->n; i++)
		if (tp->sa[i].in == in && tp->sa[i].spi == spi)
			return &tp->sa[i];
	return NULL;
}
