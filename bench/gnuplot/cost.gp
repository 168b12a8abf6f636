# cost.gp - what one operation costs, relative to a reference kernel
# (manager: an atomic add in shared memory), as bars grouped by workers
# on a log scale: a bar goes from 1 (the reference) to the ratio, with
# the fastest-to-slowest spread and the ratio written above it.
# Data in, picture out; the variables of common.gp and reference (its
# name). pfile[1]: a block per kernel, its first line the name, then rows
#   x ratio low high bar_left bar_right label
load dir."/common.gp"
set grid noxtics
set xlabel offset 0, -1    # room for the two-line tic labels
do for [p=1:npanels] {
    eval panel
    plot 1 with lines ls 20 notitle, \
        for [i=0:pn[p]-1] pfile[p] index i \
            using 1:(1):5:6:($2 < 1 ? $2 : 1):($2 > 1 ? $2 : 1) \
            with boxxyerror lt int(word(pstyle[p], i + 1)) dt 1 \
            fs solid 0.7 border lc rgb "#444444" title columnheader(1), \
        for [i=0:pn[p]-1] pfile[p] index i using 1:3:(0):($4 - $3) \
            with vectors heads size screen 0.006, 90 lc rgb "black" \
            lw 1.5 dt 1 title columnheader(1), \
        for [i=0:pn[p]-1] pfile[p] index i using 1:4:7 \
            with labels offset 0, char 0.7 title columnheader(1)
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
