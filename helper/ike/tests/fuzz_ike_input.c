// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the whole receive path: each input is split into
 * datagrams (2-byte length prefixes) delivered to one responder from its
 * configured peer (a Main Mode and an Aggressive Mode tunnel), so the
 * fuzzer can open IKE SAs and then poke them with follow-ups. The top bit
 * of a prefix delivers the datagram to the NAT-T port instead (non-ESP
 * marker, NAT-D and NAT-OA handling, following a peer that moved), from a
 * port the next bit changes. Sends go nowhere; the sanitizers catch the rest.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "../dispatch.h"

static int drop_send(void *arg, const struct sockaddr_storage *to, bool natt, const uint8_t *buf,
		     size_t len)
{
	(void)arg;
	(void)to;
	(void)natt;
	(void)buf;
	(void)len;
	return 0;
}

static int drop_keepalive(void *arg, const struct sockaddr_storage *to)
{
	(void)arg;
	(void)to;
	return 0;
}

static int drop_endpoint(void *arg, const struct tunnel_cfg *cfg, const struct ike_endpoint *ep)
{
	(void)arg;
	(void)cfg;
	(void)ep;
	return 0;
}

static int drop_install(void *arg, const struct child_sa *c)
{
	(void)arg;
	(void)c;
	return 0;
}

static int drop_remove(void *arg, const struct tunnel_cfg *cfg, uint32_t in, uint32_t out)
{
	(void)arg;
	(void)cfg;
	(void)in;
	(void)out;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static struct ike_ctx ctx;
	static bool ready;
	struct sockaddr_storage from = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&from;

	if (!ready) {
		char err[256];

		ike_log_quiet = true;
		if (config_parse("fuzz",
				 "[vpn0]\nlocal=192.0.2.2\nremote=192.0.2.1\npsk=k\n"
				 "ike=aes256-sha256-modp2048,3des-sha1-modp1024\n"
				 "[vpn1]\nlocal=192.0.2.2\nremote=192.0.2.1\npsk=k2\n"
				 "mode=aggressive\nike=aes128-sha1-modp1024\n",
				 &cfg, err, sizeof(err)))
			return 0;
		ctx.cfg = &cfg;
		ctx.send = drop_send;
		ctx.keepalive = drop_keepalive;
		ctx.endpoint = drop_endpoint;
		ctx.install = drop_install;
		ctx.remove = drop_remove;
		ready = true;
	}
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &sin->sin_addr);
	while (size >= 2) {
		bool natt = data[0] & 0x80;
		size_t len = (size_t)((data[0] & 0x3f) << 8 | data[1]);

		sin->sin_port = htons(natt ? (data[0] & 0x40 ? 40001 : 4500) : 500);
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if (natt)
			ike_input_natt(&ctx, &from, data, len);
		else
			ike_input(&ctx, &from, data, len);
		data += len;
		size -= len;
		ctx.now_ms += 1000;
		ike_tick(&ctx);
	}
	ike_ctx_free(&ctx);
	return 0;
}
