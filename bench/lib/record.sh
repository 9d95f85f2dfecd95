# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Benchmark records: one JSON object per line on stdout, prefixed "BENCH ".
# The VM runner passes the guest's stdout back to the host as TAP comments;
# that is the only way out of the guest (its output share is deleted when
# the run ends), so bench/run-bench.sh collects the records from there.

bench_errors=0

# record JSON: emit one record.
record() {
	echo "BENCH $1"
}

# record_error WHAT MESSAGE: a measurement that could not be taken. The
# report shows it; the run fails at the end, after every other measurement.
record_error() {
	bench_errors=$((bench_errors + 1))
	record "$(python3 -c 'import json,sys; print(json.dumps({"kind": "error", "what": sys.argv[1], "message": sys.argv[2]}))' "$1" "$2")"
	echo "# error: $1: $2"
}
