# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # $tmp is the caller's scratch directory
#
# Tunnel setup: N tunnels (Main Mode + Quick Mode, PSK, modp2048, ESP
# aes128gcm16 with PFS modp2048) between two IKE daemons in two namespaces,
# esptun daemon against esptun daemon or charon against charon. Tunnel k
# runs between 10.1.x.y (initiator) and 10.2.x.y (responder): both daemons
# find a tunnel's configuration by the peer's address, and a host route
# with "src" makes each tunnel's IKE packets leave from its own address.
# Needs common.sh, strongswan.sh, record.sh and profile.sh, and $tmp (a scratch directory).

IKE_PROPOSAL=aes256-sha256-modp2048 ESP_PROPOSAL=aes128gcm16-modp2048

tun_addr() { # SIDE K: the address of tunnel K on side 1 (initiator) or 2
	echo "10.$1.$(($2 / 250)).$(($2 % 250 + 1))"
}

# setup_net NS_I NS_R N: both namespaces, every tunnel's address and route.
setup_net() {
	local k
	wire "$1" 10.9.0.1/24 "$2" 10.9.0.2/24
	for k in $(seq "$3"); do echo "addr add $(tun_addr 1 "$k")/32 dev wire"; done >"$tmp/i.batch"
	for k in $(seq "$3"); do echo "addr add $(tun_addr 2 "$k")/32 dev wire"; done >"$tmp/r.batch"
	for k in $(seq "$3"); do
		echo "route add $(tun_addr 2 "$k")/32 dev wire src $(tun_addr 1 "$k")" >>"$tmp/i.batch"
		echo "route add $(tun_addr 1 "$k")/32 dev wire src $(tun_addr 2 "$k")" >>"$tmp/r.batch"
	done
	ip -n "$1" -batch "$tmp/i.batch" || fail "addresses and routes in $1"
	ip -n "$2" -batch "$tmp/r.batch" || fail "addresses and routes in $2"
}

cpu_ticks() { # PID: user + system time so far, in clock ticks, all threads
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

meminfo_kib() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }

kmem_kib() { echo $(($(meminfo_kib Slab) + $(meminfo_kib Percpu))); }

# wait_established N LIMIT_S PATTERN FILE...: until every FILE holds N lines
# matching PATTERN. Prints how many the slowest side got.
wait_established() {
	local n=$1 limit=$2 pattern=$3 f c least deadline
	shift 3
	deadline=$(($(date +%s) + limit))
	while :; do
		least=$n
		for f in "$@"; do
			c=$(grep -Ec "$pattern" "$f")
			[ "$c" -lt "$least" ] && least=$c
		done
		[ "$least" -ge "$n" ] || [ "$(date +%s)" -ge "$deadline" ] && break
		# Seldom: every grep here takes CPU from the daemons being timed,
		# and reads logs that grow with the tunnels (13% of the guest's CPU
		# at 1000 tunnels, polled each second: profiled). The end of the
		# setup comes from their logs (log_end), not from this.
		sleep $((1 + n / 200))
	done
	echo "$least"
}

# log_end T0 PATTERN FILE...: the epoch time of the last line matching the
# ERE PATTERN by the daemons' own log clock (HH:MM:SS.mmm first), i.e. when
# the last tunnel came up rather than when the poll above noticed; empty
# when no such line has a time. T0 (epoch) gives the day.
log_end() {
	local t0=$1 midnight
	midnight=$(date -d "$(date -d "@${t0%.*}" +%F)" +%s)
	shift
	pattern=$1 awk -v t0="$t0" -v day="$midnight" '
		$0 ~ ENVIRON["pattern"] && $1 ~ /^[0-9]+:[0-9]+:[0-9]+(\.[0-9]+)?$/ {
			split($1, a, ":")
			v = day + a[1] * 3600 + a[2] * 60 + a[3]
			if (v < t0 - 43200)
				v += 86400 # past midnight
			if (v > last)
				last = v
		}
		END { if (last) printf "%.3f\n", last }' "${@:2}"
}

# setup_end T0 T1 PATTERN FILE...: log_end, or T1 (the poll's) without one.
setup_end() {
	local t=$1 polled=$2 logged
	shift 2
	logged=$(log_end "$t" "$@")
	echo "${logged:-$polled}"
}

now() { date +%s.%N; }

# ike_span FILE...: seconds from the first MM1 to the last CHILD SA by the
# daemon's own log clock (HH:MM:SS.mmm), i.e. the IKE work without the
# initiator's start-up and device creation.
ike_span() {
	awk 'function t(s, a) { split(s, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
		/ MM1 -> / { v = t($1); if (first == "" || v < first) first = v }
		/CHILD SA established/ { v = t($1); if (v > last) last = v }
		END { if (first == "" || last == "") print "null"; else printf "%.3f\n", last - first }' "$@"
}

# setup_record IMPL N GOT T0 T1 CPU_TICKS RSS_KIB_I RSS_KIB_R: the record;
# the caller sets kmem0/kmem1 (kernel KiB before and after) and span
# (ike_span, or null). Nothing during a warm-up (setup_warmup set).
setup_record() {
	local impl=$1 n=$2 got=$3 t0=$4 t1=$5 ticks=$6 rss_i=$7 rss_r=$8
	[ -n "${setup_warmup:-}" ] && return
	record "$(python3 -c '
import json, os, sys
impl, n, got, t0, t1, ticks, ri, rr, k0, k1, span = sys.argv[1:]
n, got, hz = int(n), int(got), os.sysconf("SC_CLK_TCK")
print(json.dumps({"kind": "setup", "impl": impl, "n": n, "established": got,
    "wall_s": float(t1) - float(t0), "cpu_s": int(ticks) / hz, "ike_wall_s": json.loads(span),
    "rss_kib": [int(ri), int(rr)], "kernel_kib_delta": int(k1) - int(k0),
    "devices": 2 * n if impl == "esptun" else 0}))' \
		"$impl" "$n" "$got" "$t0" "$t1" "$ticks" "$rss_i" "$rss_r" "$kmem0" "$kmem1" "$span")"
	[ "$got" -ge "$n" ] || record_error "$impl setup of $n tunnels" "only $got established"
}

# esptun_conf FILE N START: the daemon's configuration for N tunnels.
esptun_conf() {
	local k side=1 peer=2
	[ "$3" = respond ] && side=2 peer=1
	for k in $(seq "$2"); do
		printf '[bt%d]\nlocal = %s\nremote = %s\npsk-file = %s\nike = %s\nesp = %s\nstart = %s\n\n' \
			"$k" "$(tun_addr $side "$k")" "$(tun_addr $peer "$k")" "$tmp/psk" \
			"$IKE_PROPOSAL" "$ESP_PROPOSAL" "$3"
	done >"$1"
}

# setup_esptun N: responder started and ready (its N devices exist), then
# the clock runs from the initiator's start until both logs show N CHILD SAs.
setup_esptun() {
	local n=$1 ns_i=si$1 ns_r=sr$1 rpid ipid t0 t1 got r0 ticks span
	setup_net "$ns_i" "$ns_r" "$n"
	esptun_conf "$tmp/i.conf" "$n" initiate
	esptun_conf "$tmp/r.conf" "$n" respond
	kmem0=$(kmem_kib)
	ip netns exec "$ns_r" "$ESPTUN" daemon -c "$tmp/r.conf" 2>"$tmp/r.log" &
	rpid=$!
	# Ready once it has created every device: it binds UDP 500 right after.
	wait_established "$n" $((60 + 2 * n)) 'created the esptun device' "$tmp/r.log" >/dev/null
	r0=$(cpu_ticks "$rpid")
	profile_start
	t0=$(now)
	ip netns exec "$ns_i" "$ESPTUN" daemon -c "$tmp/i.conf" 2>"$tmp/i.log" &
	ipid=$!
	got=$(wait_established "$n" $((120 + 3 * n)) 'CHILD SA established' "$tmp/i.log" "$tmp/r.log")
	profile_stop "esptun, $n tunnels${setup_warmup:+ (warm-up)}"
	t1=$(setup_end "$t0" "$(now)" 'CHILD SA established' "$tmp/i.log" "$tmp/r.log")
	ticks=$(($(cpu_ticks "$ipid") + $(cpu_ticks "$rpid") - r0))
	kmem1=$(kmem_kib)
	span=$(ike_span "$tmp/i.log" "$tmp/r.log")
	setup_record esptun "$n" "$got" "$t0" "$t1" "$ticks" "$(rss_kib "$ipid")" "$(rss_kib "$rpid")"
	if [ -n "${BENCH_DEBUG:-}" ]; then
		sed 's/^/# initiator: /' "$tmp/i.log"
		sed 's/^/# responder: /' "$tmp/r.log"
	elif [ "$got" -lt "$n" ]; then
		tail -n 5 "$tmp/i.log" "$tmp/r.log" | sed 's/^/# /'
	fi
	# SIGKILL: a clean shutdown would DELETE every SA first, which is not setup.
	kill -9 "$ipid" "$rpid"
	wait "$ipid" "$rpid" 2>/dev/null
	ip netns del "$ns_i"
	ip netns del "$ns_r"
}

# swan_conf FILE N START: N connections c1..cN, each its own if_id so that
# their 0.0.0.0/0 policies do not collide (route-based, as with esptun).
swan_conf() {
	local k side=1 peer=2 action=none
	[ "$3" = respond ] && side=2 peer=1
	[ "$3" = initiate ] && action=start
	{
		echo "connections {"
		for k in $(seq "$2"); do
			cat <<-EOF
			c$k {
				version = 1
				aggressive = no
				local_addrs = $(tun_addr $side "$k")
				remote_addrs = $(tun_addr $peer "$k")
				proposals = $IKE_PROPOSAL
				local { auth = psk }
				remote { auth = psk }
				children { c$k { local_ts = 0.0.0.0/0
					remote_ts = 0.0.0.0/0
					esp_proposals = $ESP_PROPOSAL
					if_id_in = $k
					if_id_out = $k
					start_action = $action } }
			}
			EOF
		done
		echo "}"
		echo "secrets { ike-bench { secret = \"$(cat "$tmp/psk")\" } }"
	} >"$1"
}

swan_up='CHILD_SA c[0-9]+\{[0-9]+\} established'

# setup_swan N: both charons running, the responder's N connections loaded,
# then the clock runs from loading the initiator's until both logs show N.
setup_swan() {
	local n=$1 ns_i=ci$1 ns_r=cr$1 rpid ipid t0 t1 got c0 ticks span
	setup_net "$ns_i" "$ns_r" "$n"
	mkdir -p "$tmp/swan-i/swanctl" "$tmp/swan-r/swanctl"
	swan_conf "$tmp/swan-r/swanctl/swanctl.conf" "$n" respond
	echo "connections { }" >"$tmp/swan-i/swanctl/swanctl.conf"
	kmem0=$(kmem_kib)
	swan_start "$ns_r" "$tmp/swan-r"
	rpid=$swan_pid
	swan_start "$ns_i" "$tmp/swan-i"
	ipid=$swan_pid
	swan_conf "$tmp/swan-i/swanctl/swanctl.conf" "$n" initiate
	c0=$(($(cpu_ticks "$ipid") + $(cpu_ticks "$rpid")))
	t0=$(now)
	swan_ctl --load-all >/dev/null
	got=$(wait_established "$n" $((120 + 10 * n)) "$swan_up" \
		"$tmp/swan-i/charon.log" "$tmp/swan-r/charon.log")
	t1=$(setup_end "$t0" "$(now)" "$swan_up" "$tmp/swan-i/charon.log" "$tmp/swan-r/charon.log")
	ticks=$(($(cpu_ticks "$ipid") + $(cpu_ticks "$rpid") - c0))
	kmem1=$(kmem_kib)
	span=null # no device creation to leave out: its wall time is its IKE
	setup_record strongswan "$n" "$got" "$t0" "$t1" "$ticks" "$(rss_kib "$ipid")" "$(rss_kib "$rpid")"
	kill -9 "$ipid" "$rpid"
	wait "$ipid" "$rpid" 2>/dev/null
	swan_pid=
	ip netns del "$ns_i"
	ip netns del "$ns_r"
}
