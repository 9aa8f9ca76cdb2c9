# SPDX-License-Identifier: BSD-2-Clause
# Shared helpers for the mediator's system tests. Scripts are called as
#   <script> <tzm-run> <mode> <target> [native]
# where mode is `local` (target = a <name>-local executable, no TEE) or `ta`
# (target = the TA's UUID, run in the private TEE that tzm_add_test provides).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../../cmake/tzm-proc.sh"
TZMRUN=$1
MODE=$2
TARGET=$3
NATIVE=${4:-}
TMP=${TZM_TEST_TMPDIR:-$(mktemp -d)}
FAILED=0

if [ "$MODE" = local ]; then
    TARGET_ARGS=(--local "$TARGET")
else
    TARGET_ARGS=("$TARGET")
fi

# tzm_command [tzm-run options...] -- [program args...]: sets the array TZM_COMMAND to the
# tzm-run command line, the target (TARGET_ARGS) between the options and the arguments.
tzm_command() {
    TZM_COMMAND=(${TZM_EXEC_WRAPPER:-} "$TZMRUN")
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        TZM_COMMAND+=("$1")
        shift
    done
    shift
    TZM_COMMAND+=("${TARGET_ARGS[@]}" -- "$@")
}

# run_tzm [tzm-run options...] -- [program args...]
run_tzm() {
    local TZM_COMMAND
    tzm_command "$@"
    "${TZM_COMMAND[@]}"
}

# start_tzm OUT ERR [tzm-run options...] -- [args...]: runs in the background; TZPID is
# tzm-run's own pid (not a subshell's), so signals reach it.
# (Cross builds: TZM_EXEC_WRAPPER runs tzm-run under qemu-user, which passes signals on.)
start_tzm() {
    local out=$1 err=$2
    shift 2
    (exec > "$out" 2> "$err"; run_exec "$@") &
    TZPID=$!
}

run_exec() {
    local TZM_COMMAND
    tzm_command "$@"
    exec "${TZM_COMMAND[@]}"
}

# TA mode: make sure the TEE is up (first contact with an on-demand tzm-teed can fail
# under load, see the report to the TEE owner); the program answers 64 to a bad mode.
warm_up_tee() {
    local i
    [ "$MODE" = ta ] || return 0
    for i in 1 2 3; do
        run_tzm -- warm-up >/dev/null 2>&1
        [ $? -eq 64 ] && return 0
        sleep 1
    done
    echo "warning: TEE not reachable during warm-up" >&2
}

fail() {
    echo "FAIL: $*" >&2
    FAILED=1
}

expect_eq() { # what expected actual
    if [ "$2" != "$3" ]; then
        fail "$1: expected '$2', got '$3'"
    else
        echo "ok: $1"
    fi
}

# Bounded waits for events end as soon as the event comes: their limits are generous
# (60 s by default), for a loaded machine or qemu-user, and cost time only on failure.

# wait_for_line FILE REGEX [timeout-s]: waits until FILE has a line matching REGEX
wait_for_line() {
    local i
    for i in $(seq 1 $((${3:-60} * 20))); do
        if grep -qE "$2" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    fail "timed out waiting for '$2' in $1"
    return 1
}

# wait_tcp_listen PORT [timeout-s]: waits until a TCP socket listens on PORT (IPv4), read
# from /proc/net/tcp so that no probe connection is spent on a one-shot server.
wait_tcp_listen() {
    local i hex
    hex=$(printf ':%04X ' "$1")
    for i in $(seq 1 $((${2:-60} * 20))); do
        if awk -v p="$hex" '$4 == "0A" && index($2 " ", p) { found = 1 } END { exit !found }' \
            /proc/net/tcp 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    fail "timed out waiting for a listener on TCP port $1"
    return 1
}

finish() {
    if [ "$FAILED" -ne 0 ]; then
        echo "some checks failed" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
