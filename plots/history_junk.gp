# history_junk.gp - the junk rate of each week's leads, by stated reason (funnelsim facts).
#
# Files, written by `funnelsim facts DIR` next to this script:
#   history_junk.dat   the data (its '# columns:' line names the columns)
#   history_junk.vars  title, footnote, dates and marks
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot history_junk.gp
#   gnuplot -e "fmt='svg'" history_junk.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'history_junk.dat'
if (!exists("varsfile")) varsfile = 'history_junk.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'history_junk.'.fmt
load varsfile

# Columns of history_junk.dat (checked against the program by the tests).
c_day = 1
c_week = 2
c_resolved = 3
c_junk_pct = 4
c_bad_fit_pct = 5
c_theorist_pct = 6
c_unreachable_pct = 7
c_went_cold_pct = 8
c_misjudged_pct = 9
c_abandoned_pct = 10
c_other_pct = 11

# The same chart in both: SVG renders fonts smaller than pngcairo.
if (fmt eq 'svg') {
    set terminal svg size 1600,1000 font 'Sans,22' fontscale 1.2 noenhanced background rgb 'white'
    pts = 0.55
} else {
    set terminal pngcairo size 1600,1000 font 'Sans,22' noenhanced background rgb 'white'
    pts = 1
}
set output outfile
set datafile missing 'NaN'
set title title font ',28'
set label 99 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'
# Dates on the x axis when the history is dated (origin_epoch: day 0 in
# seconds since 1970), else weeks since day 0.
xat(day) = dated ? origin_epoch + day * 86400 : day / 7.0
if (dated) {
    set xdata time
    set format x "%d %b\n%Y"
    set xlabel 'week starting'
} else {
    set xlabel 'weeks since day 0'
}
# Each reason a layer, bottom to top in the model's order, in its colour
# (rgb_reasons and rgb_* from the .vars file: plots/plot_style.c); `other`
# (junk of unknown cause) in grey on top.
layer(k) = column(c_bad_fit_pct + k - 1)
top(k) = k <= 0 ? 0 : top(k - 1) + layer(k)
x(day) = xat(day)
set ylabel "junk (% of the week's resolved leads)"
set format y '%g%%'
set yrange [0:ymax]
set ytics nomirror out
set xtics nomirror out
set xrange [xat(0):xat(span_days)]
set border 3 lw 1.5
set grid ytics lc rgb '#dddddd' lw 1
set key below center horizontal height 1.2 font ',18' maxrows 2
set bmargin 9
# The whole history's junk rate, a dashed line across.
set arrow 1 from graph 0, first overall_pct to graph 1, first overall_pct nohead lw 3 dt 2 lc rgb rgb_target front
plot for [k = 1:6] datafile using (x(column(c_day))):(top(k - 1)):(top(k)) with filledcurves fc rgb word(rgb_reasons, k) fs solid 0.85 noborder title reason_names[k], \
     datafile using (x(column(c_day))):(top(6)):(top(7)) with filledcurves fc rgb '#aaaaaa' fs solid 0.85 noborder title 'other (unknown cause)', \
     datafile using (x(column(c_day))):c_junk_pct with lines lw 4 lc rgb rgb_ink title 'junk rate', \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title 'overall junk rate'
