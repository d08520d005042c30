# history_leads.gp - leads created each week, one line per channel (funnelsim facts).
#
# Files, written by `funnelsim facts DIR` next to this script:
#   history_leads.dat   the data (its '# columns:' line names the columns)
#   history_leads.vars  title, footnote, dates and marks
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot history_leads.gp
#   gnuplot -e "fmt='svg'" history_leads.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'history_leads.dat'
if (!exists("varsfile")) varsfile = 'history_leads.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'history_leads.'.fmt
load varsfile

# Columns of history_leads.dat (checked against the program by the tests).
# One block a channel (gnuplot's index), in the order of channel_names.
c_day = 1
c_week = 2
c_leads = 3

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
set ylabel 'leads created a week'
set yrange [0:*]
set ytics nomirror out
set xtics nomirror out
set xrange [xat(0):xat(span_days)]
set border 3 lw 1.5
set grid ytics lc rgb '#dddddd' lw 1
set key below center horizontal height 1.2 font ',20'
set bmargin 8
plot for [i = 1:n_channels] datafile index (i - 1) using (xat(column(c_day))):c_leads with steps lw 4 title channel_names[i]
