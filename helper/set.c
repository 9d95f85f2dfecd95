// SPDX-License-Identifier: GPL-2.0
/*
 * esptun set DEV [local ADDR] [remote ADDR] [encap udp SPORT DPORT | encap none]
 *                [carrier sa|on]
 */
#include "kernel.h"
#include "log.h"
#include "request.h"
#include "subcommands.h"

const char set_usage[] =
	"Usage: esptun set DEV [local ADDR] [remote ADDR] [encap udp SPORT DPORT | encap none]\n"
	"                      [carrier sa|on]\n"
	"\n"
	"Set the outer endpoints of the esptun device DEV and whether its ESP is\n"
	"carried in UDP (RFC 3948). Only what is given changes. LOCAL and REMOTE\n"
	"are IPv4 or IPv6 addresses of the same family; ports are 1..65535.\n"
	"carrier sa (the default): DEV's carrier is on while it has a usable\n"
	"outbound SA, so routes through it go linkdown without one; carrier on:\n"
	"always on, so that the first packet of an on-demand tunnel raises ACQUIRE.\n";

int set_fill(struct nl_msg *msg, uint8_t cmd, const void *arg)
{
	const struct set_request *req = arg;
	int ret = nla_put_string(msg, ESPTUN_A_IFNAME, req->ifname);

	(void)cmd;
	if (!ret && req->local.family)
		ret = nla_put(msg, ESPTUN_A_LOCAL, address_len(&req->local), req->local.bytes);
	if (!ret && req->remote.family)
		ret = nla_put(msg, ESPTUN_A_REMOTE, address_len(&req->remote), req->remote.bytes);
	if (!ret && req->has_encap)
		ret = nla_put_u8(msg, ESPTUN_A_ENCAP, req->encap);
	if (!ret && req->has_encap && req->encap == ESPTUN_ENCAP_UDP) {
		ret = nla_put_u16(msg, ESPTUN_A_SPORT, req->sport);
		if (!ret)
			ret = nla_put_u16(msg, ESPTUN_A_DPORT, req->dport);
	}
	if (!ret && req->has_carrier)
		ret = nla_put_u8(msg, ESPTUN_A_CARRIER, req->carrier);
	return ret;
}

int set_main(int argc, char **argv)
{
	struct set_request req;
	int ret;

	ret = set_parse(argc - 1, argv + 1, &req);
	if (ret)
		return ret;
	return kernel_execute(ESPTUN_CMD_SET_DEVICE, false, set_fill, &req, NULL, NULL);
}
