#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The application benchmark (bench/run.sh's part "http"): examples/httpd's static-file
# server built natively and as a TA, driven over loopback by wrk (Debian's HTTP load
# generator) with keep-alive connections. Per trial, for each path (native, tzm) a fresh
# server serves an 11-byte and a 1 MiB file to 1 and to 16 connections; wrk reports
# requests/s and the latency percentiles (p50, p90, p99).
#
#   bash bench/http.sh OUT_CSV
#
# Environment (set by run.sh): BIN, WORK, TZM_RUN (empty: native only), TZM_TA_DIR, SRC, and
# BENCH_HTTP_SECONDS (5 per measurement), BENCH_HTTP_TRIALS (3), BENCH_HTTP_CONNS ("1 16"),
# BENCH_AA=1 (the "tzm" path runs a second native server: the method's noise floor).
# A measurement with socket errors or non-2xx answers fails the run: its rates would
# measure error handling, not serving.
set -euo pipefail
CSV=${1:?usage: http.sh OUT_CSV}
: "${BIN:?}" "${WORK:?}" "${SRC:?}"
SECONDS_EACH=${BENCH_HTTP_SECONDS:-5}
TRIALS=${BENCH_HTTP_TRIALS:-3}
CONNS=${BENCH_HTTP_CONNS:-1 16}
UUID=$(sed -n 's/^set(httpd_uuid \([0-9a-f-]*\))/\1/p' "$SRC/examples/httpd/CMakeLists.txt")
# shellcheck source=cmake/tzm-proc.sh
. "$SRC/cmake/tzm-proc.sh"

www=$WORK/www
mkdir -p "$www"
printf 'hello tzm!\n' >"$www/small.txt"
head -c 1048576 /dev/urandom >"$www/big.bin"
policy=$WORK/httpd.policy
printf 'path ro %s\ntcp bind 127.0.0.1 *\n' "$www" >"$policy"

paths="native"
if [ -n "${TZM_RUN:-}" ] && [ -f "${TZM_TA_DIR:-}/$UUID.ta" ]; then
    paths="native tzm"
elif [ "${BENCH_AA:-0}" = 1 ]; then
    paths="native tzm"
fi

server_pid="" server_addr=""
start_server() {
    local path=$1 out=$WORK/httpd-$1.out
    # created here: the background job opens it itself, and under load the sed below
    # could run first (set -e: bench_smoke failed with "can't read httpd-tzm.out")
    : >"$out"
    if [ "$path" = tzm ] && [ "${BENCH_AA:-0}" != 1 ]; then
        "$TZM_RUN" --policy "$policy" "$UUID" -- 127.0.0.1:0 "$www" >"$out" 2>&1 &
    else
        "$BIN/tzm_httpd" 127.0.0.1:0 "$www" >"$out" 2>&1 &
    fi
    server_pid=$!
    server_addr=""
    for _ in $(seq 1 600); do
        server_addr=$(sed -n 's/^httpd: ready //p' "$out" | head -n 1)
        [ -n "$server_addr" ] && return 0
        if ! tzm_alive "$server_pid"; then
            break
        fi
        sleep 0.1
    done
    echo "bench http: the $path server did not start:" >&2
    cat "$out" >&2
    return 1
}

stop_server() {
    if [ -n "$server_pid" ] && tzm_alive "$server_pid"; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
trap stop_server EXIT

# wrk's latency with its unit (ns/us/ms/s) in microseconds.
to_us() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /ns$/) f = 0.001; else if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000;
        else if (v ~ /s$/) f = 1000000; else { print "bad"; exit }
        sub(/[a-z]+$/, "", v); printf "%.2f", v * f }'
}

# measure PATH FILE CONNS TRIAL: one wrk run, one CSV row.
measure() {
    local path=$1 file=$2 conns=$3 trial=$4 out rps p50 p90 p99 reqs errors
    out=$(wrk -t1 -c"$conns" -d"${SECONDS_EACH}s" --latency "http://$server_addr/$file" 2>&1) || {
        echo "bench http: wrk failed:" >&2
        echo "$out" >&2
        return 1
    }
    errors=$(echo "$out" | awk '/Socket errors:|Non-2xx or 3xx responses:/ { e = 1 } END { print e + 0 }')
    if [ "$errors" -ne 0 ]; then
        echo "bench http: errors while measuring $path $file c=$conns:" >&2
        echo "$out" >&2
        return 1
    fi
    rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
    reqs=$(echo "$out" | awk '/requests in/ { print $1 }')
    p50=$(to_us "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
    p90=$(to_us "$(echo "$out" | awk '$1 == "90%" { print $2 }')")
    p99=$(to_us "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
    if [ -z "$rps" ] || [ -z "$reqs" ] || [ "$p50" = bad ] || [ "$p99" = bad ]; then
        echo "bench http: could not read wrk's report:" >&2
        echo "$out" >&2
        return 1
    fi
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$file" "$(stat -c %s "$www/$file")" "$conns" \
        "$path" "$trial" "$rps" "$p50" "$p90" "$p99" "$reqs" >>"$CSV"
    printf '  %-6s %-9s c=%-2s trial %s: %10.0f req/s  p50 %9.1f us  p99 %9.1f us\n' \
        "$path" "$file" "$conns" "$trial" "$rps" "$p50" "$p99"
}

echo "file,bytes,conns,path,trial,requests_per_s,p50_us,p90_us,p99_us,requests" >"$CSV"
for trial in $(seq 1 "$TRIALS"); do
    for path in $paths; do
        start_server "$path"
        # warm-up: connections, page cache, the TA's first calls
        wrk -t1 -c1 -d1s "http://$server_addr/small.txt" >/dev/null 2>&1 || true
        for file in small.txt big.bin; do
            for conns in $CONNS; do
                measure "$path" "$file" "$conns" "$trial"
            done
        done
        stop_server
    done
done
