# junk_by_cause.gp - junk by cause vs inflow, from a sweep (funnelsim).
#
# The mean share of resolved leads thrown away for each reason, stacked:
# the causes that do not rise with load at the bottom, those that do on
# top, so the top band is what over-filling the funnel costs; each cause
# in its colour of plots/plot_style.c (cool for the causes load does not
# change in the shipped scenarios, warm for overload's).  Which cause rises is decided by funnelsim from the
# data (between the points of lowest and highest load, a rise of at least
# half a point beyond both 95% intervals) and handed over in the .vars
# file: cause_1 .. cause_6, bottom to top, are the reasons (0 bad fit,
# 1 theorists, 2 unreachable, 3 went cold, 4 misjudged, 5 abandoned), the
# first n_flat of them do not rise, and title_K is each one's legend.  The
# top edge is the junk rate; the target and the team's capacity are marked.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   junk_by_cause.dat   the data (its '# columns:' line names the columns)
#   junk_by_cause.vars  title, labels, footnote and marks, as assignments
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot junk_by_cause.gp
#   gnuplot -e "fmt='svg'" junk_by_cause.gp
#   gnuplot -e "use_offered=1" junk_by_cause.gp   (x: leads handed to sales a week)
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/junk_by_cause.dat'; varsfile='DIR/junk_by_cause.vars'; outfile='DIR/.junk_by_cause.png.part'; fmt='png'" DIR/junk_by_cause.gp
# and renames the chart to DIR/junk_by_cause.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'junk_by_cause.dat'
if (!exists("varsfile")) varsfile = 'junk_by_cause.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'junk_by_cause.'.fmt
if (!exists("use_offered")) use_offered = 0
load varsfile

# Columns of junk_by_cause.dat (checked against the program by the tests).
c_value = 1
c_offered_per_week = 2
c_bad_fit_pct = 3
c_theorist_pct = 4
c_unreachable_pct = 5
c_went_cold_pct = 6
c_misjudged_pct = 7
c_abandoned_pct = 8
c_junk_pct = 9

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

ok(x) = x == x
# A mark's value for its label: whole from 10 up, 3 digits below.
num(x) = abs(x) >= 10 ? sprintf('%.0f', x) : sprintf('%.3g', x)
xc = use_offered ? c_offered_per_week : c_value
cap_x = use_offered ? cap_offered : cap_value
today_x = use_offered ? today_offered : today_value

# Each cause in its own colour, the same in every chart and on the what-if
# page: rgb_reasons and rgb_* come from the .vars file (plots/plot_style.c).
layer_rgb(k) = word(rgb_reasons, value(sprintf('cause_%d', k)) + 1)

# Layer k's share, and the running sums, bottom to top.
layer(k) = column(c_bad_fit_pct + value(sprintf('cause_%d', k)))
top(k) = k <= 0 ? 0 : top(k - 1) + layer(k)

set datafile missing 'NaN'
set title title font ',30'
set xlabel (use_offered ? xlabel_offered : xlabel)
set ylabel 'junk (% of resolved leads)'
set format y '%g%%'
set yrange [0:ymax]
set autoscale xfix
set border 3 lw 1.5
set tics nomirror out
set grid ytics front lc rgb '#ffffff' lw 1
set style fill solid 1.0 noborder
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set tmargin 5
set rmargin 4
set label 1 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'

set arrow 1 from graph 0, first target_pct to graph 1, first target_pct nohead lw 3 dt 2 lc rgb rgb_target front
if (ok(cap_x)) {
    set arrow 2 from cap_x, graph 0 to cap_x, graph 1 nohead lw 3 dt 4 lc rgb rgb_cap front
    set label 2 'capacity '.num(cap_x) at cap_x, graph 1 right offset 0.6,0.8 tc rgb rgb_cap front
}
if (ok(today_x)) {
    set arrow 3 from today_x, graph 0 to today_x, graph 1 nohead lw 3 dt 3 lc rgb rgb_today front
    if (ok(cap_x) && today_x < cap_x) {
        set label 3 'today '.num(today_x) at today_x, graph 1 right offset 0.6,0.8 tc rgb rgb_today front
    } else {
        set label 3 'today '.num(today_x) at today_x, graph 1 left offset -0.6,0.8 tc rgb rgb_today front
    }
}

if (strlen(cause_note) > 0) {
    set label 4 cause_note at graph 0.02, graph 0.96 left font ',18' tc rgb '#555555' front
}

plot datafile using xc:(top(0)):(top(1)) with filledcurves fc rgb layer_rgb(1) title title_1, \
     '' using xc:(top(1)):(top(2)) with filledcurves fc rgb layer_rgb(2) title title_2, \
     '' using xc:(top(2)):(top(3)) with filledcurves fc rgb layer_rgb(3) title title_3, \
     '' using xc:(top(3)):(top(4)) with filledcurves fc rgb layer_rgb(4) title title_4, \
     '' using xc:(top(4)):(top(5)) with filledcurves fc rgb layer_rgb(5) title title_5, \
     '' using xc:(top(5)):(top(6)) with filledcurves fc rgb layer_rgb(6) title title_6, \
     '' using xc:c_junk_pct with lines lw 3 lc rgb rgb_ink title 'junk rate', \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% target', target_pct)
