#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The test suite with every process under valgrind memcheck: the test programs, tzm-teed,
# each TA host and each shadow (all started through TZM_EXEC_WRAPPER). Memcheck sees
# what ASan cannot: uninitialised bytes used in decisions or sent to another process,
# i.e. memory contents leaking across the world boundary.
#   scripts/valgrind.sh BUILD_DIR [extra ctest args...]
#   TZM_VALGRIND_SKIP=REGEX   more tests not to run (make valgrind: those needing openat2)
# Seccomp filters and valgrind do not mix, so the loud insecure switch is set (as for
# qemu-user); the sandbox-proof tests skip themselves, saying why. Not run:
#   tee_panic, tee_errors        their TAs crash on purpose (memcheck reports the
#                                deliberate write through NULL as an error);
#   tee_idle_exit                a timing test of the daemon's 1 ms idle exit;
#   attest_vector_mutations_*    thousands of verifier runs in one process (~10 min
#                                under memcheck; ASan and the fuzzer cover them);
#   bench_smoke                  the benchmark, whose spinning doorbell memcheck
#                                serialises into minutes.
# Fails when a test fails or when any process's memcheck log holds an error.
set -euo pipefail
build=${1:?usage: scripts/valgrind.sh BUILD_DIR [ctest args...]}
shift
build=$(cd "$build" && pwd -P)
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

skip='^(tee_panic|tee_errors|tee_idle_exit|attest_vector_mutations_[0-9]+|bench_smoke)$'
if [ -n "${TZM_VALGRIND_SKIP:-}" ]; then
    skip="$skip|$TZM_VALGRIND_SKIP"
fi
# an absolute path: the shadow's local transport execs the wrapper's first word as is
vg=$(command -v valgrind) || { echo "valgrind: not installed" >&2; exit 1; }

status=0
(cd "$build" &&
    TZM_INSECURE_NO_SANDBOX=1 \
    TZM_EXEC_WRAPPER="$vg -q --track-origins=yes --log-file=$logs/%p.log" \
    ctest --output-on-failure -E "$skip" "$@") ||
    status=1

# Error headers look like "==PID== Invalid read of size 4"; "--PID--" lines are
# valgrind's own notes (e.g. a system call it does not know, such as seccomp).
bad=0
for f in "$logs"/*.log; do
    [ -e "$f" ] || continue
    if grep -qE '^==[0-9]+== [A-Z]' "$f"; then
        echo "---- memcheck errors in $f ----"
        grep -vE '^--[0-9]+--' "$f" | head -60
        bad=$((bad + 1))
    fi
done
n=$(find "$logs" -name '*.log' | wc -l)
if [ "$bad" -ne 0 ]; then
    echo "valgrind: memcheck errors in $bad of $n processes (logs in $logs)"
    status=1
else
    echo "valgrind: no memcheck errors in $n processes"
fi
exit "$status"
