# palette.gp - six colours that colour-blind readers can tell apart (Paul
# Tol's "vibrant" scheme, no pale yellow for a projector), each with its
# own point shape and dash pattern, so a chart still reads in grey.
# Kernel i of a panel is linetype i; 7 is a serial reference (black,
# dashed), 8..10 a wrong answer (grey); 20.. are the chart's own lines.
set linetype 1 lc rgb "#0077BB" lw 2.5 pt 7 dt 1
set linetype 2 lc rgb "#EE7733" lw 2.5 pt 5 dt 2
set linetype 3 lc rgb "#009988" lw 2.5 pt 9 dt 4
set linetype 4 lc rgb "#EE3377" lw 2.5 pt 13 dt 5
set linetype 5 lc rgb "#33BBEE" lw 2.5 pt 11 dt (16, 6)
set linetype 6 lc rgb "#CC3311" lw 2.5 pt 15 dt (4, 4, 12, 4)
set linetype 7 lc rgb "black" lw 2 pt 6 dt 2
set linetype 8 lc rgb "#888888" lw 2 pt 2 dt 3
set linetype 9 lc rgb "#888888" lw 2 pt 1 dt 3
set linetype 10 lc rgb "#888888" lw 2 pt 3 dt 3
set linetype cycle 10
# 20: the ideal line; 21: reference curves; 22: the ring on a noisy point
set style line 20 lc rgb "black" lw 1.5 dt 1
set style line 21 lc rgb "#999999" lw 1.5 dt 3
set style line 22 lc rgb "black" lw 1.5 pt 6
