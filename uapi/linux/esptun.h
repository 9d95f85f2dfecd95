/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * esptun: route-based IPsec ESP tunnel device, generic netlink contract.
 *
 * An esptun device (ip link add NAME type esptun) is a point-to-point L3
 * tunnel. Whatever is routed into it is sent in ESP tunnel mode (RFC 4303)
 * to the device's remote endpoint with one of the device's outbound SAs;
 * ESP that arrives for one of the device's inbound SAs is decrypted and
 * delivered on it.
 *
 * Route-based and policy-based use. An SA without ESPTUN_A_SA_SELECTOR
 * carries any inner packet (0.0.0.0/0 and ::/0): routes alone choose the
 * traffic, as with a Cisco VTI. An SA with a selector carries only the
 * inner packets it matches, as one line of a crypto-map access list does:
 * - outbound, each packet routed into the device goes out with the most
 *   specific outbound SA whose selector matches it (longer destination
 *   prefix first, then longer source prefix, then a protocol, then
 *   ports; an SA without a selector comes last). A packet that matches
 *   none is dropped, counted in ESPTUN_A_DEV_NO_SA_DROPS and tx_dropped,
 *   and raises ESPTUN_CMD_EVENT_ACQUIRE;
 * - inbound, a packet decrypted with an SA must match the SA's selector
 *   (RFC 4301 section 5.2), else it is dropped and counted in the SA's
 *   ESPTUN_A_STATS_SELECTOR_DROPS; it then moves no replay window and
 *   changes nothing else.
 * A selector is written in the direction of the packets its SA carries:
 * for an outbound SA SRC is the local network and DST the remote one, for
 * an inbound SA the other way round.
 *
 * The generic netlink family "esptun" (ESPTUN_GENL_NAME, version
 * ESPTUN_GENL_VERSION) configures devices and their SAs. Every command
 * needs CAP_NET_ADMIN in the user namespace owning the device's network
 * namespace, and names the device by ESPTUN_A_IFINDEX or ESPTUN_A_IFNAME
 * (ifindex wins if both are given). Attribute policies are strict: an
 * unknown attribute, one the command does not use, a wrong length or an
 * unknown flag bit is refused with an extack message, and a refused
 * request changes nothing.
 *
 * Keys are write-only. They are accepted by ESPTUN_CMD_NEW_SA and never
 * returned by any command; the kernel wipes them when an SA is freed, and
 * from every SA command's request, accepted or refused (except one that
 * generic netlink refuses for a top-level attribute before esptun sees it).
 *
 * Commands
 * --------
 * ESPTUN_CMD_SET_DEVICE: set the tunnel's endpoints and options.
 *	ESPTUN_A_IFINDEX | ESPTUN_A_IFNAME
 *	ESPTUN_A_LOCAL: outer source address, 4 or 16 bytes, network order;
 *		not 0.0.0.0 or ::
 *	ESPTUN_A_REMOTE: outer destination address, same family as LOCAL
 *	ESPTUN_A_ENCAP: enum esptun_encap; UDP encapsulation (RFC 3948)
 *	ESPTUN_A_SPORT, ESPTUN_A_DPORT: u16 UDP ports, host order, needed
 *		with ESPTUN_ENCAP_UDP
 *	ESPTUN_A_CARRIER: enum esptun_carrier, when the device's carrier
 *		is on. ESPTUN_CARRIER_SA (the default): while the device has
 *		an outbound SA that is not hard-expired; so with no SA, after
 *		the last one expired or was deleted (by the daemon on DPD or
 *		"esptun down"), it is off: ip link shows NO-CARRIER, routes
 *		through it are "linkdown" and, with the sysctl
 *		net.ipv4.conf.*.ignore_routes_with_linkdown, not used, and
 *		routing daemons see the link go down. While the carrier is
 *		off the kernel drops what is routed into the device before
 *		esptun sees it, so no ACQUIRE is raised; ESPTUN_CARRIER_ON
 *		keeps the carrier on always, for a device whose first packet
 *		must raise ACQUIRE (on-demand tunnels).
 *	Only the attributes present are changed. A LOCAL on which another
 *	device of the namespace receives one of this device's inbound SPIs
 *	is refused with EEXIST.
 *	With ESPTUN_ENCAP_UDP the device follows its peer behind a NAT: see
 *	ESPTUN_CMD_EVENT_REMOTE_CHANGED.
 *
 * ESPTUN_CMD_GET_DEVICE: get one device (doit) or all in the caller's
 * namespace (dumpit). Replies carry IFINDEX, IFNAME, LOCAL, REMOTE, ENCAP,
 * SPORT, DPORT when set, CARRIER, ESPTUN_A_DEV_NO_SA_DROPS (u64: packets
 * routed into the device that no outbound SA would carry), and ESPTUN_A_SAS: a
 * nest of ESPTUN_A_SA nests, one per SA, each as in ESPTUN_CMD_GET_SA
 * without keys, outbound SAs first in the order the data path tries them.
 *
 * ESPTUN_CMD_NEW_SA: add an SA to a device.
 *	ESPTUN_A_IFINDEX | ESPTUN_A_IFNAME
 *	ESPTUN_A_SA (nest), containing:
 *	  ESPTUN_A_SA_DIR: enum esptun_dir (required)
 *	  ESPTUN_A_SA_SPI: u32, host order, not 0 (required); unique among
 *		the device's inbound SAs, and among all inbound SAs of the
 *		namespace with the same local address. Each namespace has its
 *		own SPIs: a device moved to another namespace loses, with a
 *		HARD_EXPIRE event, an inbound SA whose SPI is taken there.
 *	  ESPTUN_A_SA_AEAD: AEAD algorithm name, "rfc4106(gcm(aes))"
 *	  or ESPTUN_A_SA_ENC + ESPTUN_A_SA_AUTH: "cbc(aes)" | "cbc(des3_ede)"
 *		with "hmac(sha1)" | "hmac(sha256)" | "hmac(sha384)" |
 *		"hmac(sha512)"
 *	  ESPTUN_A_SA_ENC_KEY: the AEAD or cipher key (for rfc4106 including
 *		its 4-byte salt: 20, 28 or 36 bytes)
 *	  ESPTUN_A_SA_AUTH_KEY: the HMAC key (with ESPTUN_A_SA_AUTH)
 *	  ESPTUN_A_SA_ICV_BITS: u32, ICV length in bits: 64, 96 or 128 for
 *		rfc4106; the truncation for HMAC (RFC 4868 uses 96 for sha1,
 *		128, 192, 256 for sha256, 384, 512; any multiple of 32 up to
 *		the digest size is accepted for peers that differ)
 *	  ESPTUN_A_SA_FLAGS: u32, enum esptun_sa_flags
 *	  ESPTUN_A_SA_REPLAY_WINDOW: u32, inbound only, packets, 0 disables
 *		the check, at most ESPTUN_REPLAY_WINDOW_MAX
 *		(default ESPTUN_REPLAY_WINDOW_DEFAULT)
 *	  ESPTUN_A_SA_SEQ: u64, outbound: the last sequence number used
 *		(the next packet carries SEQ + 1); inbound: the highest seen.
 *		Default 0. Lets tests start an SA near the 2^32 boundary.
 *	  ESPTUN_A_SA_LIFETIME: nest of ESPTUN_A_LIFETIME_* u64 limits;
 *		absent or 0 means no limit. A soft limit above the hard
 *		limit of the same unit (both set) is refused with EINVAL.
 *	  ESPTUN_A_SA_SELECTOR: nest of ESPTUN_A_SEL_*, the inner packets the
 *		SA carries; absent means all of both families:
 *		ESPTUN_A_SEL_SRC, ESPTUN_A_SEL_DST: 4 or 16 bytes, one family,
 *		  network order, no bits set past the prefix (required)
 *		ESPTUN_A_SEL_SRC_LEN, ESPTUN_A_SEL_DST_LEN: u8 prefix lengths,
 *		  at most 32 or 128 (required)
 *		ESPTUN_A_SEL_PROTO: u8 IP protocol, 0 or absent for any
 *		ESPTUN_A_SEL_SPORT, ESPTUN_A_SEL_DPORT: u16, host order, 0 or
 *		  absent for any; only with PROTO TCP, UDP, SCTP or UDP-Lite.
 *		  A non-first fragment has no ports and matches no selector
 *		  with one.
 *	Up to ESPTUN_MAX_INBOUND_SAS inbound and ESPTUN_MAX_OUTBOUND_SAS
 *	outbound SAs per device, and ESPTUN_MAX_NETNS_INBOUND_SAS inbound SAs
 *	per network namespace (ENOSPC past either). A new outbound SA replaces the outbound SA
 *	with the same selector (or, without one, the one without) atomically
 *	for the data path; the old one is freed after an RCU grace period.
 *	Make-before-break rekeying of a route-based device or of one selector
 *	pair adds the new inbound SA, then the new outbound, then deletes the
 *	old inbound.
 *
 * ESPTUN_CMD_SET_SA: change the lifetime limits of an existing SA.
 *	ESPTUN_A_IFINDEX | ESPTUN_A_IFNAME
 *	ESPTUN_A_SA (nest): ESPTUN_A_SA_DIR, ESPTUN_A_SA_SPI and
 *	  ESPTUN_A_SA_LIFETIME (required), which replaces all six limits
 *	  and is checked as for ESPTUN_CMD_NEW_SA
 *	Nothing else of an SA changes after it is added: its algorithm and
 *	keys are what its SPI stands for, so new keys need a new SA. Limits
 *	apply to what the SA has carried and its age since ADD_TIME; one
 *	already passed expires it at the next packet or second. An expiry
 *	event already sent is not sent again.
 *
 * ESPTUN_CMD_DEL_SA: delete one SA.
 *	ESPTUN_A_IFINDEX | ESPTUN_A_IFNAME
 *	ESPTUN_A_SA (nest): ESPTUN_A_SA_DIR, ESPTUN_A_SA_SPI
 *
 * ESPTUN_CMD_GET_SA: get one SA (doit, DIR and SPI given) or dump all SAs
 *	of a device (dumpit). Replies carry IFINDEX and an ESPTUN_A_SA nest
 *	with DIR, SPI, AEAD or ENC/AUTH names, ICV_BITS, FLAGS,
 *	REPLAY_WINDOW, SEQ, LIFETIME, ADD_TIME (u64 seconds since boot,
 *	CLOCK_BOOTTIME), SELECTOR if it has one, and ESPTUN_A_SA_STATS.
 *	Never keys.
 *
 * ESPTUN_CMD_FLUSH_SA: delete every SA of a device.
 *
 * Events (multicast group ESPTUN_GENL_MCGRP_EVENTS)
 * ------------------------------------------------
 * Joining the group needs CAP_NET_ADMIN too.
 * Each carries ESPTUN_A_IFINDEX, ESPTUN_A_IFNAME and an ESPTUN_A_SA nest
 * with DIR and SPI (ACQUIRE carries no SA, see there).
 * ESPTUN_CMD_EVENT_SOFT_EXPIRE: a soft lifetime limit was reached; the SA
 *	keeps working. Sent once per SA.
 * ESPTUN_CMD_EVENT_HARD_EXPIRE: a hard limit was reached; the SA carries
 *	nothing more and is removed.
 * ESPTUN_CMD_EVENT_SEQ_EXHAUSTED: a non-ESN outbound SA is close to its
 *	last sequence number (2^32 - 1 - ESPTUN_SEQ_EXHAUST_MARGIN); it stops
 *	at 2^32 - 1 and never wraps.
 * ESPTUN_CMD_EVENT_ACQUIRE: traffic was routed into the device that no
 *	usable outbound SA carries: none matches it, or the most specific
 *	that matches has expired (a less specific one is not used instead,
 *	as a crypto map would not), or the device has no endpoints.
 *	Carries ESPTUN_A_SELECTOR: the packet's source and destination as
 *	full-length prefixes, its protocol, and its ports where it has them,
 *	so that a daemon can bring up the selector pair that covers it.
 *	Rate-limited to one per second per device.
 * ESPTUN_CMD_EVENT_REMOTE_CHANGED: a UDP-encapsulated device received a
 *	packet that verified and was the newest its inbound SA had seen, from
 *	an outer address or UDP source port other than REMOTE and DPORT: the
 *	peer's NAT mapping changed (RFC 3948 3.1). The device now sends there.
 *	Carries ESPTUN_A_REMOTE and ESPTUN_A_DPORT (the new ones) and the
 *	inbound SA. The IKE daemon should move its own traffic there too.
 */
#ifndef _UAPI_LINUX_ESPTUN_H
#define _UAPI_LINUX_ESPTUN_H

#define ESPTUN_GENL_NAME "esptun"
#define ESPTUN_GENL_VERSION 1
#define ESPTUN_GENL_MCGRP_EVENTS "events"

#define ESPTUN_MAX_INBOUND_SAS 32
#define ESPTUN_MAX_OUTBOUND_SAS 16
#define ESPTUN_MAX_NETNS_INBOUND_SAS 16384
#define ESPTUN_REPLAY_WINDOW_DEFAULT 1024
#define ESPTUN_REPLAY_WINDOW_MAX 8192
#define ESPTUN_SEQ_EXHAUST_MARGIN 65536

enum esptun_cmd {
	ESPTUN_CMD_UNSPEC,
	ESPTUN_CMD_SET_DEVICE,
	ESPTUN_CMD_GET_DEVICE,
	ESPTUN_CMD_NEW_SA,
	ESPTUN_CMD_DEL_SA,
	ESPTUN_CMD_GET_SA,
	ESPTUN_CMD_FLUSH_SA,
	ESPTUN_CMD_EVENT_SOFT_EXPIRE,
	ESPTUN_CMD_EVENT_HARD_EXPIRE,
	ESPTUN_CMD_EVENT_SEQ_EXHAUSTED,
	ESPTUN_CMD_EVENT_ACQUIRE,
	ESPTUN_CMD_SET_SA,
	ESPTUN_CMD_EVENT_REMOTE_CHANGED,
	__ESPTUN_CMD_MAX
};

#define ESPTUN_CMD_MAX (__ESPTUN_CMD_MAX - 1)

enum esptun_encap {
	ESPTUN_ENCAP_NONE,
	ESPTUN_ENCAP_UDP,	/* RFC 3948 ESP-in-UDP */
	__ESPTUN_ENCAP_MAX
};

#define ESPTUN_ENCAP_MAX (__ESPTUN_ENCAP_MAX - 1)

enum esptun_carrier {
	ESPTUN_CARRIER_SA,	/* on while an outbound SA is usable */
	ESPTUN_CARRIER_ON,	/* always on */
	__ESPTUN_CARRIER_MAX
};

#define ESPTUN_CARRIER_MAX (__ESPTUN_CARRIER_MAX - 1)

enum esptun_dir {
	ESPTUN_DIR_UNSPEC,
	ESPTUN_DIR_IN,
	ESPTUN_DIR_OUT,
	__ESPTUN_DIR_MAX
};

#define ESPTUN_DIR_MAX (__ESPTUN_DIR_MAX - 1)

enum esptun_sa_flags {
	ESPTUN_SA_F_ESN = 1U << 0,	/* 64-bit sequence numbers (RFC 4303) */
	__ESPTUN_SA_F_ALL = ESPTUN_SA_F_ESN
};

enum esptun_attr {
	ESPTUN_A_UNSPEC,
	ESPTUN_A_IFINDEX,	/* u32 */
	ESPTUN_A_IFNAME,	/* string */
	ESPTUN_A_LOCAL,		/* 4 or 16 bytes */
	ESPTUN_A_REMOTE,	/* 4 or 16 bytes */
	ESPTUN_A_ENCAP,		/* u8, enum esptun_encap */
	ESPTUN_A_SPORT,		/* u16 */
	ESPTUN_A_DPORT,		/* u16 */
	ESPTUN_A_SA,		/* nest, enum esptun_sa_attr */
	ESPTUN_A_SAS,		/* nest of ESPTUN_A_SA */
	ESPTUN_A_DEV_NO_SA_DROPS,	/* u64, read-only */
	ESPTUN_A_SELECTOR,	/* nest, enum esptun_sel_attr, ACQUIRE only */
	ESPTUN_A_PAD,
	ESPTUN_A_CARRIER,	/* u8, enum esptun_carrier */
	__ESPTUN_A_MAX
};

#define ESPTUN_A_MAX (__ESPTUN_A_MAX - 1)

enum esptun_sa_attr {
	ESPTUN_A_SA_UNSPEC,
	ESPTUN_A_SA_DIR,		/* u8, enum esptun_dir */
	ESPTUN_A_SA_SPI,		/* u32 */
	ESPTUN_A_SA_AEAD,		/* string */
	ESPTUN_A_SA_ENC,		/* string */
	ESPTUN_A_SA_AUTH,		/* string */
	ESPTUN_A_SA_ENC_KEY,		/* binary, write-only */
	ESPTUN_A_SA_AUTH_KEY,		/* binary, write-only */
	ESPTUN_A_SA_ICV_BITS,		/* u32 */
	ESPTUN_A_SA_FLAGS,		/* u32, enum esptun_sa_flags */
	ESPTUN_A_SA_REPLAY_WINDOW,	/* u32 */
	ESPTUN_A_SA_SEQ,		/* u64 */
	ESPTUN_A_SA_LIFETIME,		/* nest, enum esptun_lifetime_attr */
	ESPTUN_A_SA_STATS,		/* nest, enum esptun_stats_attr */
	ESPTUN_A_SA_ADD_TIME,		/* u64 */
	ESPTUN_A_SA_PAD,
	ESPTUN_A_SA_SELECTOR,		/* nest, enum esptun_sel_attr */
	__ESPTUN_A_SA_MAX
};

#define ESPTUN_A_SA_MAX (__ESPTUN_A_SA_MAX - 1)

enum esptun_lifetime_attr {
	ESPTUN_A_LIFETIME_UNSPEC,
	ESPTUN_A_LIFETIME_SOFT_BYTES,	/* u64 */
	ESPTUN_A_LIFETIME_HARD_BYTES,	/* u64 */
	ESPTUN_A_LIFETIME_SOFT_PACKETS,	/* u64 */
	ESPTUN_A_LIFETIME_HARD_PACKETS,	/* u64 */
	ESPTUN_A_LIFETIME_SOFT_SECONDS,	/* u64, from ADD_TIME */
	ESPTUN_A_LIFETIME_HARD_SECONDS,	/* u64, from ADD_TIME */
	ESPTUN_A_LIFETIME_PAD,
	__ESPTUN_A_LIFETIME_MAX
};

#define ESPTUN_A_LIFETIME_MAX (__ESPTUN_A_LIFETIME_MAX - 1)

/* Per-SA counters; bytes are inner (plaintext) bytes, as xfrm counts. */
enum esptun_stats_attr {
	ESPTUN_A_STATS_UNSPEC,
	ESPTUN_A_STATS_PACKETS,		/* u64 */
	ESPTUN_A_STATS_BYTES,		/* u64 */
	ESPTUN_A_STATS_REPLAY_DROPS,	/* u64 */
	ESPTUN_A_STATS_ICV_FAILURES,	/* u64 */
	ESPTUN_A_STATS_OTHER_DROPS,	/* u64: padding, next header, length */
	ESPTUN_A_STATS_LAST_RX,		/* u64, CLOCK_BOOTTIME seconds, inbound */
	ESPTUN_A_STATS_PAD,
	ESPTUN_A_STATS_SELECTOR_DROPS,	/* u64: inner packet outside the selector */
	/*
	 * u64: the CLOCK_BOOTTIME millisecond of the SA's last counted packet,
	 * sent or received, 0 if none. A peer's DPD probe is judged by it:
	 * did we send just before the probe?
	 */
	ESPTUN_A_STATS_LAST_MS,
	__ESPTUN_A_STATS_MAX
};

#define ESPTUN_A_STATS_MAX (__ESPTUN_A_STATS_MAX - 1)

/* The inner packets an SA carries; see ESPTUN_A_SA_SELECTOR. */
enum esptun_sel_attr {
	ESPTUN_A_SEL_UNSPEC,
	ESPTUN_A_SEL_SRC,		/* 4 or 16 bytes */
	ESPTUN_A_SEL_SRC_LEN,		/* u8 */
	ESPTUN_A_SEL_DST,		/* 4 or 16 bytes */
	ESPTUN_A_SEL_DST_LEN,		/* u8 */
	ESPTUN_A_SEL_PROTO,		/* u8 */
	ESPTUN_A_SEL_SPORT,		/* u16 */
	ESPTUN_A_SEL_DPORT,		/* u16 */
	__ESPTUN_A_SEL_MAX
};

#define ESPTUN_A_SEL_MAX (__ESPTUN_A_SEL_MAX - 1)

#endif /* _UAPI_LINUX_ESPTUN_H */
