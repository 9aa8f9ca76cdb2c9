#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_ta_lookup: the TA a client names is the TA that runs, whichever directory the
# running tzm-teed was started with; a core of another install is refused, by name.
# usage: test_ta_lookup.sh <tee_ping> <dir with variant 1> <dir with variant 2>
# (the same UUID, single instance; command 0 answers a=<variant>)
#  1. a daemon started by a client of dir 1; a client of dir 2 runs variant 2 (the old
#     core ran variant 1, the file of its own directory);
#  2. both at once: while a session of variant 1 is open, variant 2 gets its own instance;
#  3. a TA that is only outside the daemon's directory runs (was ITEM_NOT_FOUND);
#  4. a client whose TZM_TA_DIR lacks the TA falls back to nothing of the daemon's
#     (ITEM_NOT_FOUND, tee.log names where the client looked);
#  5. a client of another install (another tzm-teed) gets a clear error naming both.
set -u
ping=$1 v1=$2 v2=$3
uuid=7661726e-7a6d-4e00-8000-000000000001
counter=19e2a039-1247-4870-b42e-a4a75f185999
tmp=${TZM_TEST_TMPDIR:?}
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
export TZM_IDLE_EXIT_MS=600000

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

[ -f "$v1/$uuid.ta" ] && [ -f "$v2/$uuid.ta" ] || fail "variant TAs not built"
cmp -s "$v1/$uuid.ta" "$v2/$uuid.ta" && fail "the two variants are identical"

out=$(TZM_TA_DIR=$v1 tzm_exec "$ping" "$uuid" 0 2>&1) || { echo "$out" >&2; fail "variant 1"; }
[[ "$out" == *"a=1"* ]] || fail "dir 1 ran: $out"
pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")
ok "TZM_TA_DIR=dir1: variant 1 (the daemon, pid $pid, started with dir 1)"

out=$(TZM_TA_DIR=$v2 tzm_exec "$ping" "$uuid" 0 2>&1) || { echo "$out" >&2; fail "variant 2"; }
[[ "$out" == *"a=2"* ]] || fail "TZM_TA_DIR=dir2 against a daemon started with dir 1 ran: $out"
[ "$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")" = "$pid" ] || fail "not the same daemon"
ok "TZM_TA_DIR=dir2, same daemon: variant 2"

# 2. at once: a session of variant 1 held open, then variant 2
mkfifo "$tmp/hold"
(TZM_TA_DIR=$v1 tzm_exec "$ping" "$uuid" 0 hold <"$tmp/hold" >"$tmp/held.out" 2>&1) &
exec 3>"$tmp/hold"
for _ in $(seq 1 300); do
    grep -q "a=" "$tmp/held.out" 2>/dev/null && break
    sleep 0.1
done
grep -q "a=1" "$tmp/held.out" || { exec 3>&-; cat "$tmp/held.out" >&2; fail "held variant 1"; }
out=$(TZM_TA_DIR=$v2 tzm_exec "$ping" "$uuid" 0 2>&1)
exec 3>&-
wait
[[ "$out" == *"a=2"* ]] || fail "variant 2 while variant 1's single instance runs: $out"
ok "with variant 1's single instance running, variant 2 gets an instance of its own"

# 3. a TA only outside the daemon's directory (its own copy of the counter TA)
mkdir -p "$tmp/elsewhere"
cp "$TZM_TA_DIR/$counter.ta" "$tmp/elsewhere/"
out=$(TZM_TA_DIR=$tmp/elsewhere tzm_exec "$ping" "$counter" 0 2>&1) ||
    { echo "$out" >&2; fail "a TA outside the daemon's directory"; }
ok "a TA outside the daemon's directory runs ($out)"

# 4. the client's directory lacks it: not taken from the daemon's directory
mkdir -p "$tmp/empty"
rc=0
out=$(TZM_TA_DIR=$tmp/empty tzm_exec "$ping" "$uuid" 0 2>&1) || rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"0xffff0008"* ]] ||
    fail "a TA missing from the client's directories: $out"
grep -q "cannot open $tmp/empty/$uuid.ta" "$TZM_RUNTIME_DIR/tee.log" ||
    fail "tee.log does not name where the client looked"
ok "missing from the client's TZM_TA_DIR: ITEM_NOT_FOUND, tee.log names $tmp/empty/$uuid.ta"

# 5. another install: a copy of tzm-teed elsewhere runs the core of another runtime dir;
# a client of this build refuses it
if [ -z "${TZM_EXEC_WRAPPER:-}" ]; then
    other=$tmp/other/libexec/tzmediator
    mkdir -p "$other" "$tmp/run-other"
    chmod 700 "$tmp/run-other"
    cp "$(dirname "$TZM_TEED")/tzm-teed" "$(dirname "$TZM_TEED")/tzm-ta-host" "$other/"
    out=$(TZM_RUNTIME_DIR=$tmp/run-other TZM_TEED=$other/tzm-teed TZM_TA_DIR=$v1 \
        "$ping" "$uuid" 0 2>&1) || { echo "$out" >&2; fail "the other install's client"; }
    opid=$(cat "$tmp/run-other/tzm-teed.pid")
    rc=0
    out=$(TZM_RUNTIME_DIR=$tmp/run-other TZM_TA_DIR=$v1 "$ping" "$uuid" 0 2>&1) || rc=$?
    kill "$opid" 2>/dev/null
    [ $rc -ne 0 ] || fail "a client used the core of another install: $out"
    for want in "is $other/tzm-teed" "uses $(readlink -f "$TZM_TEED")" "kill $opid" \
        "TZM_RUNTIME_DIR" "tzmediator "; do
        [[ "$out" == *"$want"* ]] || { echo "$out" >&2; fail "the error does not say '$want'"; }
    done
    ok "another install's core refused: $(grep -m1 libteec <<<"$out")"
fi
echo "tee_ta_lookup: all checks passed"
