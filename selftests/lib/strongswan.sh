# SPDX-License-Identifier: GPL-2.0
#
# A strongSwan charon of its own inside one network namespace, with a
# private /run and /etc/swanctl (charon keeps its vici socket and pid file
# there). The caller writes $dir/swanctl/swanctl.conf first.
#
# swan_require: skip the test unless charon and swanctl are installed.
# swan_start NS DIR: start charon in NS and load DIR's configuration;
#   $swan_charon holds more lines for strongswan.conf's charon section.
# swan_ctl ARGS...: run swanctl against that charon.
# swan_stop: stop it.
# swan_conf DIR LOCAL REMOTE ESP START_ACTION: DIR/swanctl/swanctl.conf for
#   an IKEv1 PSK connection "esptun" with one CHILD SA "net" (route-based:
#   if_id 42) with traffic selectors $swan_local_ts and $swan_remote_ts
#   (default 0.0.0.0/0); $swan_child holds more lines for "net". With
#   $swan_pairs set ("LOCAL_TS=REMOTE_TS=START_ACTION ..."), one CHILD SA
#   per entry instead, net0, net1, ...: IKEv1 carries one pair per Quick Mode.
#   $swan_conn holds more lines for the connection; $swan_local and
#   $swan_remote replace its local and remote sections (PSK by address).
# swan_xfrm_if NS DEV ADDR ROUTE: the xfrm interface xfrm0 (if_id 42) on DEV
#   in NS, with ADDR, up, and ROUTE through it.
# swan_states NS: how many xfrm states NS holds.
# charon's log lines start with the time of day, with milliseconds.

swan_pid=
swan_dir=

swan_require() {
	[ -x /usr/lib/ipsec/charon ] || skip "strongSwan charon not installed"
	command -v swanctl >/dev/null || skip "swanctl not installed"
}

swan_start() {
	local ns=$1
	swan_dir=$2
	cat >"$swan_dir/strongswan.conf" <<-EOF
	charon {
		load_modular = yes
		install_routes = no
		# Aggressive Mode with PSK as responder (the AM tests) needs this.
		i_dont_care_about_security_and_use_aggressive_mode_psk = yes
		retransmit_timeout = 2
		${swan_charon:-}
		plugins {
			include /etc/strongswan.d/charon/*.conf
		}
		filelog {
			swan {
				path = $swan_dir/charon.log
				flush_line = yes
				time_format = %T
				time_add_ms = yes
				default = 1
				ike = 2
				chd = 2
				cfg = 2
			}
		}
	}
	EOF
	: >"$swan_dir/charon.log"
	ip netns exec "$ns" unshare -m --propagation private sh -c "
		mount -t tmpfs run /run &&
		mount --bind '$swan_dir/swanctl' /etc/swanctl &&
		STRONGSWAN_CONF='$swan_dir/strongswan.conf' exec /usr/lib/ipsec/charon" \
		>"$swan_dir/charon.out" 2>&1 &
	# The shell execs charon, so this is charon's PID: nsenter reaches its mounts.
	swan_pid=$!
	for _ in $(seq 150); do
		nsenter -t "$swan_pid" -m -n test -S /run/charon.vici && break
		sleep 0.2
	done
	swan_ctl --load-all >"$swan_dir/swanctl.out" 2>&1 ||
		{ cat "$swan_dir/swanctl.out" "$swan_dir/charon.out"; fail "swanctl --load-all"; }
}

# swanctl reads charon's plugin list and complains about each plugin it
# does not ship itself; those lines are noise.
swan_ctl() {
	nsenter -t "$swan_pid" -m -n env STRONGSWAN_CONF="$swan_dir/strongswan.conf" \
		swanctl "$@" 2>&1 | grep -v "^plugin '.*': failed to load"
	return "${PIPESTATUS[0]}"
}

swan_stop() {
	[ -n "$swan_pid" ] || return 0
	stop_child "$swan_pid" charon
	swan_pid=
}

# swan_child_conf NAME LOCAL_TS REMOTE_TS ESP START_ACTION: one CHILD SA of swan_conf.
swan_child_conf() {
	cat <<-EOF
				$1 {
					local_ts = $2
					remote_ts = $3
					esp_proposals = $4
					if_id_in = 42
					if_id_out = 42
					start_action = $5
					${swan_child:-}
				}
	EOF
}

swan_conf() {
	local children i=0 pair l r a
	if [ -n "${swan_pairs:-}" ]; then
		for pair in $swan_pairs; do
			IFS== read -r l r a <<<"$pair"
			children+=$(swan_child_conf "net$i" "$l" "$r" "$4" "$a")$'\n'
			i=$((i + 1))
		done
	else
		children=$(swan_child_conf net "${swan_local_ts:-0.0.0.0/0}" \
			"${swan_remote_ts:-0.0.0.0/0}" "$4" "$5")
	fi
	mkdir -p "$1/swanctl"
	cat >"$1/swanctl/swanctl.conf" <<-EOF
	connections {
		esptun {
			version = 1
			local_addrs = $2
			remote_addrs = $3
			proposals = aes256-sha256-modp2048
			${swan_conn:-}
			local {
				${swan_local:-auth = psk
				id = $2}
			}
			remote {
				${swan_remote:-auth = psk
				id = $3}
			}
			children {
$children
			}
		}
	}
	secrets {
		ike-1 {
			id-1 = $2
			id-2 = $3
			secret = "a shared secret"
		}
	}
	EOF
}

swan_xfrm_if() {
	ip -n "$1" link add xfrm0 type xfrm dev "$2" if_id 42 || fail "xfrm interface in $1"
	ip -n "$1" addr add "$3" dev xfrm0
	ip -n "$1" link set xfrm0 up
	ip -n "$1" route add "$4" dev xfrm0
}

swan_states() {
	ip -n "$1" xfrm state | grep -c '^src '
}
