# ipc.gp - one message by size, log-log, one line per mechanism: the
# time per message in a stream (left) and the bandwidth it gives (right),
# sizes in binary units (KiB, MiB), bars from the fastest to the slowest.
# Data in, picture out; the variables of common.gp.
# pfile[1]: a block per mechanism, its first line its name, then rows
#   bytes microseconds fastest slowest
# pfile[2]: the same blocks, rows bytes MiB_per_s low high
load dir."/common.gp"
do for [p=1:npanels] {
    eval panel
    plot for [i=0:pn[p]-1] pfile[p] index i using 1:2:3:4 \
        with yerrorlines lt int(word(pstyle[p], i + 1)) \
        title columnheader(1)
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
