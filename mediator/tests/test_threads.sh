#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Threads in a TA (issue 16): a thread-per-connection echo server whose silent client
# keeps one thread blocked in read while the other clients get their answers (the shadow
# serves the TA's threads concurrently); mutex, condition variable, rwlock, once, TLS
# keys, join/detach and C11 threads across TA threads; the thread limit (EAGAIN beyond
# the channel's lanes, one log line naming the limit; a joined thread's lane comes back).
# pthread_kill (main to itself; to another thread).
# Called as: test_threads.sh <tzm-run> <mode> <target> <native> <tzm_thread_clients>
. "$(dirname "$0")/common.sh"
CLIENTS=$5
name="tzm-thr-$$-$MODE"
pol="$TMP/threads.policy"
cat >"$pol" <<EOP
unix @$name*
EOP
warm_up_tee

# echo: 4 connections, one of them silent until the others are done
run_tzm --policy "$pol" -- echo "$name" 4 >"$TMP/echo.out" 2>"$TMP/echo.err" &
pid=$!
# (an ELF of the target: under a cross build's emulator, through TZM_EXEC_WRAPPER)
timeout 300 ${TZM_EXEC_WRAPPER:-} "$CLIENTS" "$name" 4 >"$TMP/clients.out" 2>"$TMP/clients.err"
rc=$?
expect_eq "clients answered while one thread blocks in read" 0 "$rc"
cat "$TMP/clients.err" >&2
if [ "$rc" -ne 0 ]; then
    kill "$pid" 2>/dev/null # its clients are gone: it would wait for them forever
fi
wait $pid
expect_eq "echo server exit" 0 "$?"
expect_eq "echo server served" "served 4" "$(cat "$TMP/echo.out")"
[ -s "$TMP/echo.err" ] && cat "$TMP/echo.err" >&2

# sync
run_tzm -- sync >"$TMP/sync.out" 2>"$TMP/sync.err"
expect_eq "sync exit" 0 "$?"
cat >"$TMP/sync.expected" <<EOE
mutex OK
rwlock OK
once OK
key_destructors OK
cond OK
calls OK
detach OK
c11 OK
EOE
if ! diff -u "$TMP/sync.expected" "$TMP/sync.out"; then
    fail "sync results differ"
    cat "$TMP/sync.err" >&2
fi

# limit: the channel has 32 lanes (default data area), main holds one
run_tzm -- limit >"$TMP/limit.out" 2>"$TMP/limit.err"
expect_eq "limit exit" 0 "$?"
expect_eq "limit" "created 31 then EAGAIN" "$(head -1 "$TMP/limit.out")"
expect_eq "lane back after join" "after_join OK" "$(sed -n 2p "$TMP/limit.out")"
expect_eq "limit logged once" 1 \
    "$(grep -c 'pthread_create(): the TA has 32 threads, the limit of its channel' "$TMP/limit.err")"
# signals for threads: main's thread to itself runs the handler; another thread's signal
# is delivered to it (libtzm's own pthread_kill: libc's sent a real signal that libtzm
# never saw, whose default action killed the TA; diff_threadsig tests the delivery)
run_tzm -- sigthread >"$TMP/sig.out" 2>"$TMP/sig.err"
expect_eq "sigthread exit" 0 "$?"
cat >"$TMP/sig.expected" <<EOE
self OK
probe OK
other delivered
bad signal OK
EOE
if ! diff -u "$TMP/sig.expected" "$TMP/sig.out"; then
    fail "sigthread results differ"
    cat "$TMP/sig.err" >&2
fi
finish
