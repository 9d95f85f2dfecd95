# SPDX-License-Identifier: GPL-2.0
#
# Shared by the IKE tests (after common.sh): a scratch directory for the
# configurations and logs, daemons started in namespaces and stopped at
# the end of each case and on exit, and the per-case verdict.
#
# ike_scratch NAME: $DIR, a fresh directory; everything stops on exit.
#   From then on files are made mode 0600 (umask 077): the daemon refuses
#   a configuration with an inline psk that others may read.
# ike_conf NAME DEV LOCAL REMOTE [KEY=VALUE...]: $DIR/NAME.conf, the tunnel
#   DEV from LOCAL to REMOTE with the tests' PSK and proposals (IKE
#   aes256-sha256-modp2048, ESP aes128gcm16-modp2048), then each KEY = VALUE;
#   $ike_auth, when set, holds the lines that replace the PSK.
# ike_daemon_start NS NAME: esptun daemon in NS with $DIR/NAME.conf,
#   logging to $DIR/NAME.log; its PID in $last_pid.
# ike_stop: stop the daemons (and charon or pluto, when strongswan.sh or
#   libreswan.sh is loaded).
# ike_result NAME LOG...: "ok NAME" when $ok is 1, otherwise the tails of
#   the logs (in $DIR) and "not ok NAME", counted in $failures; the case's
#   misses (miss, wait_log) are kept for ike_done.
# ike_done: the test's end: exit 0, or FAIL naming each failed case and
#   what it missed, so the last line of a long log says what went wrong.
# ike_lost LOG COUNT: $lost, how many of COUNT pings that "ping -D -O"
#   logged in LOG went unanswered; each one's time of day (UTC, ms, as the
#   daemon's and charon's logs have it) is printed as a comment.
# ike_inbound NS DEV: the inbound SAs DEV holds in NS, one SPI a line.
# ike_inner NS_A NS_B: the tests' inner addresses on the tunnel vpn0 of
#   each side, 10.10.1.1 in NS_A and 10.10.2.1 in NS_B, each routing the
#   other's /24 through it.

pids=
failures=0
failed_cases=
missed=

ike_stop() {
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill $pids 2>/dev/null
	if declare -F swan_stop >/dev/null; then swan_stop; fi
	if declare -F lsw_stop >/dev/null; then lsw_stop; fi
	wait 2>/dev/null
	pids=
}

ike_scratch() {
	umask 077
	DIR=$(mktemp -d "/tmp/$1.XXXXXX")
	trap 'ike_stop; cleanup_netns' EXIT
}

ike_conf() {
	local name=$1 dev=$2 local=$3 remote=$4 kv
	shift 4
	{
		echo "[$dev]"
		echo "local = $local"
		echo "remote = $remote"
		echo "${ike_auth:-psk = a shared secret}"
		echo "ike = aes256-sha256-modp2048"
		echo "esp = aes128gcm16-modp2048"
		for kv in "$@"; do
			echo "${kv%%=*} = ${kv#*=}"
		done
	} >"$DIR/$name.conf"
}

ike_daemon_start() {
	: >"$DIR/$2.log"
	ip netns exec "$1" "$ESPTUN" daemon -c "$DIR/$2.conf" >"$DIR/$2.log" 2>&1 &
	last_pid=$!
	pids="$pids $last_pid"
}

ike_result() {
	local name=$1 f
	shift
	if [ "$ok" = 1 ]; then
		echo "ok $name"
		missed=
		return
	fi
	for f in "$@"; do
		echo "# --- $f"
		tail -60 "$DIR/$f" | sed 's/^/# /'
	done
	echo "not ok $name"
	failures=$((failures + 1))
	failed_cases="${failed_cases:+$failed_cases | }$name${missed:+ ($missed)}"
	missed=
}

ike_done() {
	[ "$failures" = 0 ] || fail "$failures cases failed: $failed_cases"
	exit 0
}

ike_lost() {
	local got
	# -O reports a ping still unanswered when the next one leaves; some of
	# those are only late: lost are the ones no reply ever came for.
	awk '/no answer yet/ {
		split($0, t, /[][.]/); seq = $0; sub(/.*icmp_seq=/, "", seq)
		at[seq + 0] = t[2]; ms[seq + 0] = substr(t[3], 1, 3)
	}
	/bytes from/ { seq = $0; sub(/.*icmp_seq=/, "", seq); sub(/ .*/, "", seq); got[seq + 0] = 1 }
	END { for (s in at) if (!(s in got))
		printf "# ping %d lost, unanswered at %s.%s\n", s, strftime("%H:%M:%S", at[s], 1), ms[s] }' "$1" |
		sort -n -k3
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$1")
	lost=$(($2 - ${got:-0}))
}

ike_inbound() {
	ip netns exec "$1" "$ESPTUN" show "$2" dump | awk '$2 == "in" { print $3 }'
}

ike_inner() {
	ip -n "$1" addr add 10.10.1.1/32 dev vpn0
	ip -n "$2" addr add 10.10.2.1/32 dev vpn0
	ip -n "$1" route add 10.10.2.0/24 dev vpn0
	ip -n "$2" route add 10.10.1.0/24 dev vpn0
}
