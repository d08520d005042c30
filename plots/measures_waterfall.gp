# measures_waterfall.gp - the seven measures as a waterfall, from compare --measures.
#
# From the baseline's junk rate (grey, top) each measure in turn moves it
# (green: down, red: up), labelled with its change in percentage points,
# to the result (grey, bottom).  Each step keeps the measures before it,
# so the bars add up: baseline + changes = result.  The target is the
# dashed line.  Bars run across so that the measures' names can be read.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   measures_waterfall.dat   the data (its '# columns:' line names the columns)
#   measures_waterfall.vars  title, footnote, target
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot measures_waterfall.gp
#   gnuplot -e "fmt='svg'" measures_waterfall.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/measures_waterfall.dat'; varsfile='DIR/measures_waterfall.vars'; outfile='DIR/.measures_waterfall.png.part'; fmt='png'" DIR/measures_waterfall.gp
# and renames the chart to DIR/measures_waterfall.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'measures_waterfall.dat'
if (!exists("varsfile")) varsfile = 'measures_waterfall.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'measures_waterfall.'.fmt
load varsfile

# Columns of measures_waterfall.dat (checked against the program by the tests).
c_step = 1
c_from_pct = 2
c_to_pct = 3
c_change_pts = 4
c_kind = 5
c_label = 6
c_shapley_pts = 7

# The same chart in both: SVG renders fonts smaller and points larger than
# pngcairo at the same settings, so it gets a font scale and a point scale.
if (fmt eq 'svg') {
    set terminal svg size 1600,1000 font 'Sans,22' fontscale 1.2 noenhanced background rgb 'white'
    pts = 0.55
} else {
    set terminal pngcairo size 1600,1000 font 'Sans,22' noenhanced background rgb 'white'
    pts = 1
}
set output outfile

# Colours: rgb_* from the .vars file (plots/plot_style.c, the one table).
rgb_target = rgb_waterfall_target
rgbi(s) = int(('0x'.s[2:]) + 0)

# kind 0 baseline, 1 a measure, 2 the result.
bar_colour(kind, change) = kind != 1 ? rgbi(rgb_total) : (change <= 0 ? rgbi(rgb_down) : rgbi(rgb_up))
lo(d) = column(c_from_pct) < column(c_to_pct) ? column(c_from_pct) : column(c_to_pct)
hi(d) = column(c_from_pct) > column(c_to_pct) ? column(c_from_pct) : column(c_to_pct)
# A measure's bar: its change in this order, and its Shapley value (its
# change averaged over every order), when measures.json has one.
step_text(d) = valid(c_shapley_pts) ? sprintf('%+.1f pts (Shapley %+.1f)', column(c_change_pts), column(c_shapley_pts)) : sprintf('%+.1f pts', column(c_change_pts))
bar_text(d) = column(c_kind) == 1 ? step_text(0) : sprintf('%.1f%%', column(c_to_pct))

set datafile missing 'NaN'
set title title font ',30'
set xlabel 'junk rate (% of resolved leads)'
set format x '%g%%'
set xrange [0:xmax]
set yrange [n_rows - 0.4:-0.6]
set xtics out nomirror
set ytics scale 0 nomirror
set border 1 lw 1.5
set grid xtics lc rgb '#dddddd' lw 1
set style fill solid 1.0 noborder
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set rmargin 6
set label 1 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'
set arrow 1 from first target_pct, graph 0 to first target_pct, graph 1 nohead lw 3 dt 2 lc rgb rgb_target front

plot datafile using ((lo(0) + hi(0)) / 2):c_step:((hi(0) - lo(0)) / 2):(0.32):(bar_colour(column(c_kind), column(c_change_pts))):ytic(stringcolumn(c_label)) with boxxyerror lc rgb variable notitle, \
     '' using (column(c_to_pct)):(column(c_step) + 0.32):(0):(0.36) every ::0::(n_rows - 2) with vectors nohead dt 3 lw 2 lc rgb '#888888' notitle, \
     '' using (hi(0)):c_step:(bar_text(0)) with labels left offset 0.8,0 font ',20' notitle, \
     NaN with boxes fc rgb rgb_total title 'baseline and result', \
     NaN with boxes fc rgb rgb_down title 'measure lowers junk', \
     NaN with boxes fc rgb rgb_up title (any_up ? 'measure raises junk' : ''), \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% target', target_pct)
