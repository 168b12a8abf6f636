# time.gp - time per run vs workers on a log scale, one line per kernel
# (and memory's STREAM bandwidth in GB/s vs threads, drawn alike):
# the median of the reps with bars from the fastest to the slowest. A
# serial kernel is black and dashed (the time to beat); kernels that gave
# a wrong answer are grey, in a panel of their own.
# Data in, picture out; the variables of speedup.gp (ref unused).
# pfile[p]: a block per kernel, its first line the title, then rows
#   workers median fastest slowest answer_ok
load dir."/common.gp"
do for [p=1:npanels] {
    eval panel
    load dir."/workers.gp"
    plot for [i=0:pn[p]-1] pfile[p] index i using 1:2:3:4 \
        with yerrorlines lt int(word(pstyle[p], i + 1)) \
        title columnheader(1)
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
