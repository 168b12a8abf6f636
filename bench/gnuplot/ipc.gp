# ipc.gp - IPC latency and bandwidth vs message size, log-log, one line
# per mechanism (from the ipc rows of a bench CSV).
# Data in, picture out:
#   gnuplot -e "set terminal svg; set output 'x.svg'; dir='bench';
#     in='plots/ipc.dat'; n=4; machine='AMD EPYC 7B13, 2 CPUs'" bench/ipc.gp
# in: one block per mechanism, its first line the title, then rows
#   bytes latency_us latency_min_us latency_max_us bandwidth_MBps label
# (label: the size as pardemo writes it, "64k", for the x tics)
set datafile separator "\t"
load dir."/palette.gp"
set multiplot layout 1,2 title sprintf("IPC: one message, by size\n%s", \
    machine)
set logscale x 2
set logscale y
set grid
set xlabel "message size (bytes; k = 1024)"
set key top left Left reverse box opaque width 1
set title "latency (one way, median; bars: min to max)"
set ylabel "microseconds"
plot for [i=0:n-1] in index i using 1:2:3:4:xtic(6) with yerrorlines pt 7 lw 2 \
         lc i+1 title columnheader(1)
set title "bandwidth (bytes / one-way time)"
set ylabel "MB/s (10^6 bytes per second)"
plot for [i=0:n-1] in index i using 1:5:xtic(6) with linespoints pt 7 lw 2 \
         lc i+1 title columnheader(1)
unset multiplot
