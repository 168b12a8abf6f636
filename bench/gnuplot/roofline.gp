# roofline.gp - the roofline: each kernel's GFLOP/s against its FLOPs per
# byte moved (both axes log), with the error bar of its reps, under the
# measured roof: min(the compute kernel's GFLOP/s, FLOP/byte x the best
# STREAM bandwidth), drawn as one black line.
# Data in, picture out; the variables of common.gp.
# pfile[1]: a block per kernel, its first line the name, then one row
#   flop_per_byte gflop_per_s slowest fastest threads
# pfit[1]: the roof, rows flop_per_byte gflop_per_s.
load dir."/common.gp"
do for [p=1:npanels] {
    eval panel
    plot pfit[p] using 1:2 with lines ls 20 notitle, \
        for [i=0:pn[p]-1] pfile[p] index i using 1:2:3:4 \
            with yerrorbars lt int(word(pstyle[p], i + 1)) ps 1.6 * ps \
            title columnheader(1)
    eval check
}
if (nkey > 0) { eval keypanel }
unset multiplot
