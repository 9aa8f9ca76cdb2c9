#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Draws the latency plots from OUT/rtt.csv with gnuplot (Debian gnuplot-nox):
#   rtt_4k.png     bars per IPC kind, native vs tzm at 4 KB, with tzm/native ratio labels
#                  (the style of the TZmediator paper's figure 2)
#   rtt_sweep.png  median round trip vs message size per IPC kind and path, and the ratio
#   bash bench/plot.sh OUT
set -euo pipefail
OUT=${1:?usage: plot.sh OUT}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
csv=$OUT/rtt.csv

# pngcairo when this gnuplot has it (gnuplot-nox does), else the libgd png terminal.
term=png
if gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1; then
    term=pngcairo
fi

# one line per IPC kind at 4 KB: ipc native tzm ratio ("-" where a path is missing)
awk -F, 'NR > 1 && $2 == 4096 { m[$1, $3] = $4; if (!($1 in s)) { s[$1] = 1; k[++n] = $1 } }
END { print "# ipc native_us tzm_us ratio"
      for (i = 1; i <= n; i++) { a = m[k[i], "native"]; b = m[k[i], "tzm"]
          if (b == "") print k[i], a, "-", "-"
          else printf "%s %s %s %.3f\n", k[i], a, b, (a > 0 ? b / a : 0) } }' \
    "$csv" >"$OUT/rtt_4k.dat"

# one data block per IPC kind: size native tzm ratio
awk -F, 'NR > 1 { m[$1, $2, $3] = $4; if (!($1 in s)) { s[$1] = 1; k[++n] = $1 }
                  if (!($2 in z)) { z[$2] = 1; sz[++ns] = $2 } }
END { for (i = 2; i <= ns; i++) for (j = i; j > 1 && sz[j-1] + 0 > sz[j] + 0; j--) {
          t = sz[j]; sz[j] = sz[j-1]; sz[j-1] = t }
      for (i = 1; i <= n; i++) {
          print "# " k[i]
          for (j = 1; j <= ns; j++) { a = m[k[i], sz[j], "native"]; b = m[k[i], sz[j], "tzm"]
              if (a == "") continue
              if (b == "") print sz[j], a, "-", "-"
              else printf "%s %s %s %.3f\n", sz[j], a, b, (a > 0 ? b / a : 0) }
          print ""; print "" } }' "$csv" >"$OUT/rtt_sweep.dat"

kinds=$(awk '!/^#/ && NF { print $1 }' "$OUT/rtt_4k.dat" | tr '\n' ' ')
sweep_kinds=$(awk '/^# / { print $2 }' "$OUT/rtt_sweep.dat" | tr '\n' ' ')
# "_" would start a subscript in gnuplot's enhanced text
machine=$(sed -n 's/^host: *//p' "$OUT/machine.txt" 2>/dev/null | sed 's/_/-/g' | cut -c1-90 || true)
when=$(sed -n 's/^date: *//p' "$OUT/machine.txt" 2>/dev/null || true)

# Without a TA build the tzm columns are empty; gnuplot's warnings about that are noise.
quiet() { grep -v 'no valid points' >&2 || true; }

if [ -n "$kinds" ]; then
    gnuplot -e "term='$term'; data='$OUT/rtt_4k.dat'; out='$OUT/rtt_4k.png'; \
                sub='$when, $machine'" "$HERE/rtt_4k.gp" 2>&1 | quiet
fi
if [ -n "$sweep_kinds" ]; then
    gnuplot -e "term='$term'; data='$OUT/rtt_sweep.dat'; out='$OUT/rtt_sweep.png'; \
                kinds='$sweep_kinds'; sub='$when, $machine'" "$HERE/rtt_sweep.gp" 2>&1 | quiet
fi
echo "bench: plots in $OUT ($term): $(cd "$OUT" && ls -- *.png 2>/dev/null | tr '\n' ' ')"
