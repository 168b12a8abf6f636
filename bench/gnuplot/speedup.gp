# speedup.gp - speedup vs workers, one line per kernel; the ideal line
# (speedup = workers), each kernel's fitted Amdahl curve dashed in its
# colour (p in the key), and the oversubscribed region shaded.
# Data in, picture out (pardemo plot writes the data and runs this):
#   gnuplot -e "set terminal svg; set output 'x.svg'; dir='bench';
#     in='plots/speedup-race.dat'; fit='plots/amdahl-race.dat'; n=3;
#     cpus=2; maxw=4; topic='race'; machine='AMD EPYC 7B13, 2 CPUs'"
#     bench/speedup.gp
# in: one block per kernel, its first line the titles, then rows
#   workers median_s min_s max_s speedup efficiency karp_flatt
# fit: one block per kernel (same order), rows: workers amdahl_speedup
what = "speedup vs workers"
load dir."/workers.gp"
set ylabel "speedup (time on 1 worker / time on n workers)"
set yrange [0:*]
plot x with lines lc "black" title "ideal: speedup = workers", \
     for [i=0:n-1] fit index i using 1:2 with lines dt 2 lw 1.5 lc i+1 \
         notitle, \
     for [i=0:n-1] in index i using 1:5 with linespoints pt 7 lw 2 lc i+1 \
         title columnheader(1), \
     NaN with lines dt 2 lc "gray40" title "dashed: Amdahl fit 1/((1-p)+p/n)"
