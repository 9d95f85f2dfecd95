// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to esptun.ko over generic netlink with libnl-genl: resolving the
 * family, sending requests, reading acknowledgements, dumps and extack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include <linux/esptun.h>

#include "kernel.h"
#include "log.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct kernel {
	struct nl_sock *sock;
	int family;
};

/* The state of one request while its replies come in. */
struct exchange {
	bool done;
	int error;	    /* negative errno from the kernel, or 0 */
	int callback_error; /* exit code returned by the reply callback */
	kernel_reply_fn on_reply;
	void *arg;
};

static const struct nla_policy attr_policy[ESPTUN_A_MAX + 1] = {
	[ESPTUN_A_IFINDEX] = { .type = NLA_U32 },
	[ESPTUN_A_IFNAME] = { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[ESPTUN_A_LOCAL] = { .minlen = 4, .maxlen = 16 },
	[ESPTUN_A_REMOTE] = { .minlen = 4, .maxlen = 16 },
	[ESPTUN_A_ENCAP] = { .type = NLA_U8 },
	[ESPTUN_A_SPORT] = { .type = NLA_U16 },
	[ESPTUN_A_DPORT] = { .type = NLA_U16 },
	[ESPTUN_A_SA] = { .type = NLA_NESTED },
	[ESPTUN_A_SAS] = { .type = NLA_NESTED },
	[ESPTUN_A_DEV_NO_SA_DROPS] = { .type = NLA_U64 },
	[ESPTUN_A_SELECTOR] = { .type = NLA_NESTED },
	[ESPTUN_A_CARRIER] = { .type = NLA_U8 },
};

static void kernel_close(struct kernel *kernel)
{
	if (!kernel)
		return;
	nl_socket_free(kernel->sock);
	free(kernel);
}

static int kernel_open(struct kernel **out)
{
	struct kernel *kernel = calloc(1, sizeof(*kernel));
	int one = 1, ret;

	if (!kernel) {
		log_error("out of memory");
		return EXIT_ERROR;
	}
	kernel->sock = nl_socket_alloc();
	if (!kernel->sock) {
		log_error("out of memory");
		goto fail;
	}
	/* kernel_execute() chooses NLM_F_ACK or NLM_F_DUMP itself. */
	nl_socket_disable_auto_ack(kernel->sock);
	ret = genl_connect(kernel->sock);
	if (ret < 0) {
		log_error("generic netlink socket: %s", nl_geterror(ret));
		goto fail;
	}
	/*
	 * Extended acks carry the kernel's reason for a refusal; capped acks
	 * keep it from echoing our request, which may hold keys, back to us.
	 * Best effort: without them errors are reported by errno alone.
	 */
	setsockopt(nl_socket_get_fd(kernel->sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(kernel->sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	kernel->family = genl_ctrl_resolve(kernel->sock, ESPTUN_GENL_NAME);
	if (kernel->family < 0) {
		/* Not about the subcommand at hand: no context in the message. */
		log_set_context(NULL);
		if (kernel->family == -NLE_OBJ_NOTFOUND)
			log_error("generic netlink family '%s' not found: is esptun.ko loaded?",
				  ESPTUN_GENL_NAME);
		else
			log_error("generic netlink family '%s': %s", ESPTUN_GENL_NAME,
				  nl_geterror(kernel->family));
		goto fail;
	}
	*out = kernel;
	return 0;
fail:
	kernel_close(kernel);
	return EXIT_ERROR;
}

/* The extack message after a netlink error, if the kernel sent one. */
static const char *extack_message(const struct nlmsghdr *hdr, const struct nlmsgerr *err)
{
	struct nlattr *attrs[NLMSGERR_ATTR_MAX + 1];
	size_t offset = sizeof(*err);

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* Without NLM_F_CAPPED the original request follows the error code. */
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(err->msg);
	offset = NLMSG_ALIGN(offset);
	if (nlmsg_datalen(hdr) < (int)offset)
		return NULL;
	if (nla_parse(attrs, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + offset),
		      nlmsg_datalen(hdr) - offset, NULL) < 0 ||
	    !attrs[NLMSGERR_ATTR_MSG])
		return NULL;
	/* The kernel NUL-terminates it, but do not trust that blindly. */
	if (!memchr(nla_data(attrs[NLMSGERR_ATTR_MSG]), '\0', nla_len(attrs[NLMSGERR_ATTR_MSG])))
		return NULL;
	return nla_data(attrs[NLMSGERR_ATTR_MSG]);
}

static int on_error(struct sockaddr_nl *addr, struct nlmsgerr *err, void *arg)
{
	/* libnl hands us the payload; the header sits right before it. */
	const struct nlmsghdr *hdr = (const struct nlmsghdr *)err - 1;
	struct exchange *exchange = arg;
	const char *message = extack_message(hdr, err);

	(void)addr;
	exchange->done = true;
	exchange->error = err->error;
	if (!err->error)
		return NL_STOP;
	if (message && strcmp(message, strerror(-err->error)))
		log_error("%s (%s)", message, strerror(-err->error));
	else if (message)
		log_error("%s", message);
	else if (err->error == -EPERM)
		log_error("%s: needs CAP_NET_ADMIN", strerror(-err->error));
	else
		log_error("%s", strerror(-err->error));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct exchange *exchange = arg;
	int error;

	exchange->done = true;
	/* A dump that fails after it started ends with NLMSG_DONE carrying the error. */
	if (hdr->nlmsg_type == NLMSG_DONE && nlmsg_datalen(hdr) >= (int)sizeof(error)) {
		memcpy(&error, nlmsg_data(hdr), sizeof(error));
		if (error < 0) {
			log_error("%s", strerror(-error));
			exchange->error = error;
		}
	}
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *attrs[ESPTUN_A_MAX + 1];
	struct exchange *exchange = arg;
	int ret;

	if (exchange->callback_error || !exchange->on_reply)
		return NL_OK;
	ret = genlmsg_parse(nlmsg_hdr(msg), 0, attrs, ESPTUN_A_MAX,
			    (struct nla_policy *)attr_policy);
	if (ret < 0) {
		log_error("malformed reply from the kernel: %s", nl_geterror(ret));
		exchange->callback_error = EXIT_ERROR;
		return NL_OK;
	}
	/* After a failed reply, read on anyway: only the dump's end or the ack ends the loop. */
	exchange->callback_error =
		exchange->on_reply(genlmsg_hdr(nlmsg_hdr(msg))->cmd, attrs, exchange->arg);
	return NL_OK;
}

static void wipe_and_free(struct nl_msg *msg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);

	OPENSSL_cleanse(hdr, hdr->nlmsg_len);
	nlmsg_free(msg);
}

static int send_and_receive(struct kernel *kernel, struct nl_msg *msg, kernel_reply_fn on_reply,
			    void *arg)
{
	struct exchange exchange = { .on_reply = on_reply, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		log_error("out of memory");
		return EXIT_ERROR;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &exchange);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &exchange);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &exchange);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &exchange);

	ret = nl_send_auto(kernel->sock, msg);
	if (ret < 0) {
		log_error("sending to the kernel: %s", nl_geterror(ret));
		exchange.done = true;
		exchange.error = ret;
	}
	while (!exchange.done) {
		ret = nl_recvmsgs(kernel->sock, cb);
		if (ret < 0 && !exchange.done) {
			log_error("receiving from the kernel: %s", nl_geterror(ret));
			exchange.done = true;
			exchange.error = ret;
		}
	}
	nl_cb_put(cb);
	return exchange.error ? EXIT_ERROR : exchange.callback_error;
}

/*
 * The daemon sends a request for every SA it installs and one per tunnel
 * every second (path.c), so requests share one socket with the family
 * resolved once: a socket, a bind and a round trip to the controller each
 * would cost more than the request. After any failure the socket is
 * dropped, so that the next request resolves the family again (a reloaded
 * module gets a new id) on a socket with no stale replies in it.
 */
static struct kernel *requests;

int kernel_execute(uint8_t cmd, bool dump, kernel_fill_fn fill, const void *fill_arg,
		   kernel_reply_fn on_reply, void *reply_arg)
{
	struct nl_msg *msg;
	int ret;

	if (!requests) {
		ret = kernel_open(&requests);
		if (ret)
			return ret;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		log_error("out of memory");
		return EXIT_ERROR;
	}
	/* Every request wants an answer: an acknowledgement, or the end of the dump. */
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, requests->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd, ESPTUN_GENL_VERSION) ||
	    fill(msg, cmd, fill_arg) < 0) {
		log_error("request too large for a netlink message");
		ret = EXIT_ERROR;
	} else {
		ret = send_and_receive(requests, msg, on_reply, reply_arg);
		if (ret)
			kernel_requests_close();
	}
	wipe_and_free(msg);
	return ret;
}

void kernel_requests_close(void)
{
	kernel_close(requests);
	requests = NULL;
}

/* Events answer no request of ours: there is no sequence number to check. */
static int any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* One read's worth of events (the daemon's socket is non-blocking), or until ON_EVENT stops. */
static int receive_events(struct kernel *kernel, kernel_reply_fn on_event, void *arg, bool once)
{
	struct exchange exchange = { .on_reply = on_event, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		log_error("out of memory");
		return EXIT_ERROR;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &exchange);
	do {
		ret = nl_recvmsgs(kernel->sock, cb);
		/* An overrun loses events but not the subscription: say so and go on. */
		if (ret == -NLE_NOMEM) {
			log_error("events lost: the socket's receive buffer overflowed");
		} else if (ret == -NLE_AGAIN && once) {
			break;
		} else if (ret < 0) {
			log_error("receiving events: %s", nl_geterror(ret));
			exchange.callback_error = EXIT_ERROR;
		}
	} while (!exchange.callback_error && !once);
	nl_cb_put(cb);
	return exchange.callback_error;
}

struct kernel *kernel_events_open(void)
{
	struct kernel *kernel;
	int group, ret;

	if (kernel_open(&kernel))
		return NULL;
	group = genl_ctrl_resolve_grp(kernel->sock, ESPTUN_GENL_NAME, ESPTUN_GENL_MCGRP_EVENTS);
	if (group < 0) {
		log_error("multicast group '%s': %s", ESPTUN_GENL_MCGRP_EVENTS, nl_geterror(group));
	} else if ((ret = nl_socket_add_membership(kernel->sock, group)) < 0) {
		log_error("joining multicast group '%s': %s", ESPTUN_GENL_MCGRP_EVENTS,
			  nl_geterror(ret));
	} else {
		return kernel;
	}
	kernel_close(kernel);
	return NULL;
}

int kernel_events_fd(struct kernel *kernel)
{
	nl_socket_set_nonblocking(kernel->sock);
	return nl_socket_get_fd(kernel->sock);
}

int kernel_events_read(struct kernel *kernel, kernel_reply_fn on_event, void *arg)
{
	return receive_events(kernel, on_event, arg, true);
}

void kernel_events_close(struct kernel *kernel)
{
	kernel_close(kernel);
}

int kernel_monitor(kernel_reply_fn on_event, void *arg)
{
	struct kernel *kernel = kernel_events_open();
	int ret;

	if (!kernel)
		return EXIT_ERROR;
	ret = receive_events(kernel, on_event, arg, false);
	kernel_close(kernel);
	return ret;
}
