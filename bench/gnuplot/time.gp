# time.gp - time per run vs workers, one line per kernel: the median of
# the reps, with bars from the fastest to the slowest rep (the noise).
# Data in, picture out; the same variables and data file as speedup.gp
# (fit unused).
what = "time vs workers"
load dir."/workers.gp"
set ylabel "seconds per run (median; bars: min to max)"
set yrange [0:*]
plot for [i=0:n-1] in index i using 1:2:3:4 with yerrorlines pt 7 lw 2 \
         lc i+1 title columnheader(2)
