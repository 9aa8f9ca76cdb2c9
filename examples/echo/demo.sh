#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Echo demo: the same echo_server.c runs as a TA behind the shadow (tzm-run) and natively;
# the native echo_client does round trips over each of the paper's four IPC kinds (FIFO,
# UNIX socket, TCP, UDP) against both, verifying every byte, and prints the medians side by
# side. Ends with a policy denial. Called as `examples/echo/demo.sh BUILD_DIR` inside a
# private TEE environment (scripts/demo.sh provides one); works standalone too.
# Every wait is bounded: servers by echo_lib.sh, clients and the denied run by timeout(1),
# so a broken build makes the demo fail, never hang.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
# shellcheck source=echo_lib.sh
. "$here/echo_lib.sh" # with cmake/tzm-script.sh: say, info, bounded
uuid=6563686f-7a6d-4e00-8000-000000000001
tzm_run=$build/bin/tzm-run
server=$build/bin/echo_server
client=$build/bin/echo_client
export TZM_TA_DIR=${TZM_TA_DIR:-$build/lib/optee_armtz}
for f in "$tzm_run" "$server" "$client" "$TZM_TA_DIR/$uuid.ta"; do
    [ -e "$f" ] || { echo "echo demo: $f is missing; build first (make demo does)" >&2; exit 1; }
done
work=$(mktemp -d "${TZM_TEST_TMPDIR:-${TMPDIR:-/tmp}}/echo-demo.XXXXXX")
trap 'echo_stop; rm -rf "$work"' EXIT
sed "s|@SCRATCH@|$work|g" "$here/echo-test.policy.in" | grep -v '^#' >"$work/echo.policy"

say "Echo over the paper's four IPC kinds: CA <-> TA through TZmediator, and CA <-> CA"
info "TA:     $TZM_TA_DIR/$uuid.ta  (examples/echo/echo_server.c linked with libtzm)"
info "native: $server  (the same source, built as a normal program)"
info "The TA runs under this policy (everything else is denied):"
sed 's/^/    | /' "$work/echo.policy"

rounds=200 size=4096
median() { sed -n 's/.*median \([0-9.]*\) us.*/\1/p'; }
for kind in fifo unix tcp udp; do
    case $kind in
    fifo) addr=$work/echo ;;
    unix) addr=$work/echo.sock ;;
    *) addr=127.0.0.1:0 ;;
    esac
    say "$kind: $rounds round trips of $size bytes"
    echo_start "$work/ta.out" "$tzm_run" --policy "$work/echo.policy" "$uuid" -- \
        "$kind" "$addr" --count "$([ $kind = udp ] && echo $rounds || echo 1)"
    info "TA server ready on $ECHO_KIND $ECHO_ADDR (host object created by the shadow)"
    ta_line=$(bounded 60 "$client" "$ECHO_KIND" "$ECHO_ADDR" -n "$rounds" -s "$size")
    info "CA <-> TA: $ta_line"
    echo_wait_exit 20 || { echo "TA server failed:" >&2; cat "$work/ta.out" >&2; exit 1; }
    info "TA exited with status 0 after serving its client"
    echo_start "$work/native.out" "$server" "$kind" "$addr" \
        --count "$([ $kind = udp ] && echo $rounds || echo 1)"
    native_line=$(bounded 60 "$client" "$ECHO_KIND" "$ECHO_ADDR" -n "$rounds" -s "$size")
    echo_wait_exit 20 || { echo "native server failed" >&2; exit 1; }
    ta_us=$(echo "$ta_line" | median)
    native_us=$(echo "$native_line" | median)
    info "$(printf 'median round trip: TA %s us, native %s us (ratio %s)' "$ta_us" "$native_us" \
        "$(awk -v a="$ta_us" -v b="$native_us" 'BEGIN { printf "%.2f", a / b }')")"
done

say "Secure by default: a bind the policy does not allow"
# The policy allows TCP servers on loopback only. (Not a low port on loopback: as root that
# bind is allowed and succeeds, and the server would wait for a client forever.)
info "tcp bind 0.0.0.0:8080 (all interfaces) is not in the policy, which allows loopback"
info "only; the TA's bind() fails with EACCES and the shadow logs the denial:"
set +e
bounded 20 "$tzm_run" --policy "$work/echo.policy" "$uuid" -- tcp 0.0.0.0:8080 --count 1 2>&1 |
    sed 's/^/    | /'
status=${PIPESTATUS[0]}
set -e
case $status in
1) info "the TA exited with status 1 (it reported the failed bind itself)" ;;
*)
    echo "echo demo: expected the denied TA to exit with status 1, got $status" >&2
    exit 1
    ;;
esac
