# timeline.gp - the concurrency timeline: when each task ran and on which
# CPU (colour), in milliseconds. Left: every task confined to one CPU
# (they take turns); right: spread over all CPUs (they run at once).
# Data in, picture out; the variables of common.gp and tasktics (the
# tasks' labels: a tic list, "" for gnuplot's own).
# pfile[p]: rows task_index start_ms end_ms cpu task
load dir."/common.gp"
set style fill solid 0.85 noborder
set grid noytics
do for [p=1:npanels] {
    eval panel
    eval "set ytics ".tasktics
    plot pfile[p] using (($2 + $3) / 2):1:(($3 - $2) / 2):(0.38): \
            (int($4) % 6 + 1) with boxxyerror lc variable notitle
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
