#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# SQLite (Debian's libsqlite3.a, unmodified, under sqlfront.c) through the mediator, against
# the same front end built natively:
#   1. create a table, insert in a transaction, read back: output equal to the native run;
#   2. a native process holds the write lock (BEGIN IMMEDIATE): the TA's insert gets
#      SQLITE_BUSY, and succeeds once the holder committed; then the other way round
#      (the TA holds it, the native insert gets SQLITE_BUSY);
#   3. WAL mode: SQLite maps the -shm file shared (mmap MAP_SHARED), which a TA cannot do:
#      it must fail with libtzm's line naming the mmap, never pretend to work; with
#      PRAGMA locking_mode=EXCLUSIVE first (no mapping) WAL works as natively.
. "$(dirname "$0")/../common.sh"
pol="$TMP/sq.policy"
mkdir -p "$TMP/db" "$TMP/native"
# /dev/urandom: SQLite seeds its random numbers from it (else from the time, and a line)
printf 'path rw %s\npath ro /dev/urandom\n' "$TMP/db" >"$pol"
nat() { ${TZM_EXEC_WRAPPER:-} "$NATIVE" "$@"; }
warm_up_tee

# 1. the basics, natively and mediated
nat "$TMP/native/n.db" basic >"$TMP/native.out" 2>"$TMP/native.err"
expect_eq "native basic status" 0 "$?"
run_tzm --policy "$pol" -- "$TMP/db/t.db" basic >"$TMP/basic.out" 2>"$TMP/basic.err"
expect_eq "mediated basic status" 0 "$?"
if ! diff -u "$TMP/native.out" "$TMP/basic.out"; then
    fail "basic: mediated output differs from the native one"
    cat "$TMP/basic.err" >&2
fi
grep -qx "101|5151|row 99" "$TMP/basic.out" || fail "basic: rows not read back"

# busy WRITER HOLDER: HOLDER (nat or med) holds the write lock, WRITER (the other) gets
# SQLITE_BUSY, then inserts once HOLDER has committed. The go-aheads go through FIFOs.
med() { run_exec --policy "$pol" -- "$@"; }
busy() {
    local writer=$1 holder=$2 tag=$1-vs-$2 hpid wpid
    rm -f "$TMP/$tag.hin" "$TMP/$tag.win"
    mkfifo "$TMP/$tag.hin" "$TMP/$tag.win"
    ($holder "$TMP/db/t.db" hold <"$TMP/$tag.hin" >"$TMP/$tag.hold" 2>"$TMP/$tag.hold.err") &
    hpid=$!
    exec 3>"$TMP/$tag.hin"
    wait_for_line "$TMP/$tag.hold" '^(holding|error)' || { exec 3>&-; return; }
    ($writer "$TMP/db/t.db" busy <"$TMP/$tag.win" >"$TMP/$tag.busy" 2>"$TMP/$tag.busy.err") &
    wpid=$!
    exec 4>"$TMP/$tag.win"
    wait_for_line "$TMP/$tag.busy" '^(busy|error)'
    echo go >&3
    wait_for_line "$TMP/$tag.hold" '^(committed|error)'
    echo go >&4
    exec 3>&- 4>&-
    wait "$wpid"
    expect_eq "$tag: writer status" 0 "$?"
    wait "$hpid"
    expect_eq "$tag: holder status" 0 "$?"
    expect_eq "$tag: writer output" "$(printf 'busy\ninserted')" "$(cat "$TMP/$tag.busy")"
    expect_eq "$tag: holder output" "$(printf 'holding\ncommitted')" "$(cat "$TMP/$tag.hold")"
    cat "$TMP/$tag.busy.err" "$TMP/$tag.hold.err" >&2
}
busy med nat
busy nat med
expect_eq "rows after both writers and both holders" 105 "$(nat "$TMP/db/t.db" count)"

# 3. WAL: refused clearly (the -shm file would have to be mapped shared)
run_tzm --policy "$pol" -- "$TMP/db/w.db" wal >"$TMP/wal.out" 2>"$TMP/wal.err"
expect_eq "WAL status" 1 "$?"
grep -q "^wal$" "$TMP/wal.out" || fail "WAL: journal_mode not switched (the pragma itself)"
grep -q "^error: " "$TMP/wal.out" || fail "WAL: no SQLite error"
grep -q "mmap of a file .* is not supported" "$TMP/wal.err" || fail "WAL: no line naming the mmap"
nat "$TMP/native/w.db" wal >"$TMP/wal-native.out" 2>&1
expect_eq "native WAL status" 0 "$?"
# ... but WAL with PRAGMA locking_mode=EXCLUSIVE works: SQLite keeps its index in its own
# memory then (no -shm mapping; one process only)
nat "$TMP/native/x.db" walx >"$TMP/walx-native.out" 2>&1
expect_eq "native WAL (exclusive locking) status" 0 "$?"
run_tzm --policy "$pol" -- "$TMP/db/x.db" walx >"$TMP/walx.out" 2>"$TMP/walx.err"
expect_eq "WAL (exclusive locking) status" 0 "$?"
if ! diff -u "$TMP/walx-native.out" "$TMP/walx.out"; then
    fail "WAL (exclusive locking): mediated output differs from the native one"
    cat "$TMP/walx.err" >&2
fi
finish
