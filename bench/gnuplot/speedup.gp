# speedup.gp - speedup vs workers, one line per kernel, bars from the
# slowest to the fastest pairing of the reps, the ideal line (speedup =
# workers), each kernel's Amdahl fit (thin, dotted, in its colour) up to
# the CPU count and never past it, and a ring round every point whose
# 1-worker baseline was noisy. When too few CPUs allowed a fit, grey
# dotted curves show what p = 0.5, 0.9 and 0.99 would give instead.
# Data in, picture out: pardemo plot writes the data and the variables
# (see common.gp; here also cpus, shade, ref) and runs
#   gnuplot -e "set terminal ...; set output ...; dir = ...; ..." speedup.gp
# pfile[p]: a block per kernel, its first line the title, then rows
#   workers speedup low high noisy_baseline
# pfit[p]: rows workers speedup linetype, a blank line between curves.
load dir."/common.gp"
do for [p=1:npanels] {
    eval panel
    load dir."/workers.gp"
    cmd = 'plot x with lines ls 20 notitle'
    if (ref ne "") { cmd = cmd.', ref using 1:2 with lines ls 21 notitle' }
    if (pfit[p] ne "") {
        cmd = cmd.', pfit[p] using 1:2:3 with lines lc variable lw 1.5 ' . \
            'dt 3 notitle'
    }
    cmd = cmd.', for [i=0:pn[p]-1] pfile[p] index i using 1:2:3:4 ' . \
        'with yerrorlines lt int(word(pstyle[p], i + 1)) ' . \
        'title columnheader(1)'
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
