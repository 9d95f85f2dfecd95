# SPDX-License-Identifier: GPL-2.0
#
# A strongSwan charon of its own inside one network namespace, with a
# private /run and /etc/swanctl (charon keeps its vici socket and pid file
# there). The caller writes $dir/swanctl/swanctl.conf first.
#
# swan_start NS DIR: start charon in NS and load DIR's configuration.
# swan_ctl ARGS...: run swanctl against that charon.
# swan_stop: stop it.

swan_pid=
swan_dir=

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
		plugins {
			include /etc/strongswan.d/charon/*.conf
		}
		filelog {
			swan {
				path = $swan_dir/charon.log
				flush_line = yes
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
	kill "$swan_pid" 2>/dev/null
	wait "$swan_pid" 2>/dev/null
	swan_pid=
}
