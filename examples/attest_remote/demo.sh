#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Part of `make demo`: remote attestation before a secret is released. A POSIX server runs
# as a TA through the mediator; a remote client sends a fresh challenge over TCP, gets the
# TA's CCA-format token, verifies it (platform key, binding, challenge, TA measurement =
# SHA-256 of the .ta file), and only then sends its secret. A client that expects another
# build refuses. Called as `examples/attest_remote/demo.sh BUILD_DIR` inside a private TEE.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../cmake/tzm-script.sh
. "$here/../../cmake/tzm-script.sh"
uuid=61747465-7374-4d72-8000-000000000001
tzm_run=$build/bin/tzm-run
client=$build/bin/attest_client
tzm_attest=$build/bin/tzm-attest
export TZM_TA_DIR=${TZM_TA_DIR:-$build/lib/optee_armtz}
ta=$TZM_TA_DIR/$uuid.ta
for f in "$tzm_run" "$client" "$tzm_attest" "$ta"; do
    [ -e "$f" ] || { echo "attest demo: $f is missing; build first (make demo does)" >&2; exit 1; }
done
work=$(mktemp -d "${TZM_TEST_TMPDIR:-${TMPDIR:-/tmp}}/attest-demo.XXXXXX")
server_pid=""
cleanup() {
    tzm_stop_bg "$server_pid"
    rm -rf "$work"
}
trap cleanup EXIT

say "Remote attestation over the mediator: verify the TA before trusting it with a secret"
info "TA:     $ta (examples/attest_remote/attest_server.c, plain POSIX TCP server)"
: >"$work/server.err" # read below before the background job may have opened it
"$tzm_run" --policy "$here/attest_server.policy" "$uuid" -- 127.0.0.1 0 --count 2 \
    2>"$work/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's/^attest_server: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/server.err")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "attest demo: server did not start" >&2; exit 1; }
info "The TA listens on 127.0.0.1:$port (a real host socket, created by its shadow)."

"$tzm_attest" platform-key >"$work/platform.pem"
rim=$(sha256sum "$ta" | cut -d' ' -f1)
printf 'rim %s\n' "$rim" >"$work/good.rv"
printf 'rim %s\n' "$(printf 'another build' | sha256sum | cut -d' ' -f1)" >"$work/bad.rv"
info "The verifier knows the platform key and the TA build it trusts: RIM $rim"

say "1. A client that trusts this build"
"$client" 127.0.0.1 "$port" --platform-key "$work/platform.pem" --ref-values "$work/good.rv" \
    --save-token "$work/token.cbor" --secret "open sesame" | sed 's/^/  | /'
info "The token, checked again with the command-line verifier (tzm attest verify):"
"$tzm_attest" verify "$work/token.cbor" --platform-key "$work/platform.pem" \
    --ref-values "$work/good.rv" | sed 's/^/  | /'

say "2. A client that expects another build"
rc=0
"$client" 127.0.0.1 "$port" --platform-key "$work/platform.pem" --ref-values "$work/bad.rv" \
    --secret "must not leak" >"$work/client2.out" || rc=$?
sed 's/^/  | /' "$work/client2.out"
if [ "$rc" -eq 0 ]; then
    echo "attest demo: the client sent its secret to an unexpected build" >&2
    exit 1
fi
info "(client exit status $rc: the secret was withheld)"
wait "$server_pid" || true
server_pid=""
say "What the TA saw"
sed 's/^/  | /' "$work/server.err"
