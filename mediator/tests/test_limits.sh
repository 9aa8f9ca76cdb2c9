#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Where a TA differs from a native process by design, it says so: thread creation fails
# with EAGAIN (pthread_create) / thrd_error (thrd_create) and one log line, instead of
# appearing to succeed; chdir outside the policy is denied (EACCES) and logged.
. "$(dirname "$0")/common.sh"
base="$TMP/limits"
mkdir -p "$base/rw"
base=$(cd "$base" && pwd -P)
cat >"$base/p.policy" <<EOP
path rw $base/rw
EOP
warm_up_tee
run_tzm --policy "$base/p.policy" -- "$base/rw" >"$TMP/limits.out" 2>"$TMP/limits.err"
expect_eq "exit status" 0 "$?"
cat >"$TMP/limits.expected" <<EOE
pthread_create EAGAIN
thrd_create thrd_error
thread_ran 0
chdir_allowed OK
chdir_outside EACCES
chdir_dotdot_outside EACCES
EOE
if ! diff -u "$TMP/limits.expected" "$TMP/limits.out"; then
    fail "results differ"
    cat "$TMP/limits.err" >&2
fi
expect_eq "pthread_create logged once" 1 "$(grep -c 'pthread_create() is not supported' "$TMP/limits.err")"
expect_eq "thrd_create logged once" 1 "$(grep -c 'thrd_create() is not supported' "$TMP/limits.err")"
expect_eq "chdir denials logged" 2 "$(grep -c 'policy: denied chdir' "$TMP/limits.err")"
finish
