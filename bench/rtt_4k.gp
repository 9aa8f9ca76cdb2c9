# SPDX-License-Identifier: BSD-2-Clause
# Figure-2-style bars: 4 KB round-trip median per IPC kind, CA<->CA (native) vs CA<->TA
# (tzm), each tzm bar labelled with its tzm/native ratio.
# Variables (gnuplot -e): term, data, out, sub.
set terminal term size 900,540 font ",11"
set output out
set datafile missing "-"
set title "4 KB round trip: CA<->CA vs CA<->TA (median)\n{/*0.8 ".sub."}"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "round-trip time (us)"
set yrange [0:*]
stats data using 2 nooutput
set xrange [-0.6:STATS_records - 0.4]
set offsets 0, 0, graph 0.12, 0
set key top left
set grid ytics
plot data using 2:xtic(1) title "CA <-> CA (native)" lc rgb "#4477aa", \
     '' using 3 title "CA <-> TA (tzmediator)" lc rgb "#ee6677", \
     '' using ($0 + 0.1667):3:(sprintf("%.2fx", $4)) with labels offset 0,0.8 notitle
