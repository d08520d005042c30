# junk_by_channel.gp - junk by reason in each channel, from a run (funnelsim).
#
# One bar per channel, its name on the axis: the share of the channel's
# resolved leads thrown away for each reason, stacked in the colours of
# junk_by_cause (cool: reasons load does not change; warm: overload), so
# that the bar's top is the channel's junk rate, drawn with its 95%
# interval.  "Which channel produces the junk, and why" at a glance: a
# channel of poor fit shows a tall dark-blue base, an overloaded team
# warm tops on every channel alike.  The target is the dashed line.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   junk_by_channel.dat   the data (its '# columns:' line names the columns)
#   junk_by_channel.vars  title, labels, footnote and marks, as assignments
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot junk_by_channel.gp
#   gnuplot -e "fmt='svg'" junk_by_channel.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/junk_by_channel.dat'; varsfile='DIR/junk_by_channel.vars'; outfile='DIR/.junk_by_channel.png.part'; fmt='png'" DIR/junk_by_channel.gp
# and renames the chart to DIR/junk_by_channel.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'junk_by_channel.dat'
if (!exists("varsfile")) varsfile = 'junk_by_channel.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'junk_by_channel.'.fmt
load varsfile

# Columns of junk_by_channel.dat (checked against the program by the tests).
c_row = 1
c_channel = 2
c_bad_fit_pct = 3
c_theorist_pct = 4
c_unreachable_pct = 5
c_went_cold_pct = 6
c_misjudged_pct = 7
c_abandoned_pct = 8
c_junk_pct = 9
c_junk_lo_pct = 10
c_junk_hi_pct = 11

if (fmt eq 'svg') {
    set terminal svg size 1600,1000 font 'Sans,22' fontscale 1.2 noenhanced background rgb 'white'
} else {
    set terminal pngcairo size 1600,1000 font 'Sans,22' noenhanced background rgb 'white'
}
set output outfile

# Cool: causes load does not change.  Warm: overload (as junk_by_cause).
# Colours: rgb_* from the .vars file (plots/plot_style.c, the one table).

set datafile missing 'NaN'
set title title font ',30'
set ylabel ylabel
set format y '%g%%'
set yrange [0:ymax]
set xrange [-0.6:n_rows - 0.4]
set border 3 lw 1.5
set tics nomirror out
set xtics scale 0
set grid ytics front lc rgb '#ffffff' lw 1
set style data histograms
set style histogram rowstacked
set style fill solid 1.0 noborder
set boxwidth 0.6
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set tmargin 5
set rmargin 4
set label 1 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'
set arrow 1 from graph 0, first target_pct to graph 1, first target_pct nohead lw 3 dt 2 lc rgb rgb_target front

plot datafile using c_bad_fit_pct:xtic(c_channel) lc rgb rgb_bad_fit title label_bad_fit, \
     '' using c_theorist_pct lc rgb rgb_theorist title label_theorist, \
     '' using c_unreachable_pct lc rgb rgb_unreachable title label_unreachable, \
     '' using c_went_cold_pct lc rgb rgb_went_cold title label_went_cold, \
     '' using c_misjudged_pct lc rgb rgb_misjudged title label_misjudged, \
     '' using c_abandoned_pct lc rgb rgb_abandoned title label_abandoned, \
     '' using c_row:c_junk_pct:c_junk_lo_pct:c_junk_hi_pct with yerrorbars lw 2 pt 7 ps 0.8 lc rgb rgb_ink title label_junk_rate, \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% target', target_pct)
