# workers.gp - what every "something vs workers" chart shares: tab-separated
# data, the x axis from 1 to maxw workers, and the worker counts beyond the
# CPUs shaded, because there the workers only take turns.
# Loaded by speedup.gp, efficiency.gp and time.gp with: cpus, maxw, what,
# topic, machine set (see those files).
set datafile separator "\t"
load dir."/palette.gp"
set title sprintf("%s: %s\n%s", topic, what, machine)
set xlabel "workers"
set xrange [1:(maxw > 1 ? maxw : 2)]
if (maxw > 16) { set logscale x 2 } else { set xtics 1 }
set grid
set key top left Left reverse box opaque width 1
if (maxw > cpus) {
    set object 1 rect from cpus, graph 0 to maxw, graph 1 \
        fc rgb "#e4e4e4" fs solid noborder behind
    set label 1 sprintf("oversubscribed:\nmore workers than %d CPU%s", \
        cpus, cpus == 1 ? "" : "s") at graph 0.98, graph 0.06 right
}
