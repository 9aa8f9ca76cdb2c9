#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The HTTP server's behaviour from a client: prepares a document root, starts the server
# (native, or a TA through the shadow) on a free loopback port with --max-requests, runs
# http_check against it (every answer checked, bodies byte for byte) and requires the
# server to exit 0 by itself after exactly the responses http_check asked for.
#
# usage: test_httpd.sh epoll|poll CHECK [--policy TEMPLATE] -- SERVER_CMD...
#   SERVER_CMD: the server without its arguments, e.g. `tzm_httpd` or
#     `tzm-run --policy @POLICY@ <uuid> --`; @POLICY@ is replaced by the policy generated
#     from TEMPLATE (@SCRATCH@: this test's scratch dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../example_lib.sh
. "$here/../example_lib.sh"

loop=$1 check=$2
shift 2
example_args httpd "$@" || { echo "usage: test_httpd.sh epoll|poll CHECK [--policy T] -- SERVER_CMD..." >&2; exit 2; }
case $loop in
epoll) loop_args=() ;;
poll) loop_args=(--poll) ;;
*) echo "test_httpd: unknown loop $loop" >&2; exit 2 ;;
esac
responses=26 # what http_check asks for (it prints the count last)

scratch=$EX_SCRATCH
www=$scratch/www
mkdir -p "$www/sub"
printf 'hello tzm!\n' >"$www/small.txt"
head -c 1048576 /dev/urandom >"$www/big.bin"
printf '<!doctype html><title>tzm</title><p>index\n' >"$www/index.html"
printf '<p>sub index\n' >"$www/sub/index.html"

out=$scratch/server.out
trap 'example_stop' EXIT
example_start "$out" "httpd: ready " "${EX_SERVER[@]}" "${loop_args[@]}" \
    --max-requests "$responses" 127.0.0.1:0 "$www"
addr=$EX_READY
echo "server ready: $addr"
if ! tzm_exec "$check" "$addr" "$www" >"$scratch/check.out" 2>&1; then
    cat "$scratch/check.out" >&2
    echo "test_httpd: http_check failed; server output:" >&2
    cat "$out" >&2
    exit 1
fi
cat "$scratch/check.out"
grep -q "ok still serving; $responses responses" "$scratch/check.out" || {
    echo "test_httpd: http_check's count is not $responses: update test_httpd.sh" >&2
    exit 1
}
status=0
example_wait_exit 30 || status=$?
if [ "$status" -eq 124 ]; then
    echo "test_httpd: server still running 30 s after $responses responses:" >&2
    cat "$out" >&2
    exit 1
fi
[ "$status" -eq 0 ] || { echo "test_httpd: server exit status $status:" >&2; cat "$out" >&2; exit 1; }
echo "test_httpd: $loop: all checks passed, server exited 0"
