#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# mediator_nss_probe: every libc call of nss_probe.c, one TA run each. None may end the TA
# (before libtzm had them, 13 of them got it killed by the sandbox with only "the TA
# panicked": getservbyname, getservbyport, getgrouplist, initgroups, getaddrinfo_a,
# getifaddrs, if_nametoindex, if_nameindex, syslog, posix_spawn, execl, execlp, daemon).
# Each answers (the lookups; test diff_netdb compares them with native, diff_netif the
# interface calls) or fails with ENOSYS and libtzm's one line naming the call; syslog's
# message reaches tzm-run's stderr.
# nftw and fts walk through libtzm: /usr, outside the probe's policy and not above one of
# its rules (whose directories may be examined), is refused (EACCES).
# listxattr: ENOTSUP (a TA's files have no extended attributes it can reach) and one line.
# usage: test_nss_probe.sh <tzm-run> ta <uuid> <policy> <native nss_probe>
. "$(dirname "$0")/../common.sh"
POLICY=$4
if [ "${TZM_INSECURE_NO_SANDBOX:-}" = 1 ]; then
    echo "SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (no seccomp sandbox under qemu-user)"
    exit 77
fi
warm_up_tee

# name -> what its stdout must be (a fixed string, or a grep -E pattern after '~')
declare -A want=(
    [gethostbyname]="gethostbyname: found localhost type 2 len 4"
    [gethostbyname2]="gethostbyname2: found localhost type 2 len 4"
    [gethostbyname_r]="gethostbyname_r: 0 localhost h_errno=0"
    [gethostbyaddr]="gethostbyaddr: found localhost type 2 len 4"
    [gethostent]="~^gethostent: found [^ ]+ type 2 len 4$"
    [getservbyname]="getservbyname: http 80"
    [getservbyport]="getservbyport: ssh"
    [getservent]="~^getservent: [a-z]"
    [getprotobyname]="getprotobyname: tcp 6"
    [getprotobynumber]="getprotobynumber: udp"
    [getnetbyname]="getnetbyname: found errno=0"
    [getpwent]="getpwent: root"
    [getgrent]="getgrent: root"
    [getgrouplist]="~^getgrouplist: [1-9][0-9]* n=[1-9]"
    [initgroups]="initgroups: -1 errno=ENOSYS"
    [getlogin]="getlogin: NULL errno=ENOSYS"
    [getaddrinfo_a]="getaddrinfo_a: $(printf '%d' -11) errno=ENOSYS"
    [getifaddrs]="getifaddrs: 0 errno=0"
    [if_nametoindex]="~^if_nametoindex: [1-9][0-9]* errno=0$"
    [if_nameindex]="if_nameindex: found errno=0"
    [syslog]="syslog: returned errno=0"
    [gethostid]="~^gethostid: "
    [iconv_open]="~^iconv_open: "
    [setlocale]="~^setlocale: "
    [listxattr]="listxattr: -1 errno=EOPNOTSUPP"
    [fcntl_getlk]="fcntl_getlk: 0 errno=0"
    [fcntl_setlease]="fcntl_setlease: -1 errno=ENOSYS"
    [posix_spawn]="posix_spawn: 38 ENOSYS"
    [execl]="execl: -1 errno=ENOSYS"
    [execlp]="execlp: -1 errno=ENOSYS"
    [wordexp]="~^wordexp: [1-9]"
    [daemon]="daemon: -1 errno=ENOSYS"
    [fts_open]="fts_open: first entry FTS_NS fts_errno=EACCES"
    [nftw]="nftw: -1 errno=EACCES"
)
# name -> the libtzm line naming it on tzm-run's stderr
declare -A said=(
    [initgroups]="initgroups" [getlogin]="getlogin"
    [getaddrinfo_a]="getaddrinfo_a" [posix_spawn]="posix_spawnp" [execl]="execl"
    [execlp]="execlp" [daemon]="daemon"
)

names=$("$5" list)
expect_eq "every probe has an expectation" "$(echo "$names" | sort | paste -sd' ')" \
    "$(printf '%s\n' "${!want[@]}" | sort | paste -sd' ')"
for n in $names; do
    run_tzm --policy "$POLICY" -- "$n" >"$TMP/$n.out" 2>"$TMP/$n.err"
    rc=$?
    expect_eq "$n: the TA ended normally" 0 "$rc"
    w=${want[$n]:-}
    if [ "${w#\~}" != "$w" ]; then
        grep -qE "${w#\~}" "$TMP/$n.out" && echo "ok: $n: answer" ||
            fail "$n: answer '$(cat "$TMP/$n.out")' does not match '${w#\~}'"
    else
        expect_eq "$n: answer" "$w" "$(cat "$TMP/$n.out")"
    fi
    if [ -n "${said[$n]:-}" ]; then
        expect_eq "$n: named once on tzm-run's stderr" 1 \
            "$(grep -cxF "tzm: ${said[$n]}() is not supported by the mediator (ENOSYS)" "$TMP/$n.err")"
    fi
    if grep -q "forbidden in a TA\|panicked" "$TMP/$n.err"; then
        fail "$n: $(grep "forbidden in a TA\|panicked" "$TMP/$n.err" | head -1)"
    fi
done
expect_eq "listxattr: named once on tzm-run's stderr" 1 \
    "$(grep -cxF "tzm: listxattr(): extended attributes are not supported by the mediator (ENOTSUP)" "$TMP/listxattr.err")"
expect_eq "fcntl_setlease: the command named once on tzm-run's stderr" 1 \
    "$(grep -cxF "tzm: fcntl(F_SETLEASE) is not supported by the mediator (ENOSYS)" "$TMP/fcntl_setlease.err")"
expect_eq "syslog: the message on tzm-run's stderr" 1 \
    "$(grep -cE '^tzm: syslog: nss_probe\[[0-9]+\]: nss_probe test message$' "$TMP/syslog.err")"
finish
