# common.gp - what every pardemo chart shares, loaded first by each
# script: the palette, the title block, the notes at the bottom, where
# each panel goes, and one key for all the panels, in a column on the
# right where no data can be.
# pardemo plot sets, before the script runs (gnuplot -e):
#   dir (this folder), chart (its name), ps (point size), ctitle,
#   csubtitle, cxlabel, xlo, xhi, xlog, xtics (a tic list or ""),
#   npanels, cols, rows, ptop, pbottom, plineh (screen fractions),
#   nfoot and foot[] (the notes), keyx (where the key column starts),
#   nkey, keykind[], keylt[], keylabel[] (its entries: what sample, which
#   linetype, what text), and per panel p: pfile[p] (its data), pfit[p],
#   ptitle[p], pn[p] (blocks in pfile[p]), pstyle[p] (their linetypes,
#   "1 2 7"), pnoisy[p], ylo[p], yhi[p], ylog[p], ytics[p], pylabel[p];
#   checkfile, when set, receives gnuplot's axis ranges (see check).
set encoding utf8
set datafile separator "\t"
load dir."/palette.gp"
set samples 400
set pointsize ps
set tics out nomirror
set format x "%g"
set format y "%g"
set grid back lc rgb "#d8d8d8" lw 1 dt 1
set border 3 lw 1
unset key
set xrange [xlo:xhi]
set xlabel cxlabel
if (xlog) { set logscale x } else { unset logscale x }
if (xtics ne "") { eval "set xtics ".xtics } else { set xtics autofreq }
set multiplot title ctitle."\n".csubtitle

# panel: where panel p goes and its own y axis; the notes go with the
# first panel only (labels would repeat on every panel of a multiplot).
panel = 'col = (p - 1) % cols; row = (p - 1) / cols; ' . \
    'set origin col * keyx / cols, pbottom + (rows - 1 - row) * ' . \
    '(ptop - pbottom) / rows; ' . \
    'set size keyx / cols, (ptop - pbottom) / rows; ' . \
    'set title ptitle[p]; set ylabel pylabel[p]; ' . \
    'set yrange [ylo[p]:yhi[p]]; ' . \
    'if (ylog[p]) { set logscale y } else { unset logscale y }; ' . \
    'if (ytics[p] ne "") { eval "set ytics ".ytics[p] } ' . \
    'else { set ytics autofreq }; unset label; ' . \
    'if (p == 1) { do for [i=1:nfoot] { set label 100 + i foot[i] at ' . \
    'screen 0.012, screen (nfoot - i + 0.6) * plineh left front } }'

# check: after each plot, the axis ranges gnuplot drew and the plot area
# (terminal coordinates), with the data files, for the chart test.
check = 'if (exists("checkfile")) { set print checkfile append; ' . \
    'print sprintf("%s\t%d\t%d\t%d\t%.9g\t%.9g\t%.9g\t%.9g\t%.6g\t%.6g\t' . \
    '%.6g\t%.6g\t%s\t%s%s", chart, p, xlog, ylog[p], GPVAL_X_MIN, ' . \
    'GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX, GPVAL_TERM_XMIN, ' . \
    'GPVAL_TERM_XMAX, GPVAL_TERM_YMIN, GPVAL_TERM_YMAX, pfile[p], ' . \
    'pfit[p], exists("ref") ? "\t".ref : ""); set print }'

# keypanel: the key column, drawn last, with one sample of each kind. Its
# box is #474747, a grey no other line uses: the chart test finds it so.
keypanel = 'set origin keyx, pbottom; set size 1 - keyx, ptop - pbottom; ' . \
    'unset border; unset tics; unset grid; unset title; unset xlabel; ' . \
    'unset ylabel; unset label; unset object; unset logscale; ' . \
    'set lmargin 0; set rmargin 1; set tmargin 2; set bmargin 0; ' . \
    'set xrange [0:1]; set yrange [0:1]; set key inside left top ' . \
    'vertical Left reverse box lc rgb "#474747" lw 1 samplen 2 ' . \
    'spacing 1.15 width 0; ' . \
    'plot NaN notitle, ' . \
    'for [e=1:nkey] keyentry with yerrorlines lt keylt[e] ' . \
    'title (keykind[e] == 1 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with boxes fs solid 0.7 border ' . \
    'lc rgb "#444444" lt keylt[e] dt 1 ' . \
    'title (keykind[e] == 7 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with boxes fs solid 0.85 noborder ' . \
    'lc keylt[e] title (keykind[e] == 8 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with lines ls 20 ' . \
    'title (keykind[e] == 2 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with lines lc "black" lw 1.5 dt 3 ' . \
    'title (keykind[e] == 3 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with lines ls 21 ' . \
    'title (keykind[e] == 4 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with points ls 22 ps 2.6 * ps ' . \
    'title (keykind[e] == 5 ? keylabel[e] : ""), ' . \
    'for [e=1:nkey] keyentry with boxes fs solid noborder ' . \
    'fc rgb "#e6e6e6" title (keykind[e] == 6 ? keylabel[e] : "")'
