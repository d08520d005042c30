# sizing_map.gp - junk rate over inflow x team size, from a grid sweep (funnelsim).
#
# Each cell is one point of the grid (sweep --vary ... --vary2 ...),
# coloured and labelled with its mean junk rate; the line is the target's
# contour, drawn by gnuplot's linear contouring of the grid: on one side
# of it the team holds the target.  Today's setting is marked when it lies
# inside the grid.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   sizing_map.dat   the data, a block per value of --vary (blank lines
#                    between), its '# columns:' line naming the columns
#   sizing_map.vars  title, labels, footnote, target
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot sizing_map.gp
#   gnuplot -e "fmt='svg'" sizing_map.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/sizing_map.dat'; varsfile='DIR/sizing_map.vars'; outfile='DIR/.sizing_map.png.part'; fmt='png'" DIR/sizing_map.gp
# and renames the chart to DIR/sizing_map.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'sizing_map.dat'
if (!exists("varsfile")) varsfile = 'sizing_map.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'sizing_map.'.fmt
load varsfile

# Columns of sizing_map.dat (checked against the program by the tests).
c_value = 1
c_value2 = 2
c_offered_per_week = 3
c_load_ratio = 4
c_junk_pct = 5
c_junk_lo_pct = 6
c_junk_hi_pct = 7

ok(x) = x == x

# The target's contour, computed once into a datablock.
if (has_contour) {
    set contour base
    set cntrparam linear
    set cntrparam levels discrete target_pct
    unset surface
    set table $target_line
    splot datafile using c_value:c_value2:c_junk_pct with lines
    unset table
    unset contour
    set surface
}

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

set datafile missing 'NaN'
set title title font ',30'
set xlabel xlabel
set ylabel ylabel
set cblabel 'junk rate (% of resolved leads)'
set format cb '%g%%'
set cbrange [cb_lo:cb_hi]
# Green at or under the target, yellow to red above it.
if (target_pct > cb_lo) {
    set palette defined (cb_lo '#1a9850', target_pct '#a6d96a', target_pct '#fee08b', (target_pct + cb_hi) / 2 '#fc8d59', cb_hi '#b2182b')
} else {
    set palette defined (cb_lo '#fee08b', (cb_lo + cb_hi) / 2 '#fc8d59', cb_hi '#b2182b')
}
set colorbox user origin graph 1.04, graph 0 size graph 0.04, graph 1
set cblabel offset 1.5,0
set autoscale fix
set tics out nomirror
set border 3 lw 1.5
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set rmargin 22
set label 1 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'
if (note ne '') set label 2 note at graph 0.5, graph 1.02 center font ',18' tc rgb '#444444'

# Optional layers, as text spliced into the plot command (@): gnuplot
# cannot plot a datablock that was never made, nor a point that is NaN.
contour = has_contour ? sprintf(", $target_line using 1:2 with lines lw 6 lc rgb '#1a7a2e' title '%g%% target'", target_pct) : ''
cells = cell_labels ? ", datafile using c_value:c_value2:(sprintf('%.0f%%', column(c_junk_pct))) with labels font ',16' tc rgb '#222222' notitle" : ''
today = ok(today_value) && ok(today_value2) ? ", NaN with points pt 6 ps 3*pts lw 4 lc rgb '#1f4e79' title 'today'" : ''
if (ok(today_value) && ok(today_value2)) {
    set label 3 '' at today_value, today_value2 point pt 6 ps 9*pts lw 4 lc rgb '#1f4e79' front
}

plot datafile using c_value:c_value2:c_junk_pct with image notitle @contour @cells @today
