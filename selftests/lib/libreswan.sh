# SPDX-License-Identifier: GPL-2.0
#
# A libreswan pluto of its own inside one network namespace. libreswan
# conflicts with strongSwan's packages, so it is not installed: make deps
# unpacks Debian's package into /var/cache/esptun/libreswan-VERSION
# ($LSW_ROOT overrides), and pluto runs from there with every path of its
# own under the case's directory: --rundir (its control socket), --nssdir
# (an empty NSS database), --config, --secretsfile, --ipsecdir, --logfile.
# pluto execs /usr/libexec/ipsec/addconn to load the connections: in
# pluto's own mount namespace the unpacked usr/libexec is bound over
# /usr/libexec (the host's has no ipsec/).
#
# lsw_require: skip the test unless the unpacked pluto is there and runs.
# lsw_conf DIR LOCAL REMOTE ESP AUTO [KEY=VALUE...]: DIR/ipsec.conf and
#   DIR/ipsec.secrets for an IKEv1 PSK connection "esptun" from LOCAL to
#   REMOTE (IKE aes256-sha2_256-modp2048, ESP as given in libreswan's
#   syntax, auto=AUTO), route-based on the xfrm interface ipsec42 (if_id
#   42) with 0.0.0.0/0 on both sides; each KEY=VALUE is one more line of
#   the connection, or replaces ours (e.g. ike=...). LSW_DEBUG=all (or
#   another plutodebug= value) makes pluto's log verbose.
# lsw_start NS DIR: pluto in NS on DIR's configuration, the connection
#   loaded; log in DIR/pluto.log (lines timed to the microsecond).
# lsw_whack ARGS...: whack against that pluto.
# lsw_stop [SIGNAL]: stop it (SIGTERM: pluto deletes its SAs; KILL: not).
# lsw_xfrm_if NS DEV ADDR ROUTE: the xfrm interface ipsec42 (if_id 42) on
#   DEV in NS, with ADDR, up, and ROUTE through it; pluto uses it as it is.

if [ -z "${LSW_ROOT:-}" ]; then
	# The newest version unpacked (the glob sorts).
	for LSW_ROOT in /var/cache/esptun/libreswan-*; do :; done
fi
lsw_pid=
lsw_dir=

lsw_require() {
	[ -x "$LSW_ROOT/usr/libexec/ipsec/pluto" ] ||
		skip "libreswan not unpacked in /var/cache/esptun (make deps)"
	command -v certutil >/dev/null || skip "certutil (libnss3-tools) not installed"
	"$LSW_ROOT/usr/libexec/ipsec/pluto" --version >/dev/null 2>&1 ||
		skip "the unpacked pluto does not run: $("$LSW_ROOT/usr/libexec/ipsec/pluto" --version 2>&1 | head -1)"
}

lsw_conf() {
	local dir=$1 local=$2 remote=$3 esp=$4 auto=$5 kv
	shift 5
	mkdir -p "$dir"
	{
		# <<- strips the tabs: pluto's keywords are indented by spaces.
		cat <<-EOF
		config setup
		  ikev1-policy=accept
		  dnssec-enable=no
		  dumpdir=$dir/run
		  logappend=no
		  logtime=yes
		${LSW_DEBUG:+  plutodebug=$LSW_DEBUG}

		conn esptun
		EOF
		# pluto refuses a keyword given twice: the caller's replace ours.
		for kv in ikev2=no authby=secret "left=$local" "right=$remote" \
			leftsubnet=0.0.0.0/0 rightsubnet=0.0.0.0/0 \
			ike=aes256-sha2_256-modp2048 "esp=$esp" ipsec-interface=42 \
			leftupdown=/bin/true "auto=$auto"; do
			case " $* " in
			*" ${kv%%=*}="*) ;;
			*) printf '  %s\n' "$kv" ;;
			esac
		done
		for kv in "$@"; do
			printf '  %s\n' "$kv"
		done
	} >"$dir/ipsec.conf"
	echo "$local $remote : PSK \"a shared secret\"" >"$dir/ipsec.secrets"
}

lsw_start() {
	local ns=$1 bin=$LSW_ROOT/usr/libexec/ipsec
	lsw_dir=$2
	mkdir -p "$lsw_dir/run" "$lsw_dir/ipsec.d"
	if [ ! -e "$lsw_dir/nss/cert9.db" ]; then
		mkdir -p "$lsw_dir/nss"
		certutil -N --empty-password -d "sql:$lsw_dir/nss" ||
			fail "certutil: an empty NSS database in $lsw_dir/nss"
	fi
	rm -f "$lsw_dir/run/pluto.ctl" "$lsw_dir/run/pluto.pid"
	: >"$lsw_dir/pluto.log"
	ip netns exec "$ns" unshare -m --propagation private sh -c "
		mount --bind '$LSW_ROOT/usr/libexec' /usr/libexec &&
		exec '$bin/pluto' --nofork --config '$lsw_dir/ipsec.conf' \
			--rundir '$lsw_dir/run' --nssdir '$lsw_dir/nss' \
			--ipsecdir '$lsw_dir/ipsec.d' --secretsfile '$lsw_dir/ipsec.secrets' \
			--logfile '$lsw_dir/pluto.log'" \
		>"$lsw_dir/pluto.out" 2>&1 &
	# ip netns exec, unshare and sh each exec the next: this is pluto's PID.
	lsw_pid=$!
	# --config first: its config setup section would reset the paths given before it.
	# pluto runs addconn itself once it listens: wait for the connection.
	for _ in $(seq 150); do
		lsw_whack --status 2>/dev/null | grep -q '"esptun":' && return 0
		kill -0 "$lsw_pid" 2>/dev/null || break
		sleep 0.2
	done
	cat "$lsw_dir/pluto.out"
	tail -30 "$lsw_dir/pluto.log"
	fail "pluto did not load the connection"
}

lsw_whack() {
	"$LSW_ROOT/usr/libexec/ipsec/whack" --ctlsocket "$lsw_dir/run/pluto.ctl" "$@"
}

lsw_stop() {
	[ -n "$lsw_pid" ] || return 0
	stop_child "$lsw_pid" pluto "${1:-TERM}"
	lsw_pid=
}

lsw_xfrm_if() {
	ip -n "$1" link add ipsec42 type xfrm dev "$2" if_id 42 || fail "xfrm interface in $1"
	ip -n "$1" addr add "$3" dev ipsec42
	ip -n "$1" link set ipsec42 up
	ip -n "$1" route add "$4" dev ipsec42
}
