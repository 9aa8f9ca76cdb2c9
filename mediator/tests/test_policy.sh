#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every denied operation fails with EACCES/EPERM and is logged; `..` and symlink escapes
# from an allowed tree fail; allowed operations work.
. "$(dirname "$0")/common.sh"
base="$TMP/pol"
mkdir -p "$base/allowed/rw" "$base/allowed/ro" "$base/outside"
echo data >"$base/allowed/ro/data"
echo secret >"$base/outside/secret"
ln -s ../../outside "$base/allowed/rw/link"
ln -s "$base/outside/secret" "$base/allowed/rw/filelink"
mkdir -p "$base/real/inner"
ln -s real "$base/alias"
cat >"$base/p.policy" <<EOP
# test policy
path rw $base/allowed/rw
path ro $base/allowed/ro
path ro $base/alias/inner
max_fds 32
EOP
run_tzm --policy "$base/p.policy" -- policy "$base/allowed" "$base/outside" \
    >"$TMP/pol.out" 2>"$TMP/pol.err"
expect_eq "exit status" 0 "$?"
cat >"$TMP/pol.expected" <<EOE
create_rw OK
read_ro OK
write_ro EACCES
unlink_ro EACCES
read_outside EACCES
stat_outside EACCES
dotdot_escape EACCES
symlink_escape EACCES
symlink_file_escape EACCES
stat_above_rule OK
stat_fs_root OK
access_above_rule OK
list_above_rule EACCES
access_w_above_rule EACCES
stat_above_rule_symlink EACCES
mkdir_root EACCES
mkfifo_outside EACCES
unix_bind_outside EACCES
unix_abstract EACCES
tcp_connect EPERM
tcp_bind EACCES
udp_sendto EPERM
mq_open EACCES
fork ENOSYS
EOE
if ! diff -u "$TMP/pol.expected" "$TMP/pol.out"; then
    fail "policy results differ"
fi
denials=$(grep -c "policy: denied" "$TMP/pol.err")
expect_eq "one log line per denied operation" 18 "$denials"
grep -q "escapes the allowed tree" "$TMP/pol.err" || fail "escape not logged as such"
grep -q "fork() is not supported" "$TMP/pol.err" || fail "ENOSYS not logged"
[ -f "$base/allowed/rw/file" ] || fail "allowed create did not happen"
[ ! -e /tzm-policy-test-dir ] || fail "denied mkdir happened"
# a malformed policy is refused with a clear error
echo "path rw relative/dir" >"$base/bad.policy"
run_tzm --policy "$base/bad.policy" -- policy x y >/dev/null 2>"$TMP/bad.err"
expect_eq "bad policy exit" 64 "$?"
grep -q "bad.policy:1: invalid rule" "$TMP/bad.err" || fail "bad policy message"
# so is an unknown or repeated option on a path rule
for opts in "nolinks bogus" "uplinks uplinks"; do
    printf 'path rw %s\npath rw %s %s\n' "$base/allowed/rw" "$base/allowed" "$opts" >"$base/bad2.policy"
    run_tzm --policy "$base/bad2.policy" -- policy x y >/dev/null 2>"$TMP/bad2.err"
    expect_eq "bad option '$opts' exit" 64 "$?"
    grep -q "bad2.policy:2: invalid rule" "$TMP/bad2.err" || fail "bad option '$opts' message"
done
# a line longer than the loader's buffer is refused: its tail must never be read as a
# rule of its own (here a rule at the end of a long comment would grant the outside tree)
{
    printf '# %s' "$(head -c 1021 /dev/zero | tr '\0' x)"
    printf 'path ro %s\n' "$base/outside"
} >"$base/long.policy"
run_tzm --policy "$base/long.policy" -- policy "$base/allowed" "$base/outside" \
    >"$TMP/long.out" 2>"$TMP/long.err"
expect_eq "over-long policy line exit" 64 "$?"
grep -q "long.policy:1: line longer than 1022 characters" "$TMP/long.err" ||
    fail "over-long line message: $(cat "$TMP/long.err")"
grep -q "read_outside OK" "$TMP/long.out" && fail "the tail of a comment line granted a rule"
printf 'path rw %s nolinks uplinks\n' "$base/allowed/rw" >"$base/opts.policy"
run_tzm --policy "$base/opts.policy" -- policy "$base/allowed" "$base/outside" >/dev/null 2>"$TMP/opts.err"
[ "$?" != 64 ] || fail "both path options refused: $(cat "$TMP/opts.err")"
# no policy at all: deny everything
run_tzm -- policy "$base/allowed" "$base/outside" >"$TMP/none.out" 2>/dev/null
grep -q "read_ro EACCES" "$TMP/none.out" || fail "default policy is not deny"
finish
