// SPDX-License-Identifier: GPL-2.0
/*
 * Routes into a tunnel's device and its inner address over rtnetlink
 * (routes.h). An add that finds the route or address there already
 * (EEXIST) leaves it to whoever made it: only what the kernel created for
 * us is remembered, and only that is removed; a route removal also names
 * RTPROT_ESPTUN, so the kernel itself refuses to delete anyone else's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "ike/ike_sa.h"
#include "routes.h"

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int send_msg(struct nl_msg *msg)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret = -NLE_NOMEM;

	if (sk && !nl_connect(sk, NETLINK_ROUTE))
		ret = nl_send_auto(sk, msg) < 0 ? -NLE_FAILURE : nl_wait_for_ack(sk);
	nl_socket_free(sk);
	return ret;
}

/* RTM_NEWROUTE or RTM_DELROUTE: DST via device IFINDEX, ours. 0 or a -NLE_* code. */
static int route_msg(int type, int ifindex, const struct traffic_sel *dst)
{
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)dst->family,
		.rtm_dst_len = (unsigned char)dst->prefix,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = RTPROT_ESPTUN,
		.rtm_scope = RT_SCOPE_LINK,
		.rtm_type = RTN_UNICAST,
	};
	int flags =
		NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);
	int ret = -NLE_NOMEM;

	if (msg && !nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) &&
	    !nla_put(msg, RTA_DST, (int)addr_len(dst->family), dst->addr) &&
	    !nla_put_u32(msg, RTA_OIF, (uint32_t)ifindex))
		ret = send_msg(msg);
	nlmsg_free(msg);
	return ret;
}

/* RTM_NEWADDR or RTM_DELADDR: A (address/prefix) on device IFINDEX. 0 or a -NLE_* code. */
static int addr_msg(int type, int ifindex, const struct traffic_sel *a)
{
	struct ifaddrmsg ifa = {
		.ifa_family = (unsigned char)a->family,
		.ifa_prefixlen = (unsigned char)a->prefix,
		.ifa_index = (unsigned int)ifindex,
	};
	int flags =
		NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);
	int ret = -NLE_NOMEM;

	if (msg && !nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) &&
	    !nla_put(msg, IFA_LOCAL, (int)addr_len(a->family), a->addr) &&
	    !nla_put(msg, IFA_ADDRESS, (int)addr_len(a->family), a->addr))
		ret = send_msg(msg);
	nlmsg_free(msg);
	return ret;
}

static void ts_text(const struct traffic_sel *ts, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(ts->family, ts->addr, addr, sizeof(addr));
	snprintf(buf, len, "%s/%u", addr, ts->prefix);
}

/* T's inner address, once the daemon runs the tunnel. */
static void add_address(struct routes *r, const struct tunnel_cfg *t, int ifindex)
{
	char text[INET6_ADDRSTRLEN + 4];
	int ret;

	ts_text(&t->address, text, sizeof(text));
	ret = addr_msg(RTM_NEWADDR, ifindex, &t->address);
	if (!ret) {
		r->address = t->address;
		ike_log("%s: address %s added", t->name, text);
	} else {
		ike_log("%s: address %s %s", t->name, text,
			ret == -NLE_EXIST ? "is there already: left as it is" : "cannot be added");
	}
}

/* A route into the device per remote-ts; an unset one or a /0 is any address, no route. */
static void add_routes(struct routes *r, const struct tunnel_cfg *t, int ifindex)
{
	char text[INET6_ADDRSTRLEN + 4];
	int ret;

	for (size_t i = 0; i < t->n_remote_ts; i++) {
		/* A default route into the tunnel would take the IKE and ESP to the peer too. */
		if (!t->remote_ts[i].prefix)
			continue;
		ts_text(&t->remote_ts[i], text, sizeof(text));
		ret = route_msg(RTM_NEWROUTE, ifindex, &t->remote_ts[i]);
		if (!ret) {
			r->route[r->n_routes++] = t->remote_ts[i];
			ike_log("%s: route %s dev %s added", t->name, text, t->name);
		} else {
			ike_log("%s: route %s %s", t->name, text,
				ret == -NLE_EXIST ? "exists already: left as it is"
						  : "cannot be added");
		}
	}
}

/* Without the device, its routes and address went with it: IFINDEX 0. */
static void remove_routes(struct routes *r, int ifindex)
{
	char text[INET6_ADDRSTRLEN + 4];

	for (size_t i = 0; ifindex && i < r->n_routes; i++) {
		ts_text(&r->route[i], text, sizeof(text));
		if (route_msg(RTM_DELROUTE, ifindex, &r->route[i]))
			ike_log("%s: route %s: already gone", r->ifname, text);
		else
			ike_log("%s: route %s dev %s removed", r->ifname, text, r->ifname);
	}
	r->n_routes = 0;
	r->up = false;
}

void routes_clear(struct routes *r)
{
	int ifindex = r->managed ? (int)if_nametoindex(r->ifname) : 0;

	remove_routes(r, ifindex);
	if (ifindex && r->address.family && !addr_msg(RTM_DELADDR, ifindex, &r->address))
		ike_log("%s: address removed", r->ifname);
	r->address.family = 0;
	r->managed = false;
}

void routes_sync(struct routes *r, const struct tunnel_cfg *t, bool up)
{
	int ifindex;

	if (r->managed && up == r->up)
		return;
	ifindex = (int)if_nametoindex(t->name);
	if (!r->managed) {
		r->managed = true;
		snprintf(r->ifname, sizeof(r->ifname), "%s", t->name);
		if (ifindex && t->address.family)
			add_address(r, t, ifindex);
	}
	if (up == r->up)
		return;
	if (!up) {
		remove_routes(r, ifindex);
		return;
	}
	r->up = true;
	if (ifindex && t->routes)
		add_routes(r, t, ifindex);
}
