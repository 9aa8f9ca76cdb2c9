#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_system_mode: tzm-teed --system runs as its own user; clients reach it by group.
#   usage: test_system.sh <tee_ping> <tzm-teed>
# As root it creates a TEE user, a client group with one member, and a user outside the
# group, starts `tzm-teed --system` (as root: it drops to the TEE user) and checks:
#   - the daemon runs as the TEE user; runtime dir 0750 and tee.sock 0660, both of the
#     client group; state dir 0700 of the TEE user;
#   - a client in the group opens a session and calls a TA;
#   - a user outside the group is refused: by libteec (not its directory), by the socket's
#     permissions, and by the core's peer check (a raw connect with CAP_DAC_OVERRIDE);
#   - neither the other user nor the group member can read device.key or rpmb.img.
# Not root, or no useradd/setpriv: exit 77 (skipped).
set -u
ping=$1 teed=$2
. "$(dirname "$0")/../../../cmake/tzm-exec.sh"

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

if [ "$(id -u)" != 0 ]; then
    echo "tee_system_mode: skipped: needs root to create users"
    exit 77
fi
for t in useradd groupadd userdel groupdel setpriv socat; do
    command -v $t >/dev/null || { echo "tee_system_mode: skipped: no $t"; exit 77; }
done

sfx=$$
tee_user=tzmtee$sfx cli_user=tzmcli$sfx oth_user=tzmoth$sfx group=tzmgrp$sfx
base=$(mktemp -d /tmp/tzm-system.XXXXXX)
chmod 755 "$base"
run=$base/run state=$base/state
pid=

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    for u in $tee_user $cli_user $oth_user; do
        userdel "$u" 2>/dev/null
    done
    groupdel $group 2>/dev/null
    for g in $tee_user $cli_user $oth_user; do
        groupdel "$g" 2>/dev/null
    done
    rm -rf "$base"
}
trap cleanup EXIT

groupadd --system $group || fail "groupadd"
useradd --system -M -U -s /usr/sbin/nologin -d /nonexistent $tee_user || fail "useradd tee"
useradd --system -M -U -G $group -s /usr/sbin/nologin -d /nonexistent $cli_user ||
    fail "useradd client"
useradd --system -M -U -s /usr/sbin/nologin -d /nonexistent $oth_user || fail "useradd other"

as() { # as <user> <command...>: with that user's uid, gid and groups only
    local u=$1
    shift
    setpriv --reuid="$u" --regid="$u" --init-groups --inh-caps=-all -- "$@"
}

env TZM_RUNTIME_DIR="$run" TZM_STATE_DIR="$state" TZM_TEE_USER=$tee_user \
    TZM_TEE_GROUP=$group ${TZM_EXEC_WRAPPER:-} "$teed" --system 2>"$base/teed.err" &
pid=$!
for _ in $(seq 1 300); do
    [ -S "$run/tee.sock" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$base/teed.err" >&2; fail "tzm-teed --system exited"; }
    sleep 0.1
done
[ -S "$run/tee.sock" ] || fail "tee.sock did not appear within 30 s"
ok "tzm-teed --system listens on $run/tee.sock"

uid=$(awk '/^Uid:/ {print $2 "," $3 "," $4 "," $5}' /proc/$pid/status)
want=$(id -u $tee_user)
[ "$uid" = "$want,$want,$want,$want" ] || fail "daemon uids $uid, want all $want"
ok "the daemon runs as $tee_user (uid $want), root dropped"
[ "$(stat -c '%U %G %a' "$run")" = "$tee_user $group 750" ] ||
    fail "runtime dir is $(stat -c '%U %G %a' "$run")"
[ "$(stat -c '%U %G %a' "$run/tee.sock")" = "$tee_user $group 660" ] ||
    fail "tee.sock is $(stat -c '%U %G %a' "$run/tee.sock")"
[ "$(stat -c '%U %a' "$state")" = "$tee_user 700" ] ||
    fail "state dir is $(stat -c '%U %a' "$state")"
ok "runtime dir $tee_user:$group 0750, tee.sock 0660, state dir $tee_user 0700"

# The member's groups: its own and the client group, so the core finds the client group
# through SO_PEERGROUPS among several. Under qemu-user (cross builds) the client group is
# its only supplementary group: qemu-user 7.2 reads SO_PEERGROUPS as a single int and
# fails with ERANGE for a peer in two or more groups (Makefile: test-aarch64).
if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
    member=(setpriv --reuid=$cli_user --regid=$cli_user --groups=$group --inh-caps=-all --)
else
    member=(as $cli_user)
fi
out=$("${member[@]}" env TZM_RUNTIME_DIR="$run" ${TZM_EXEC_WRAPPER:-} "$ping" 2>&1) ||
    { echo "$out" >&2; fail "a client in the group failed"; }
ok "a client in $group opens a session: $out"

out=$(as $oth_user env TZM_RUNTIME_DIR="$run" ${TZM_EXEC_WRAPPER:-} "$ping" 2>&1) &&
    fail "a user outside the group reached the TEE: $out"
ok "a user outside the group is refused by libteec: $(grep -m1 libteec: <<<"$out")"
as $oth_user socat -u OPEN:/dev/null UNIX-CONNECT:"$run/tee.sock",type=5 2>/dev/null &&
    fail "a user outside the group could connect to tee.sock"
ok "...and by the socket's permissions"
# With CAP_DAC_OVERRIDE the file permissions no longer stop it: the core's own check must.
if setpriv --reuid=$oth_user --regid=$oth_user --init-groups --inh-caps=+dac_override \
    --ambient-caps=+dac_override -- socat -u OPEN:/dev/null \
    UNIX-CONNECT:"$run/tee.sock",type=5 2>/dev/null; then
    for _ in $(seq 1 300); do
        [ "$(grep -c "refusing client.*uid $(id -u $oth_user)" "$run/tee.log")" -gt 0 ] &&
            break
        sleep 0.1
    done
    grep -q "refusing client.*uid $(id -u $oth_user): not our uid nor in the client group" \
        "$run/tee.log" || fail "the core accepted a peer outside the group"
    ok "...and by the core's peer check (SO_PEERCRED/SO_PEERGROUPS) when it can connect"
    # More supplementary groups than the core reads (256): SO_PEERGROUPS fails with
    # ERANGE, and the refusal must say so rather than claim the peer is outside the group.
    many=$(seq -s, 70000 70299)
    if setpriv --reuid=$oth_user --regid=$oth_user --groups="$many" --inh-caps=+dac_override \
        --ambient-caps=+dac_override -- socat -u OPEN:/dev/null \
        UNIX-CONNECT:"$run/tee.sock",type=5 2>/dev/null; then
        for _ in $(seq 1 300); do
            grep -q "uid $(id -u $oth_user): not our uid, and its groups cannot be read" \
                "$run/tee.log" && break
            sleep 0.1
        done
        grep -q "uid $(id -u $oth_user): not our uid, and its groups cannot be read (SO_PEERGROUPS: Numerical result out of range)" \
            "$run/tee.log" || fail "a peer with 300 groups: the refusal did not name SO_PEERGROUPS' ERANGE"
        ok "...and a peer whose 300 groups cannot be read is refused naming SO_PEERGROUPS: ERANGE"
    fi
else
    echo "  (no ambient capabilities here: the core's peer check is not exercised)"
fi

[ -f "$state/device.key" ] || fail "no device.key in $state"
for u in $oth_user $cli_user; do
    for f in device.key rpmb.img; do
        as $u cat "$state/$f" >/dev/null 2>&1 && fail "$u could read $f"
    done
done
ok "neither $oth_user nor $cli_user (in $group) can read device.key or rpmb.img"
echo "tee_system_mode: all checks passed"
