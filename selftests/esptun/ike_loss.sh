#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKE over a lossy path: netem drops 20% of the datagrams each way on the
# veth between two daemons. Main Mode + Quick Mode with PFS, then
# Aggressive Mode, still bring the tunnel up: requests are retransmitted
# with backoff, a repeated request is answered from the cached reply, a
# Quick Mode that gives up is started again, and an initiator whose phase 1
# gives up starts over. A ping across the tunnel, still lossy, gets
# replies.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load
command -v tc >/dev/null || skip "tc (iproute2) not installed"

ike_scratch ike_loss

wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0
ip netns exec ia tc qdisc add dev veth0 root netem loss 20% ||
	skip "netem unavailable (sch_netem not in this kernel)"
ip netns exec ib tc qdisc add dev veth0 root netem loss 20%

# conf NAME LOCAL REMOTE START MODE ESP
conf() {
	cat >"$DIR/$1.conf" <<-EOF
	[vpn0]
	local = $2
	remote = $3
	psk = s3cret
	ike = aes128-sha256-modp2048
	esp = $6
	mode = $5
	start = $4
	EOF
}

loss_case() { # MODE ESP
	ok=1
	echo "# case: $1 mode, esp $2, 20% loss each way"
	conf b 10.0.0.2 10.0.0.1 respond "$1" "$2"
	conf a 10.0.0.1 10.0.0.2 initiate "$1" "$2"
	ike_daemon_start ib b
	sleep 1
	ike_daemon_start ia a
	# Bounded by the daemon's own limits: 5 tries over 62 s per exchange, a
	# new phase 1 10 s after one gives up, a new Quick Mode at once.
	if wait_log "$DIR/a.log" 'installed outbound' 240 &&
		wait_log "$DIR/b.log" 'installed outbound' 60; then
		ike_inner ia ib
		replies=$(ip netns exec ia ping -c 20 -i 0.2 -W 2 -I 10.10.1.1 10.10.2.1 |
			sed -n 's/.* \([0-9]*\) received.*/\1/p')
		echo "# $replies of 20 pings answered over the lossy path"
		[ "${replies:-0}" -ge 1 ] || miss "no ping through the tunnel"
	else
		miss "no tunnel through 20% loss"
	fi
	grep -h 'retransmitting\|resending\|again\|failed after\|no IKE reply' \
		"$DIR/a.log" "$DIR/b.log" | sed 's/^/# /'
	ike_result "$1 mode and Quick Mode ($2) through 20% loss" a.log b.log
	ike_stop
	ip -n ia link del vpn0 2>/dev/null
	ip -n ib link del vpn0 2>/dev/null
}

loss_case main aes128gcm16-modp2048
loss_case aggressive aes256-sha256

ike_done
