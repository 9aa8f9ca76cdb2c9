#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The attacks of issue 10 (items 5-8) and issue 11 (items 6, 8) on the shadow's policy:
# implicit binds, symlinked UNIX sockets (also under a swap race), rule kinds, hard links,
# the rule roots themselves, UDP replies. Each section states what the TA must get; every
# denial must be logged exactly once.
. "$(dirname "$0")/common.sh"
[ -n "$NATIVE" ] || { echo "usage: needs the native mtest as 4th argument" >&2; exit 64; }
b="$TMP/pa"
rm -rf "$b"
mkdir -p "$b"
warm_up_tee

# check NAME POLICY EXPECTED-DENIALS EXPECTED-OUTPUT -- program args...
check() {
    local name=$1 pol=$2 ndeny=$3 expected=$4
    shift 5
    run_tzm --policy "$pol" -- "$@" >"$b/$name.out" 2>"$b/$name.err"
    expect_eq "$name: exit status" 0 "$?"
    if ! diff -u <(printf '%s\n' "$expected") "$b/$name.out"; then
        fail "$name: results differ"
    fi
    expect_eq "$name: denial lines" "$ndeny" "$(grep -c 'tzm-run: policy: denied' "$b/$name.err")"
}

# --- implicit binds (issue 10 item 5) ---------------------------------------------------
: >"$b/empty.policy"
# listen() on an unbound TCP socket would bind 0.0.0.0:<random>: checked as that bind
check listen_empty "$b/empty.policy" 1 "listen-unbound EACCES
bound 0.0.0.0" -- net listen-unbound
grep -q "listen tcp on an unbound socket: implicit bind to 0.0.0.0 port 0" \
    "$b/listen_empty.err" || fail "implicit bind denial not explained"
echo "tcp bind * *" >"$b/anybind.policy"
check listen_anybind "$b/anybind.policy" 0 "listen-unbound OK
bound 0.0.0.0" -- net listen-unbound
# UDP sendto from an unbound socket: a connect rule is not a bind rule
echo "udp connect 127.0.0.1 *" >"$b/udpconn.policy"
check sendto_nobind "$b/udpconn.policy" 1 "sendto-unbound EACCES
bound 0.0.0.0" -- net sendto-unbound 9
# with a bind rule for loopback only, the shadow binds the routed source address, not 0.0.0.0
printf 'udp connect 127.0.0.1 *\nudp bind 127.0.0.1 *\n' >"$b/udpboth.policy"
check sendto_loopbind "$b/udpboth.policy" 0 "sendto-unbound OK
bound 127.0.0.1" -- net sendto-unbound 9
# UNIX autobind picks an abstract name: only `unix @*` allows it
check autobind_empty "$b/empty.policy" 1 "autobind EACCES
bound unix:unnamed" -- net autobind
echo "unix @*" >"$b/anyabstract.policy"
check autobind_any "$b/anyabstract.policy" 0 "autobind OK
bound unix:named" -- net autobind
# an outgoing TCP client's ephemeral port needs no bind rule
"$NATIVE" echo tcp 0 1 >"$b/srv.out" 2>&1 &
srv=$!
if wait_for_line "$b/srv.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$b/srv.out")
    echo "tcp connect 127.0.0.1 $port" >"$b/tcpclient.policy"
    check tcp_client "$b/tcpclient.policy" 0 "got ephemeral" -- client "$port" ephemeral
fi
wait $srv

# ::ffff:127.0.0.1 over an IPv6 socket is the IPv4 loopback: an IPv6-only rule (::/0) must
# not grant it; an IPv4 rule for 127.0.0.1 does, whichever form the TA uses
"$NATIVE" echo tcp 0 1 >"$b/srv6.out" 2>&1 &
srv=$!
if wait_for_line "$b/srv6.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$b/srv6.out")
    echo "tcp connect ::/0 $port" >"$b/v6only.policy"
    check mapped_v6rule "$b/v6only.policy" 1 "connect-mapped EPERM" -- net connect-mapped "$port"
    echo "tcp connect 127.0.0.1 $port" >"$b/v4lo.policy"
    check mapped_v4rule "$b/v4lo.policy" 0 "connect-mapped OK" -- net connect-mapped "$port"
fi
wait $srv

# --- UDP replies (issue 11 item 8) -------------------------------------------------------
udp_reply_case() { # name policy-line expected-reply expected-denials
    printf 'udp bind 127.0.0.1 *\n%s\n' "$2" >"$b/$1.policy"
    start_tzm "$b/$1.out" "$b/$1.err" --policy "$b/$1.policy" -- udpreply
    if wait_for_line "$b/$1.out" '^ready '; then
        port=$(awk '/^ready/ {print $2}' "$b/$1.out")
        timeout 20 "$NATIVE" udpclient "$port" pong "$5" >"$b/$1.client" 2>&1
    fi
    wait $TZPID
    expect_eq "$1: exit status" 0 "$?"
    expect_eq "$1: results" "ready $port
reply $3
other_port EPERM" "$(cat "$b/$1.out")"
    expect_eq "$1: denial lines" "$4" "$(grep -c 'tzm-run: policy: denied' "$b/$1.err")"
}
udp_reply_case udp_reply_default "" OK 1 10000
grep -q "got pong" "$b/udp_reply_default.client" || fail "UDP client got no reply"
udp_reply_case udp_reply_off "udp_reply off" EPERM 2 500

# --- symlinked UNIX sockets (issue 10 item 6) --------------------------------------------
mkdir -p "$b/socks" "$b/outside"
printf 'unix %s\n' "$b/socks" >"$b/socks.policy"
declare -A SPID SFD
start_serve() { # name path kind: a native server counting what reaches path
    local fd
    rm -f "$b/$1.ctl"
    mkfifo "$b/$1.ctl"
    "$NATIVE" unixserve "$2" "$3" <"$b/$1.ctl" >"$b/$1.srv" 2>&1 &
    SPID[$1]=$!
    exec {fd}>"$b/$1.ctl"
    SFD[$1]=$fd
    wait_for_line "$b/$1.srv" '^ready'
}
stop_serve() { # name: ends the server (closing its stdin); RECEIVED: what reached it
    exec {SFD[$1]}>&-
    wait "${SPID[$1]}"
    RECEIVED=$(awk '/^received/ {print $2}' "$b/$1.srv")
}
for kind in stream dgram; do
    start_serve out "$b/outside/out.sock" $kind
    ln -sfn ../outside/out.sock "$b/socks/evil.sock"
    ln -sfn "$b/outside/out.sock" "$b/socks/abs.sock"
    check "symlink_$kind" "$b/socks.policy" 1 "ok 0 denied 1 missing 0 other 0" \
        -- unixhit "$b/socks/evil.sock" $kind 1
    check "abs_symlink_$kind" "$b/socks.policy" 1 "ok 0 denied 1 missing 0 other 0" \
        -- unixhit "$b/socks/abs.sock" $kind 1
    stop_serve out
    expect_eq "outside socket reached ($kind)" 0 "$RECEIVED"
done
# the race: evil.sock swaps between an in-tree socket and a symlink leaving the tree while
# the TA connects; the outside socket must never be reached. Bounded: 400 connects.
for kind in stream dgram; do
    start_serve out "$b/outside/out.sock" $kind
    start_serve in "$b/socks/in.sock" $kind
    (
        end=$((SECONDS + 60))
        while [ $SECONDS -lt $end ]; do
            ln -sfn ../outside/out.sock "$b/socks/tmp.l" && mv -Tf "$b/socks/tmp.l" "$b/socks/evil.sock"
            ln -f "$b/socks/in.sock" "$b/socks/tmp.s" && mv -Tf "$b/socks/tmp.s" "$b/socks/evil.sock"
        done
    ) &
    swapper=$!
    run_tzm --policy "$b/socks.policy" -- unixhit "$b/socks/evil.sock" $kind 400 \
        >"$b/race.out" 2>"$b/race.err"
    kill $swapper 2>/dev/null
    wait $swapper 2>/dev/null
    stop_serve in
    inside=$RECEIVED
    stop_serve out
    expect_eq "outside socket reached during the swap race ($kind)" 0 "$RECEIVED"
    grep -q "other 0" "$b/race.out" || fail "race ($kind): unexpected errors: $(cat "$b/race.out")"
    denied=$(awk '{print $4}' "$b/race.out")
    expect_eq "race ($kind): one log line per denial" "$denied" \
        "$(grep -c 'tzm-run: policy: denied' "$b/race.err")"
    echo "race ($kind): $(cat "$b/race.out"); the inside server received $inside"
done

# --- rule kinds (issue 10 item 7) --------------------------------------------------------
mkdir -p "$b/fifos" "$b/usocks" "$b/files"
echo reg >"$b/fifos/reg"
echo reg >"$b/usocks/reg"
mkfifo "$b/files/planted.fifo"
cat >"$b/kinds.policy" <<EOP
fifo $b/fifos
unix $b/usocks
path rw $b/files
EOP
check kinds "$b/kinds.policy" 11 "open-r reg EACCES
open-c new EACCES
stat reg EACCES
opendir fifos EACCES
mkfifo f OK
open-r f OK
rename reg EACCES
rename reg2 EACCES
unlink f OK
unlink reg EACCES
bind-unix s OK
unlink s OK
open-r planted.fifo EACCES
mkfifo g EACCES
open-c new OK
stat planted.fifo OK
chmod reg EACCES
link l2 EACCES" -- ops open-r "$b/fifos/reg" open-c "$b/fifos/new" stat "$b/fifos/reg" \
    opendir "$b/fifos" mkfifo "$b/fifos/f" open-r "$b/fifos/f" rename "$b/fifos/f:$b/fifos/reg" \
    rename "$b/fifos/reg:$b/fifos/reg2" unlink "$b/fifos/f" unlink "$b/usocks/reg" \
    bind-unix "$b/usocks/s" unlink "$b/usocks/s" open-r "$b/files/planted.fifo" \
    mkfifo "$b/files/g" open-c "$b/files/new" stat "$b/files/planted.fifo" \
    chmod "$b/fifos/reg" link "$b/files/planted.fifo:$b/files/l2"
[ -f "$b/usocks/reg" ] || fail "a unix rule deleted a regular file"
[ ! -e "$b/fifos/new" ] || fail "a fifo rule created a regular file"

# --- hard links (issue 10 item 8) --------------------------------------------------------
mkdir -p "$b/nl" "$b/plain"
echo secret >"$b/outside/secret"
ln "$b/outside/secret" "$b/nl/link"
ln "$b/outside/secret" "$b/plain/link"
echo mine >"$b/nl/own"
printf 'path rw %s nolinks\npath rw %s\n' "$b/nl" "$b/plain" >"$b/links.policy"
check hardlinks "$b/links.policy" 2 "open-r link EACCES
open-w link EACCES
open-r own OK
open-r link OK" -- ops open-r "$b/nl/link" open-w "$b/nl/link" open-r "$b/nl/own" \
    open-r "$b/plain/link"
grep -q "a regular file with 3 links in a nolinks tree" "$b/hardlinks.err" ||
    fail "nolinks denial not explained"

# --- the rule roots themselves (issue 11 item 6) -----------------------------------------
mkdir -p "$b/root" "$b/froot" "$b/sroot"
printf 'path rw %s\nfifo %s\nunix %s\n' "$b/root" "$b/froot" "$b/sroot" >"$b/roots.policy"
check roots "$b/roots.policy" 1 "mkdir root EEXIST
stat root OK
opendir root OK
rmdir root EACCES
mkfifo froot EEXIST
bind-unix sroot EADDRINUSE" -- ops mkdir "$b/root" stat "$b/root" opendir "$b/root" \
    rmdir "$b/root" mkfifo "$b/froot" bind-unix "$b/sroot"
[ -d "$b/root" ] || fail "a policy root was removed"

[ "$FAILED" -ne 0 ] || rm -rf "$b" # kept for inspection when something failed
finish
