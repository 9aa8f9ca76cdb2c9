#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A TA's POSIX record locks are held by the shadow, whose own closes of the file would drop
# them (shadow/h_lock.c): lockkeep.c write-locks a file, then makes calls that reach the
# file through the shadow without closing a descriptor of it (path calls, fsync, an open
# refused with EMFILE: the table full, max_fds 32 / ulimit -n 32), and after each group
# the lock must still be held as seen from another process (tzm_lockpeer --check); closing
# a second descriptor of the file must drop it. Then the same program with its stdout
# being the file locks it through fd 1 and closes fd 1, which must drop the lock too (a TA's
# fd 1 is tzm-run's own stdout, kept open by the shadow). Natively and mediated alike.
# usage: test_lockkeep.sh TZM_RUN MODE TARGET NATIVE LOCKPEER
. "$(dirname "$0")/common.sh"
PEER=$5
base=$(cd "$TMP" && pwd -P)
pol="$base/keep.policy"
mkdir -p "$base/native" "$base/med"
printf 'path rw %s\nmax_fds 32\n' "$base/med" >"$pol"

# held NAME DIR: 0 if nothing holds a lock on DIR/kept.db, 1 if something does
held() {
    ${TZM_EXEC_WRAPPER:-} "$PEER" "$2" --check kept.db 2>/dev/null
    echo $?
}

variant() { # NAME DIR CMD...
    local name=$1 dir=$2 pid s
    shift 2
    rm -f "$base/$name.in"
    mkfifo "$base/$name.in"
    ("$@" <"$base/$name.in" >"$base/$name.out" 2>"$base/$name.err") &
    pid=$!
    exec 3>"$base/$name.in"
    for s in locked paths full; do
        wait_for_line "$base/$name.out" "^($s|FAIL)" || break
        if grep -q '^FAIL' "$base/$name.out"; then
            fail "$name: $(grep '^FAIL' "$base/$name.out")"
            break
        fi
        expect_eq "$name: after '$s' the lock is held" 1 "$(held "$name" "$dir")"
        echo go >&3
    done
    if wait_for_line "$base/$name.out" "^(closed|FAIL)"; then
        expect_eq "$name: closing another descriptor dropped the lock" 0 "$(held "$name" "$dir")"
    fi
    echo go >&3
    exec 3>&-
    wait "$pid"
    expect_eq "$name: exit status" 0 "$?"
    cat "$base/$name.err" >&2
}

# stdout_variant NAME DIR CMD...: the program's stdout is DIR/kept.db, which it locks
# through fd 1 and closes: the lock must go (as a TA, fd 1 is tzm-run's own stdout, which
# the shadow keeps open: it drops the TA's locks itself)
stdout_variant() {
    local name=$1 dir=$2 pid
    shift 2
    rm -f "$base/$name.in" "$dir/kept.db"
    mkfifo "$base/$name.in"
    ("$@" <"$base/$name.in" >"$dir/kept.db" 2>"$base/$name.err") &
    pid=$!
    exec 3>"$base/$name.in"
    if wait_for_line "$base/$name.err" "^(locked|FAIL)" &&
        ! grep -q '^FAIL' "$base/$name.err"; then
        expect_eq "$name: the lock taken through stdout is held" 1 "$(held "$name" "$dir")"
        echo go >&3
        if wait_for_line "$base/$name.err" "^(closed|FAIL)" &&
            ! grep -q '^FAIL' "$base/$name.err"; then
            expect_eq "$name: closing stdout dropped the lock" 0 "$(held "$name" "$dir")"
        fi
    fi
    grep '^FAIL' "$base/$name.err" >/dev/null && fail "$name: $(grep '^FAIL' "$base/$name.err")"
    echo go >&3
    exec 3>&-
    wait "$pid"
    expect_eq "$name: exit status" 0 "$?"
    cat "$base/$name.err" >&2
}

warm_up_tee
variant native "$base/native" bash -c 'ulimit -n 32 && exec ${TZM_EXEC_WRAPPER:-} "$0" "$@"' \
    "$NATIVE" "$base/native"
variant "$MODE" "$base/med" run_exec --policy "$pol" -- "$base/med"
stdout_variant native-stdout "$base/native" ${TZM_EXEC_WRAPPER:-} "$NATIVE" --stdout
stdout_variant "$MODE-stdout" "$base/med" run_exec --policy "$pol" -- --stdout
finish
