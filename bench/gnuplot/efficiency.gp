# efficiency.gp - efficiency (speedup / workers) vs workers, one line per
# kernel: 100 % means every worker was fully useful.
# Data in, picture out; the same variables and data file as speedup.gp
# (fit unused).
what = "efficiency vs workers"
load dir."/workers.gp"
set ylabel "efficiency (speedup / workers)"
set format y "%.0f%%"
set yrange [0:*]
set offsets 0, 0, 10, 0
plot 100 with lines lc "black" title "ideal: every worker fully used", \
     for [i=0:n-1] in index i using 1:($6 * 100) with linespoints pt 7 \
         lw 2 lc i+1 title columnheader(2)
