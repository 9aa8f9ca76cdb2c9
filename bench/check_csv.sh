#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Form check of a benchmark result directory (used by the bench_smoke test): each CSV that
# the selected parts produce exists, has exactly the documented header, the right number
# of fields on every row, numbers where numbers belong, known IPC/path names, and -- when
# the TA build exists -- a tzm row beside every native row. The plots, when gnuplot is
# installed, must be PNG files. Nothing here looks at how fast anything was.
#   bash bench/check_csv.sh OUT HAVE_TA "rtt rate tput conc cpu threads http"
set -euo pipefail
OUT=${1:?usage: check_csv.sh OUT HAVE_TA PARTS}
HAVE_TA=${2:?}
PARTS=${3:-rtt rate tput conc cpu}
fail=0

# check FILE HEADER TYPES IPC_COL PATH_COL KEY_COLS
#   TYPES: one letter per column: s string, i non-negative integer, f non-negative number,
#          k IPC kind, p path (native|tzm), d direction, t cpu test name
#   KEY_COLS: columns (comma-separated) identifying a measurement; with HAVE_TA=1 every key
#             must come with both paths
check() {
    local file=$1 header=$2 types=$3 pathcol=$4 keys=$5
    if [ ! -s "$file" ]; then
        echo "check_csv: $file missing or empty" >&2
        fail=1
        return
    fi
    if ! awk -F, -v header="$header" -v types="$types" -v pathcol="$pathcol" \
        -v keys="$keys" -v have_ta="$HAVE_TA" -v file="$file" '
        function bad(msg) { printf "check_csv: %s:%d: %s\n", file, NR, msg > "/dev/stderr"; err = 1 }
        NR == 1 { if ($0 != header) bad("header is \"" $0 "\", expected \"" header "\""); next }
        {
            nt = length(types)
            if (NF != nt) { bad("has " NF " fields, expected " nt); next }
            for (c = 1; c <= nt; c++) {
                t = substr(types, c, 1); v = $c
                if (t == "i" && v !~ /^[0-9]+$/) bad("field " c " \"" v "\" is not an integer")
                if (t == "f" && v !~ /^[0-9]+(\.[0-9]+)?$/) bad("field " c " \"" v "\" is not a number")
                if (t == "k" && v !~ /^(fifo|unix|tcp|udp)$/) bad("field " c " \"" v "\" is not an IPC kind")
                if (t == "p" && v !~ /^(native|tzm)$/) bad("field " c " \"" v "\" is not a path")
                if (t == "d" && v !~ /^(ca_to_ta|ta_to_ca)$/) bad("field " c " \"" v "\" is not a direction")
                if (t == "t" && v !~ /^(idle_accept|roundtrips)$/) bad("field " c " \"" v "\" is not a cpu test")
                if (t == "s" && v == "") bad("field " c " is empty")
            }
            split(keys, kc, ",")
            key = ""
            for (i = 1; i in kc; i++) key = key SUBSEP $(kc[i])
            seen[key, $pathcol] = 1
            all[key] = 1
            rows++
        }
        END {
            if (rows == 0) bad("no data rows")
            for (k in all) {
                if (!((k, "native") in seen)) bad("a measurement lacks its native row")
                if (have_ta == 1 && !((k, "tzm") in seen)) bad("a measurement lacks its tzm row")
            }
            exit err
        }' "$file"; then
        fail=1
    fi
}

want() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if want rtt; then
    check "$OUT/rtt.csv" "ipc,bytes,path,median_us,p90_us,p99_us,iterations" \
        kipfffi 3 1,2
    check "$OUT/rtt_trials.csv" "ipc,bytes,path,trial,median_us,iterations" kipifi 3 1,2,4
    for ipc in ${BENCH_IPCS:-fifo unix tcp udp}; do
        grep -q "^$ipc," "$OUT/rtt.csv" 2>/dev/null ||
            { echo "check_csv: rtt.csv has no $ipc rows" >&2; fail=1; }
    done
fi
if want rate; then
    check "$OUT/rate.csv" "ipc,bytes,path,roundtrips_per_s,trials,seconds,p99_us,max_us,stalled_pct" \
        kipfiifff 3 1,2
fi
if want tput; then
    check "$OUT/throughput.csv" "ipc,direction,path,mb_per_s,bytes,rounds" kdpfii 3 1,2
fi
if want conc; then
    check "$OUT/concurrency.csv" \
        "ipc,servers,clients_per_server,bytes,path,roundtrips_per_s,rounds,seconds" \
        kiiipfii 5 1,2,3,4
fi
if want cpu; then
    check "$OUT/cpu.csv" \
        "test,ipc,bytes,path,process,cpu_s,roundtrips,wall_s,cpu_pct_of_core,cpu_s_per_10k,$(
        )vol_cs_per_rt,invol_cs_per_rt" \
        tkipsfifffff 4 1,2,3
    grep -q '^idle_accept,' "$OUT/cpu.csv" 2>/dev/null ||
        { echo "check_csv: cpu.csv has no idle_accept rows" >&2; fail=1; }
fi
if want threads; then
    # the echo itself was checked byte for byte by the client (a wrong echo fails the run);
    # here: the form, both paths, every stream IPC kind, and >= 1 round trip per trial row
    threads_have_ta=$HAVE_TA
    want threads_native_only && threads_have_ta=0
    HAVE_TA=$threads_have_ta check "$OUT/threads.csv" \
        "ipc,conns,bytes,path,roundtrips_per_s,median_us,p90_us,p99_us,$(
        )peer_cpu_s_per_10k,peer_cpu_pct_of_core,trials" kiipffffffi 4 1,2,3
    HAVE_TA=$threads_have_ta check "$OUT/threads_trials.csv" \
        "ipc,conns,bytes,path,trial,roundtrips_per_s,median_us,p90_us,p99_us,peer_cpu_s,$(
        )roundtrips,wall_s" kiipifffffif 4 1,2,3,5
    if awk -F, 'NR > 1 && $11 + 0 < 1 { bad = 1 } END { exit !bad }' \
        "$OUT/threads_trials.csv" 2>/dev/null; then
        echo "check_csv: threads_trials.csv has a measurement without round trips" >&2
        fail=1
    fi
    for ipc in ${BENCH_IPCS:-unix tcp}; do
        case $ipc in unix | tcp) ;; *) continue ;; esac
        grep -q "^$ipc," "$OUT/threads.csv" 2>/dev/null ||
            { echo "check_csv: threads.csv has no $ipc rows" >&2; fail=1; }
    done
fi
if want http; then
    check "$OUT/http.csv" "file,bytes,conns,path,trial,requests_per_s,p50_us,p90_us,p99_us,requests" \
        siipiffffi 4 1,3,5
fi
if want wasm_rtt; then
    HAVE_TA=1 check "$OUT/rtt_wasm.csv" "ipc,bytes,path,median_us,p90_us,p99_us,iterations" \
        kipfffi 3 1,2
fi
if want wasm; then
    # tzm rows only when the kernels' Wasm TA was built (BENCH_WASM_HAVE_TA from run.sh)
    HAVE_TA=${BENCH_WASM_HAVE_TA:-$HAVE_TA} check "$OUT/wasm.csv" \
        "kernel,size,path,trial,seconds,cpu_s" sipiff 3 1,2,4
fi
if want rtt && command -v gnuplot >/dev/null 2>&1; then
    for png in rtt_4k.png rtt_sweep.png; do
        if [ "$(head -c 8 "$OUT/$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != \
            "89504e470d0a1a0a" ]; then
            echo "check_csv: $OUT/$png is not a PNG file" >&2
            fail=1
        fi
    done
fi
if [ "$fail" -ne 0 ]; then
    echo "check_csv: FAILED" >&2
    exit 1
fi
echo "check_csv: all result files well formed"
