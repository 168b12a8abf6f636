# efficiency.gp - efficiency (speedup / workers, in %) vs workers, one
# line per kernel with its bars; 100 % means every worker was fully used;
# a ring marks a point whose 1-worker baseline was noisy.
# Data in, picture out; the variables of speedup.gp (ref unused).
# pfile[p]: a block per kernel, its first line the title, then rows
#   workers efficiency_pct low high noisy_baseline
load dir."/common.gp"
do for [p=1:npanels] {
    eval panel
    load dir."/workers.gp"
    cmd = 'plot 100 with lines ls 20 notitle, for [i=0:pn[p]-1] ' . \
        'pfile[p] index i using 1:2:3:4 with yerrorlines ' . \
        'lt int(word(pstyle[p], i + 1)) title columnheader(1)'
    if (pnoisy[p]) {
        cmd = cmd.', for [i=0:pn[p]-1] pfile[p] index i ' . \
            'using 1:($5 > 0 ? $2 : NaN) with points ls 22 ps 2.6 * ps ' . \
            'title columnheader(1)'
    }
    eval cmd
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
