#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The genl family refuses malformed, oversized and unknown attributes and
# flags with an extack message and changes nothing (netlink_reject.py),
# refuses callers without CAP_NET_ADMIN, and never returns keys.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
netns_add nlr
ip -n nlr link add t0 type esptun || fail "link add"

ip netns exec nlr python3 "$(dirname "$0")/netlink_reject.py" || fail "netlink rejections"

# The device it left is full (16 outbound, 32 inbound SAs): esptun reads
# the largest GET_DEVICE reply and dump whole.
if [ -x "$ESPTUN" ]; then
	n=$(ip netns exec nlr "$ESPTUN" show t0 dump | wc -l)
	[ "$n" = 48 ] || fail "esptun show t0 dump listed $n SAs of 48"
	n=$(ip netns exec nlr "$ESPTUN" show | grep -c "^sa: ")
	[ "$n" = 48 ] || fail "esptun show (a dump) listed $n SAs of 48"
	echo "esptun show lists all 48 SAs of a full device"
else
	echo "# helper/esptun not built: the full device's listing is not checked"
fi

# Unprivileged: every command, reads included, and joining the events
# group need CAP_NET_ADMIN.
events=$(genl ctrl get name esptun | sed -n 's/.*ID-\(0x[0-9a-f]*\) *name: events.*/\1/p')
[ -n "$events" ] || fail "no events group in: $(genl ctrl get name esptun)"
ip netns exec nlr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	python3 - "$ESPTUN_TOP/selftests/lib" "$events" <<'PY' || fail "unprivileged caller not refused"
import errno, socket, sys
sys.path.insert(0, sys.argv[1])
from genl import Genl, attr, u32
from esptun_uapi import IFINDEX, REQUESTS
g = Genl("esptun")
dev = attr(IFINDEX, u32(socket.if_nametoindex("t0")))
for cmd in REQUESTS:
    err, _ = g.request(cmd, dev)
    print("command %d as nobody: %d" % (cmd, err))
    if err != -errno.EPERM:
        sys.exit(1)
try:
    g.sock.setsockopt(270, 1, int(sys.argv[2], 0))  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
    print("joined the events group as nobody")
    sys.exit(1)
except PermissionError:
    print("events group as nobody: refused")
PY
echo "refused everything it should"
exit 0
