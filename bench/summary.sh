#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Turns the benchmark CSVs in OUT into a Markdown summary on stdout: the machine, the
# latency table (median tzm / native and their ratio per IPC kind and size), the ratio
# targets of issue 4, and the throughput, call rate, concurrency, CPU and threads tables. Every
# ratio is tzm / native from the same run (for latency lower is better, for the rest
# higher is better).
#   bash bench/summary.sh OUT
set -euo pipefail
OUT=${1:?usage: summary.sh OUT}
# awk: the median of a space-separated list of numbers (a row's trials), for the tables
# that take the median of several trials.
AWK_MEDIAN='
    function median(list,    n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) {
            t = a[j]; a[j] = a[j-1]; a[j-1] = t
        }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }'

echo "## tzmediator benchmark: CA<->TA (tzm) vs CA<->CA (native), same run"
echo
if [ -f "$OUT/machine.txt" ]; then
    sed 's/^/    /' "$OUT/machine.txt"
    echo
fi

if [ -s "$OUT/rtt.csv" ]; then
    echo "### Round-trip latency, median us (tzm / native = ratio)"
    echo
    awk -F, 'NR > 1 {
        key = $1 SUBSEP $2
        if (!($1 in seen_ipc)) { seen_ipc[$1] = 1; ipcs[++ni] = $1 }
        if (!($2 in seen_sz)) { seen_sz[$2] = 1; szs[++ns] = $2 }
        med[$1, $2, $3] = $4
    }
    function label(b) {
        if (b >= 1024 && b % 1024 == 0) return (b / 1024) " KB"
        return b " B"
    }
    END {
        # sizes ascending (insertion sort, few entries)
        for (i = 2; i <= ns; i++) for (j = i; j > 1 && szs[j-1] + 0 > szs[j] + 0; j--) {
            t = szs[j]; szs[j] = szs[j-1]; szs[j-1] = t
        }
        printf "| IPC |"; for (s = 1; s <= ns; s++) printf " %s |", label(szs[s]); print ""
        printf "|---|"; for (s = 1; s <= ns; s++) printf "---|"; print ""
        for (i = 1; i <= ni; i++) {
            printf "| %s |", ipcs[i]
            for (s = 1; s <= ns; s++) {
                n = med[ipcs[i], szs[s], "native"]; t = med[ipcs[i], szs[s], "tzm"]
                if (n == "") printf " - |"
                else if (t == "") printf " %.1f (native only) |", n
                else printf " %.1f / %.1f = **%.2fx** |", t, n, (n > 0 ? t / n : 0)
            }
            print ""
        }
    }' "$OUT/rtt.csv"
    echo
    echo "Targets (issue 4): 4 KB ratio <= 1.05 for every IPC kind; 64 B ratio <= 1.10."
    echo "Paper (Cortex-A53): 1.26-1.42x at 4 KB."
    echo
    awk -F, 'NR > 1 { med[$1, $2, $3] = $4; if (!($1 in s)) { s[$1] = 1; o[++n] = $1 } }
    END {
        for (i = 1; i <= n; i++) {
            line = "- " o[i] ":"
            split("4096:1.05 64:1.10", ts, " ")
            for (k = 1; k <= 2; k++) {
                split(ts[k], kv, ":")
                a = med[o[i], kv[1], "native"]; b = med[o[i], kv[1], "tzm"]
                if (a == "" || b == "") continue
                r = b / a
                line = line sprintf(" %s B %.3fx (%s)", kv[1], r, r <= kv[2] + 0 ? "meets" : "misses")
            }
            if (line != "- " o[i] ":") print line
        }
    }' "$OUT/rtt.csv"
    echo
fi
# variant_4k CSV HEADING COLUMN: the 4 KB median round trip of a TA variant (realm, Wasm)
# against native from CSV, with the C TA's ratio from rtt.csv beside it.
variant_4k() {
    local ta_csv=$OUT/rtt.csv
    [ -s "$ta_csv" ] || ta_csv=/dev/null
    echo "### $2"
    echo
    echo "| IPC | $3 |"
    echo "|---|---|---|"
    awk -F, 'FNR == 1 { next }
        $2 != 4096 { next }
        FILENAME == ARGV[1] { ta[$1, $3] = $4; next }
        { if (!($1 in seen)) { seen[$1] = 1; ipcs[++n] = $1 } v[$1, $3] = $4 }
        END { for (i = 1; i <= n; i++) {
            k = ipcs[i]; vn = v[k, "native"]; vt = v[k, "tzm"]
            tn = ta[k, "native"]; tt = ta[k, "tzm"]
            printf "| %s | %.1f / %.1f = **%.2fx** |", k, vt, vn, (vn > 0 ? vt / vn : 0)
            if (tn != "" && tt != "") printf " %.2fx |\n", (tn > 0 ? tt / tn : 0)
            else print " - |"
        } }' "$ta_csv" "$1"
    echo
}
if [ -s "$OUT/rtt_realm.csv" ]; then
    variant_4k "$OUT/rtt_realm.csv" \
        "Realm: 4 KB round trip, median us (realm / native = ratio), TA ratio beside" \
        "realm / native | TA (tzm) / native"
fi

if [ -s "$OUT/rtt_wasm.csv" ]; then
    variant_4k "$OUT/rtt_wasm.csv" \
        "Wasm TA: 4 KB round trip, median us (Wasm TA / native = ratio), C TA ratio beside" \
        "Wasm TA / native | C TA (tzm) / native"
fi

if [ -s "$OUT/throughput.csv" ]; then
    echo "### Bulk throughput, MB/s (target: tzm >= 0.9x native)"
    echo
    echo "| IPC | direction | native | tzm | ratio |"
    echo "|---|---|---|---|---|"
    awk -F, 'NR > 1 { v[$1, $2, $3] = $4; if (!(($1, $2) in s)) { s[$1, $2] = 1; k[++n] = $1 "," $2 } }
    END { for (i = 1; i <= n; i++) { split(k[i], a, ","); x = v[a[1], a[2], "native"]; y = v[a[1], a[2], "tzm"]
        if (y == "") printf "| %s | %s | %.0f | - | - |\n", a[1], a[2], x
        else printf "| %s | %s | %.0f | %.0f | %.2fx |\n", a[1], a[2], x, y, (x > 0 ? y / x : 0) } }' \
        "$OUT/throughput.csv"
    echo
fi

if [ -s "$OUT/rate.csv" ]; then
    echo "### Small-message call rate, 64 B round trips/s (target: ratio >= 1/1.10)"
    echo
    echo "Tail of the single round trips of all trials: p99 and max in us, and the share of"
    echo "the counted time spent in round trips of 1 ms or more (a low rate with a high share"
    echo "is stalls, not a slow steady state)."
    echo
    echo "| IPC | native | tzm | ratio | native p99 / max us | tzm p99 / max us | native / tzm time in >= 1 ms |"
    echo "|---|---|---|---|---|---|---|"
    awk -F, 'NR > 1 { v[$1, $3] = $4; t[$1, $3] = sprintf("%.0f / %.0f", $7, $8); st[$1, $3] = $9
        if (!($1 in s)) { s[$1] = 1; k[++n] = $1 } }
    END { for (i = 1; i <= n; i++) { x = v[k[i], "native"]; y = v[k[i], "tzm"]
        if (y == "") printf "| %s | %.0f | - | - | %s | - | %.1f%% / - |\n", k[i], x, t[k[i], "native"], st[k[i], "native"]
        else printf "| %s | %.0f | %.0f | %.2fx | %s | %s | %.1f%% / %.1f%% |\n", k[i], x, y, (x > 0 ? y / x : 0),
            t[k[i], "native"], t[k[i], "tzm"], st[k[i], "native"], st[k[i], "tzm"] } }' \
        "$OUT/rate.csv"
    echo
fi

if [ -s "$OUT/concurrency.csv" ]; then
    echo "### Concurrency, aggregate round trips/s (target: tzm >= 0.8x native)"
    echo
    echo "| IPC | servers x clients | bytes | native | tzm | ratio |"
    echo "|---|---|---|---|---|---|"
    awk -F, 'NR > 1 { v[$1, $5] = $6; d[$1] = $2 "x" $3 " | " $4; if (!($1 in s)) { s[$1] = 1; k[++n] = $1 } }
    END { for (i = 1; i <= n; i++) { x = v[k[i], "native"]; y = v[k[i], "tzm"]
        if (y == "") printf "| %s | %s | %.0f | - | - |\n", k[i], d[k[i]], x
        else printf "| %s | %s | %.0f | %.0f | %.2fx |\n", k[i], d[k[i]], x, y, (x > 0 ? y / x : 0) } }' \
        "$OUT/concurrency.csv"
    echo
fi

if [ -s "$OUT/cpu.csv" ]; then
    echo "### CPU cost of the peer side (TA path: shadow + TA host)"
    echo
    echo "| measurement | path | process | CPU s | % of a core | CPU s per 10k round trips |" \
        "sleeps (voluntary cs) per round trip | preemptions per round trip |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F, 'NR > 1 { rt = ($1 == "roundtrips")
        what = rt ? sprintf("%s B round trips over %s", $3, $2) \
                  : sprintf("idle in accept() %.0f s", $8)
        printf "| %s | %s | %s | %.3f | %.2f | %s | %s | %s |\n", what, $4, $5, $6, $9, \
               rt ? sprintf("%.3f", $10) : "-", rt ? sprintf("%.2f", $11) : "-", \
               rt ? sprintf("%.2f", $12) : "-" }' "$OUT/cpu.csv"
    echo
    awk -F, 'NR > 1 && $1 == "idle_accept" && $4 == "tzm" && $5 == "peer" {
        printf "Idle TA in accept(): %.2f%% of a core (target < 1%%: %s).\n", $9,
               ($9 < 1.0 ? "meets" : "misses") }' "$OUT/cpu.csv"
    echo
fi

if [ -s "$OUT/threads.csv" ]; then
    echo "### Threads: thread-per-connection echo server, median of trials"
    echo
    echo "N connections at once, one server thread each (a TA thread has its own lane of the"
    echo "channel). Round trips/s: aggregate over the connections, higher is better; latency"
    echo "of single round trips and the peer side's CPU (tzm: shadow + TA host) per 10,000"
    echo "round trips, lower is better."
    echo
    echo "| IPC | conns | bytes | native rt/s | tzm rt/s | ratio | native p50 us | tzm p50 us | ratio | native p99 us | tzm p99 us | native CPU s/10k | tzm CPU s/10k | CPU ratio |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F, 'NR > 1 {
        k = $1 SUBSEP $2 SUBSEP $3
        if (!(k in seen)) { seen[k] = 1; keys[++n] = k }
        rps[k, $4] = $5; p50[k, $4] = $6; p99[k, $4] = $8; cpu[k, $4] = $9
    }
    END {
        for (i = 1; i <= n; i++) {
            k = keys[i]; split(k, kk, SUBSEP)
            nr = rps[k, "native"]; n50 = p50[k, "native"]; n99 = p99[k, "native"]; nc = cpu[k, "native"]
            if (rps[k, "tzm"] == "") {
                printf "| %s | %s | %s | %.0f | - | - | %.1f | - | - | %.1f | - | %.3f | - | - |\n",
                    kk[1], kk[2], kk[3], nr, n50, n99, nc
                continue
            }
            tr = rps[k, "tzm"]; t50 = p50[k, "tzm"]; t99 = p99[k, "tzm"]; tc = cpu[k, "tzm"]
            printf "| %s | %s | %s | %.0f | %.0f | %.2fx | %.1f | %.1f | %.2fx | %.1f | %.1f | %.3f | %.3f | %s |\n",
                kk[1], kk[2], kk[3], nr, tr, (nr > 0 ? tr / nr : 0), n50, t50, (n50 > 0 ? t50 / n50 : 0),
                n99, t99, nc, tc, (nc > 0 ? sprintf("%.2fx", tc / nc) : "-")
        }
    }' "$OUT/threads.csv"
    echo
fi

if [ -s "$OUT/http.csv" ]; then
    echo "### Application: HTTP static files (examples/httpd, wrk, keep-alive), median of trials"
    echo
    echo "Requests/s: higher is better; latency: lower is better (issue 16's target: median"
    echo "latency tzm <= 1.25x native)."
    echo
    echo "| file | connections | native req/s | tzm req/s | ratio | native p50 us | tzm p50 us | ratio | native p99 us | tzm p99 us |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    awk -F, "$AWK_MEDIAN"'
    NR > 1 {
        k = $1 SUBSEP $3
        if (!(k in seen)) { seen[k] = 1; keys[++n] = k; label[k] = ($2 >= 1048576 ? ($2 / 1048576) " MiB" : $2 " B") }
        rps[k, $4] = rps[k, $4] " " $6; p50[k, $4] = p50[k, $4] " " $7; p99[k, $4] = p99[k, $4] " " $9
    }
    END {
        for (i = 1; i <= n; i++) {
            k = keys[i]; split(k, kk, SUBSEP)
            nr = median(rps[k, "native"]); n50 = median(p50[k, "native"]); n99 = median(p99[k, "native"])
            if (rps[k, "tzm"] == "") {
                printf "| %s | %s | %.0f | - | - | %.1f | - | - | %.1f | - |\n", label[k], kk[2], nr, n50, n99
                continue
            }
            tr = median(rps[k, "tzm"]); t50 = median(p50[k, "tzm"]); t99 = median(p99[k, "tzm"])
            printf "| %s | %s | %.0f | %.0f | %.2fx | %.1f | %.1f | %.2fx | %.1f | %.1f |\n",
                label[k], kk[2], nr, tr, (nr > 0 ? tr / nr : 0), n50, t50, (n50 > 0 ? t50 / n50 : 0), n99, t99
        }
    }' "$OUT/http.csv"
    echo
fi

if [ -s "$OUT/wasm.csv" ]; then
    echo "### Compute kernels: Wasm TA (tzm wasm build, wasm2c AOT) vs the same C native, median of trials"
    echo
    echo "Kernel seconds: wall time timed inside the program (on a loaded machine it includes"
    echo "preemption). CPU: the whole run (tzm: tzm-run + TA host process); net CPU ratio: both"
    echo "minus the median CPU of the \"startup\" run (no kernel). Lower is better (issue 17's"
    echo "target: <= 1.3x)."
    echo
    echo "| kernel | size | native s | tzm s | ratio | native CPU s | tzm CPU s | CPU ratio | net CPU ratio |"
    echo "|---|---|---|---|---|---|---|---|---|"
    awk -F, "$AWK_MEDIAN"'
    NR > 1 {
        k = $1 SUBSEP $2
        if (!(k in seen)) { seen[k] = 1; keys[++n] = k }
        sec[k, $3] = sec[k, $3] " " $5; cpu[k, $3] = cpu[k, $3] " " $6
    }
    END {
        for (i = 1; i <= n; i++) {
            k = keys[i]; split(k, kk, SUBSEP)
            ns = median(sec[k, "native"]); nc = median(cpu[k, "native"])
            if (kk[1] == "startup") { n0 = nc; t0 = median(cpu[k, "tzm"]) }
            if (sec[k, "tzm"] == "") {
                printf "| %s | %s | %.6f | - | - | %.3f | - | - | - |\n", kk[1], kk[2], ns, nc
                continue
            }
            ts = median(sec[k, "tzm"]); tc = median(cpu[k, "tzm"])
            net = (kk[1] != "startup" && nc - n0 > 0) ? sprintf("%.2fx", (tc - t0) / (nc - n0)) : "-"
            ratio = ns > 0 ? sprintf("%.2fx", ts / ns) : "-"
            printf "| %s | %s | %.6f | %.6f | %s | %.3f | %.3f | %.2fx | %s |\n", kk[1], kk[2], ns, ts,
                ratio, nc, tc, (nc > 0 ? tc / nc : 0), net
        }
    }' "$OUT/wasm.csv"
    echo
fi
