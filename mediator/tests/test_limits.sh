#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Where a TA differs from a native process by design, it says so (threads are no longer
# such a place: pthread_create and thrd_create work, test_threads.sh); chdir outside the policy is denied (EACCES) and logged; raw
# syscall() fails with ENOSYS and a log line naming the number; metadata changes need a
# read-write rule (by path or by descriptor); a symlink may not point out of the policy, nor
# have ".." in its target unless the rule says `uplinks`; a
# hard link may not make a read-only file writable; tmpfile without a rule for /tmp: EACCES.
. "$(dirname "$0")/common.sh"
base="$TMP/limits"
mkdir -p "$base/rw" "$base/ro" "$base/up"
echo data >"$base/ro/data"
base=$(cd "$base" && pwd -P)
cat >"$base/p.policy" <<EOP
path rw $base/rw
path ro $base/ro
path rw $base/up uplinks
EOP
warm_up_tee
run_tzm --policy "$base/p.policy" -- "$base/rw" "$base/ro" "$base/up" >"$TMP/limits.out" 2>"$TMP/limits.err"
expect_eq "exit status" 0 "$?"
cat >"$TMP/limits.expected" <<EOE
pthread_create OK
thrd_create OK
thread_ran 1
chdir_allowed OK
chdir_outside EACCES
chdir_dotdot_outside EACCES
syscall_getpid ENOSYS
chmod_ro EACCES
chown_ro EACCES
utimes_ro EACCES
truncate_ro EACCES
open_ro OK
fchmod_ro_fd EACCES
futimens_ro_fd EACCES
chmod_rw OK
symlink_outside EACCES
symlink_dotdot_outside EACCES
mkdir_abc OK
symlink_dotdot_in_tree EACCES
symlink_inner_dotdot EACCES
symlink_down OK
symlink_abs_in_tree OK
symlink_abs_dotdot EACCES
uplinks_dotdot_in_tree OK
uplinks_dotdot_outside EACCES
symlink_ro_target OK
readlink_ro_target OK
link_from_ro EACCES
readlink_outside EACCES
realpath_outside EACCES
tmpfile_no_rule EACCES
setsid_not_leader ENOSYS
EOE
if ! diff -u "$TMP/limits.expected" "$TMP/limits.out"; then
    fail "results differ"
    cat "$TMP/limits.err" >&2
fi
expect_eq "no thread refusal logged" 0 "$(grep -c 'pthread_create\|thrd_create' "$TMP/limits.err")"
expect_eq "chdir denials logged" 2 "$(grep -c 'policy: denied chdir' "$TMP/limits.err")"
grep -qE 'syscall\((39|172)\) is not supported' "$TMP/limits.err" || fail "raw syscall not logged"
expect_eq "symlink targets outside logged" 2 "$(grep -c 'target outside the policy' "$TMP/limits.err")"
expect_eq "'..' targets without uplinks logged" 4 "$(grep -c "in a link target needs the rule option 'uplinks'" "$TMP/limits.err")"
[ ! -L "$base/rw/a/b/c/d" ] || fail "the escape's first link was made"
[ -L "$base/up/up" ] || fail "the uplinks tree did not get its link"
[ ! -e "$base/rw/hard" ] || fail "hard link from the read-only tree was made"
grep -q 'setsid() is not supported' "$TMP/limits.err" || fail "setsid not logged"
expect_eq "read-only file untouched" 0644 "$(stat -c %04a "$base/ro/data")"
finish
