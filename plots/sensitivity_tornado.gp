# sensitivity_tornado.gp - which assumptions matter: a tornado per metric,
# from funnelsim sensitivity.
#
# One panel per metric (junk rate, deals won, profit).  Each row is one
# assumption moved alone over its plausible range, ranked by the size of
# its swing (the metric at the high end minus at the low end), largest at
# the top.  The blue bar runs from the base value (the vertical line) to
# the metric at the low end of the range, the orange bar to the metric at
# the high end.  A swing whose paired 95% interval contains 0 is within
# the noise: its bars are hatched grey.  The words right of each row give
# the swing and its interval.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   sensitivity_tornado.dat   the data: a block per metric (index 0, 1, 2);
#                             its '# columns:' line names the columns
#   sensitivity_tornado.vars  title, panel titles, axis labels, ranges
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot sensitivity_tornado.gp
#   gnuplot -e "fmt='svg'" sensitivity_tornado.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/sensitivity_tornado.dat'; varsfile='DIR/sensitivity_tornado.vars'; outfile='DIR/.sensitivity_tornado.png.part'; fmt='png'" DIR/sensitivity_tornado.gp
# and renames the chart to DIR/sensitivity_tornado.png when gnuplot
# succeeds (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'sensitivity_tornado.dat'
if (!exists("varsfile")) varsfile = 'sensitivity_tornado.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'sensitivity_tornado.'.fmt
load varsfile

# Columns of sensitivity_tornado.dat (checked against the program by the tests).
c_row = 1
c_label = 2
c_base = 3
c_at_low = 4
c_at_high = 5
c_swing = 6
c_swing_lo = 7
c_swing_hi = 8
c_within_noise = 9
c_swing_text = 10
c_text_x = 11

# Each panel grows with its rows, so that the labels stay readable.
panel_h = 150 + 52 * n_rows
height = 160 + n_panels * panel_h
if (fmt eq 'svg') {
    set terminal svg size 1600,height font 'Sans,20' fontscale 1.2 noenhanced background rgb 'white'
} else {
    set terminal pngcairo size 1600,height font 'Sans,20' noenhanced background rgb 'white'
}
set output outfile

# A bar from the base to the value at one end, half a row high, above
# (low end) or below (high end) the row's middle; NaN leaves it out.
mid(a, b) = (a + b) / 2.0
half(a, b) = abs(b - a) / 2.0
sig(d) = column(c_within_noise) == 0
bar_x(c, keep) = keep ? mid(column(c_base), column(c)) : NaN

set datafile missing 'NaN'
set ytics scale 0 nomirror font ',17'
set xtics out nomirror
set border 1 lw 1.5
set grid xtics lc rgb '#dddddd' lw 1
set lmargin 50
set rmargin 10
set multiplot layout n_panels, 1 title title font ',28'
do for [m = 0:n_panels - 1] {
    set title value(sprintf('panel%d', m)) font ',22'
    set xlabel value(sprintf('xlabel%d', m))
    set xrange [value(sprintf('xmin%d', m)):value(sprintf('xmax%d', m))]
    set yrange [n_rows - 0.5:-0.5]
    kind = value(sprintf('pct%d', m))
    if (kind == 1) { set format x '%g%%' } else { if (kind == 2) { set format x '%.1s%c' } else { set format x '%g' } }
    # The legend once, under the last panel.
    if (m == n_panels - 1) { set key below center horizontal reverse Left height 1.2 samplen 2.5 font ',18' } else { unset key }
    base = value(sprintf('base%d', m))
    set arrow 1 from first base, graph 0 to first base, graph 1 nohead lw 2 lc rgb rgb_ink front
    if (m == n_panels - 1) {
        set label 1 footnote at screen 0.012, screen 0.008 left font ',13' tc rgb '#555555'
    }
    plot datafile index m using (bar_x(c_at_low, sig(0))):(column(c_row) - 0.19):(half(column(c_base), column(c_at_low))):(0.17):ytic(stringcolumn(c_label)) with boxxyerror fs solid 1.0 noborder fc rgb rgb_sens_low title label_low, \
         '' index m using (bar_x(c_at_high, sig(0))):(column(c_row) + 0.19):(half(column(c_base), column(c_at_high))):(0.17) with boxxyerror fs solid 1.0 noborder fc rgb rgb_sens_high title label_high, \
         '' index m using (bar_x(c_at_low, !sig(0))):(column(c_row) - 0.19):(half(column(c_base), column(c_at_low))):(0.17) with boxxyerror fs pattern 4 border lc rgb rgb_sens_noise fc rgb rgb_sens_noise title label_noise, \
         '' index m using (bar_x(c_at_high, !sig(0))):(column(c_row) + 0.19):(half(column(c_base), column(c_at_high))):(0.17) with boxxyerror fs pattern 5 border lc rgb rgb_sens_noise fc rgb rgb_sens_noise notitle, \
         '' index m using (column(c_text_x)):(column(c_row)):(stringcolumn(c_swing_text)) with labels left font ',15' notitle
    unset label 1
}
unset multiplot
