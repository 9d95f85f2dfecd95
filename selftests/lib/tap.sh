# SPDX-License-Identifier: GPL-2.0
#
# TAP output for the host-side tiers: numbered results, one summary line.
# Source it; tap_summary returns non-zero when anything failed.

tap_n=0 tap_passed=0 tap_failed=0 tap_skipped=0

tap_ok() {
	tap_n=$((tap_n + 1)) tap_passed=$((tap_passed + 1))
	echo "ok $tap_n - $1"
}

tap_fail() {
	tap_n=$((tap_n + 1)) tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1${2:+ # $2}"
}

tap_skip() {
	tap_n=$((tap_n + 1)) tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# tap_line PREFIX LINE: re-number a result line from another TAP stream.
tap_line() {
	local line=$2 rest
	case $line in
	"not ok "*)
		rest=${line#not ok }; rest=${rest#* - }
		tap_n=$((tap_n + 1)) tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $1$rest" ;;
	"ok "*"# SKIP"*)
		rest=${line#ok }; rest=${rest#* - }
		tap_n=$((tap_n + 1)) tap_skipped=$((tap_skipped + 1))
		echo "ok $tap_n - $1$rest" ;;
	"ok "*)
		rest=${line#ok }; rest=${rest#* - }
		tap_n=$((tap_n + 1)) tap_passed=$((tap_passed + 1))
		echo "ok $tap_n - $1$rest" ;;
	esac
}

tap_summary() {
	echo "$tap_passed passed, $tap_failed failed, $tap_skipped skipped"
	[ "$tap_failed" = 0 ]
}
