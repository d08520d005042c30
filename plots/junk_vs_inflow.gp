# junk_vs_inflow.gp - junk rate vs weekly inflow, from a sweep (funnelsim).
#
# The mean junk rate at every swept value with its 95% confidence band, the
# junk target (horizontal), the team's nominal capacity (vertical: where
# leads handed to sales a week equal the team's capacity, load 1), today's
# value, where the mean crosses the target, and the knee: the swept point
# farthest below the straight line from the first point to the last, where
# the flat curve turns steep.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   junk_vs_inflow.dat   the data (its '# columns:' line names the columns)
#   junk_vs_inflow.vars  title, labels, footnote and marks, as assignments
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot junk_vs_inflow.gp
#   gnuplot -e "fmt='svg'" junk_vs_inflow.gp
#   gnuplot -e "use_offered=1" junk_vs_inflow.gp   (x: leads handed to sales a week)
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/junk_vs_inflow.dat'; varsfile='DIR/junk_vs_inflow.vars'; outfile='DIR/.junk_vs_inflow.png.part'; fmt='png'" DIR/junk_vs_inflow.gp
# and renames the chart to DIR/junk_vs_inflow.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'junk_vs_inflow.dat'
if (!exists("varsfile")) varsfile = 'junk_vs_inflow.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'junk_vs_inflow.'.fmt
if (!exists("use_offered")) use_offered = 0
load varsfile

# Columns of junk_vs_inflow.dat (checked against the program by the tests).
c_value = 1
c_offered_per_week = 2
c_load_ratio = 3
c_junk_pct = 4
c_junk_lo_pct = 5
c_junk_hi_pct = 6

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
knee_x = use_offered ? knee_offered : knee_value
thr_x = use_offered ? threshold_offered : threshold_value
# The report's words on the swept axis; on the offered axis, the same in its units.
thr_text = !use_offered ? threshold_text : sprintf('at or under %g%% %s %s', target_pct, rising ? 'up to' : 'from', num(thr_x))
today_x = use_offered ? today_offered : today_value

# Colours: rgb_* from the .vars file (plots/plot_style.c, the one table).

set datafile missing 'NaN'
set title title font ',30'
set xlabel (use_offered ? xlabel_offered : xlabel)
set ylabel 'junk rate (% of resolved leads)'
set format y '%g%%'
set yrange [0:ymax]
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set border 3 lw 1.5
set tics nomirror out
set grid ytics lc rgb '#dddddd' lw 1
# The legend goes under the chart (inside, the vertical marks would cross
# it); its extra height leaves room for the footnote.
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
# Labels on the curve get an opaque background, so lines never run through them.
set style textbox opaque noborder
# Where the mean crosses the target: held at or under it on the flat side.
if (ok(thr_x)) {
    if (rising) {
        set label 5 thr_text at thr_x, target_pct point pt 13 ps 2.4*pts lc rgb rgb_target right offset -1,1.1 tc rgb rgb_target boxed front
    } else {
        set label 5 thr_text at thr_x, target_pct point pt 13 ps 2.4*pts lc rgb rgb_target left offset 1,1.1 tc rgb rgb_target boxed front
    }
}
if (ok(knee_x)) {
    set label 4 sprintf('knee: %s (%.0f%%)', num(knee_x), knee_pct) at knee_x, knee_pct point pt 7 ps 2.6*pts lc rgb rgb_knee offset 1.2,-1.3 tc rgb rgb_knee boxed front
}

plot datafile using xc:c_junk_lo_pct:c_junk_hi_pct with filledcurves fc rgb rgb_band fs solid 0.55 noborder title '95% confidence band', \
     '' using xc:c_junk_pct with linespoints lw 4 pt 7 ps 1.3*pts lc rgb rgb_mean title 'mean junk rate', \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% target', target_pct), \
     NaN with lines lw 3 dt 4 lc rgb rgb_cap title (ok(cap_x) ? 'team capacity (load 1)' : ''), \
     NaN with lines lw 3 dt 3 lc rgb rgb_today title (ok(today_x) ? "today's value" : ''), \
     NaN with points pt 7 ps 2.2*pts lc rgb rgb_knee title (ok(knee_x) ? 'knee of the curve' : '')
