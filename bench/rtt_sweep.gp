# SPDX-License-Identifier: BSD-2-Clause
# Size sweep: left, median round trip vs message size per IPC kind (solid native, dashed
# tzm); right, the tzm/native ratio with the issue's targets (1.05 at 4 KB, 1.10 at 64 B).
# Variables (gnuplot -e): term, data, out, kinds (space-separated, in data block order), sub.
set terminal term size 1200,520 font ",10"
set output out
set datafile missing "-"
set multiplot layout 1,2 title "Round trip vs message size (median)\n{/*0.8 ".sub."}"
set logscale x 2
set xtics ("64" 64, "1K" 1024, "4K" 4096, "16K" 16384, "64K" 65536)
set xrange [48:90000]
set xlabel "message size (bytes)"
set grid
set key top left
set ylabel "round-trip time (us)"
set yrange [0:*]
n = words(kinds)
plot for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 pt 7 lc i \
         title word(kinds, i)." native", \
     for [i=1:n] data index (i-1) using 1:3 with linespoints lw 2 pt 6 dt 2 lc i \
         title word(kinds, i)." tzm"
set ylabel "tzm / native"
set yrange [0.8:*]
set key top right
plot for [i=1:n] data index (i-1) using 1:4 with linespoints lw 2 pt 7 lc i \
         title word(kinds, i), \
     1.05 with lines dt 3 lc rgb "black" title "target 1.05 (4 KB)", \
     1.10 with lines dt 4 lc rgb "gray40" title "target 1.10 (64 B)"
unset multiplot
