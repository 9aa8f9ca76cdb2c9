#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_core_nondumpable: tzm-teed holds the device key, the attestation key and storage
# plaintext, so it makes itself non-dumpable like the TA hosts: another process of the
# same uid (without CAP_SYS_PTRACE) can neither ptrace it nor open its /proc/<pid>/mem.
#   usage: test_core_nondumpable.sh <tee_ping>
# Runs a private TEE as an unprivileged uid (nobody, via setpriv, when run as root; the
# caller's own uid otherwise), then opens /proc/<core>/mem as that same uid: refused when
# the core is non-dumpable, allowed when it is not (a control process of that uid shows
# the reader could open a dumpable one). Skipped (77) without setpriv as root, under
# qemu-user/valgrind (TZM_INSECURE_NO_SANDBOX: the core is the emulator) and in
# sanitizer builds (LeakSanitizer attaches to the core's own threads: flag left alone).
set -u
ping=$1
. "$(dirname "$0")/../../../cmake/tzm-exec.sh"
. "$(dirname "$0")/../../../cmake/tzm-proc.sh"

if [ -n "${TZM_INSECURE_NO_SANDBOX:-}" ]; then
    echo "tee_core_nondumpable: skipped: TZM_INSECURE_NO_SANDBOX (qemu-user/valgrind run)"
    exit 77
fi
base=$(mktemp -d /tmp/tzm-nodump.XXXXXX)
ctl=
cleanup() {
    [ -n "$ctl" ] && kill "$ctl" 2>/dev/null
    [ -f "$base/run/tzm-teed.pid" ] && kill "$(cat "$base/run/tzm-teed.pid")" 2>/dev/null
    rm -rf "$base"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "tee_core_nondumpable: skipped: no setpriv"; exit 77; }
    chmod 755 "$base"
    mkdir -m 700 "$base/run" "$base/state"
    chown 65534:65534 "$base/run" "$base/state"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
    if ! "${as[@]}" test -x "$ping" || ! "${as[@]}" test -r "${TZM_TA_DIR:-/}"; then
        echo "tee_core_nondumpable: skipped: uid 65534 cannot reach the build tree" \
             "(e.g. under a 0700 home directory)"
        exit 77
    fi
else
    mkdir -m 700 "$base/run" "$base/state"
    as=(env)
fi
"${as[@]}" env TZM_RUNTIME_DIR="$base/run" TZM_STATE_DIR="$base/state" TZM_TA_DIR="${TZM_TA_DIR:-}" \
    ${TZM_EXEC_WRAPPER:-} "$ping" >/dev/null || { echo "  FAIL tee_ping did not reach the TEE"; exit 1; }
pid=$(cat "$base/run/tzm-teed.pid" 2>/dev/null)
[ -n "$pid" ] && tzm_alive "$pid" || { echo "  FAIL no running tzm-teed"; exit 1; }
if grep -q "libasan" "/proc/$pid/maps" 2>/dev/null; then
    echo "tee_core_nondumpable: skipped: sanitizer build"
    exit 77
fi
open_mem() { "${as[@]}" bash -c 'exec 3<"/proc/$1/mem"' open_mem "$1" 2>/dev/null; }
"${as[@]}" sleep 60 & ctl=$! # setpriv and env exec sleep in place: same pid
for _ in $(seq 200); do grep -q '^Name:.*sleep' "/proc/$ctl/status" 2>/dev/null && break; sleep 0.05; done
if ! open_mem $ctl; then
    echo "  FAIL control: the reader cannot open a dumpable process's /proc/<pid>/mem"; exit 1
fi
if open_mem "$pid"; then
    echo "  FAIL a same-uid process opened tzm-teed's /proc/$pid/mem (core is dumpable)"
    exit 1
fi
echo "  ok   tzm-teed (pid $pid) refuses a same-uid reader of its memory"
