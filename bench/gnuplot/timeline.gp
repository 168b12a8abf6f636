# timeline.gp - the concurrency timeline: when each task ran, and on which
# CPU (colour). Top: every task confined to one CPU (they take turns);
# bottom: spread over all CPUs (they run at once).
# Data in, picture out:
#   gnuplot -e "set terminal svg; set output 'x.svg'; dir='bench'; f1='t1.dat';
#     f2='t2.dat'; t1='one-cpu: ...'; t2='all-cpus: ...'; npanels=2;
#     ntasks=4; xmax=0.8; cpus='0 1'; machine='AMD EPYC 7B13, 2 CPUs'"
#     bench/timeline.gp
# f1, f2: rows task_index start_s end_s cpu task_label (times from the
# run's start); t1, t2 the panel titles; cpus the CPU ids that appear.
set datafile separator "\t"
load dir."/palette.gp"
set multiplot layout npanels,1 title sprintf("Concurrency vs " . \
    "parallelism: when each task ran\n%s", machine)
set xrange [0:xmax]
set yrange [-0.6:ntasks - 0.4]
set style fill solid 0.85 noborder
set xlabel "seconds since the run started"
set ylabel "task"
set grid x
set key outside right top
set title t1
plot f1 using (($2 + $3) / 2):1:(($3 - $2) / 2):(0.38):($4 + 1):ytic(5) \
         with boxxyerror lc variable notitle, \
     for [c=1:words(cpus)] NaN with boxes lc (word(cpus, c) + 1) \
         title "CPU ".word(cpus, c)
if (npanels > 1) {
    set title t2
    plot f2 using (($2 + $3) / 2):1:(($3 - $2) / 2):(0.38):($4 + 1):ytic(5) \
             with boxxyerror lc variable notitle, \
         for [c=1:words(cpus)] NaN with boxes lc (word(cpus, c) + 1) \
             title "CPU ".word(cpus, c)
}
unset multiplot
