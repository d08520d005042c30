# history_arrivals.gp - when leads arrive: a heatmap of leads by weekday and hour (funnelsim facts).
#
# Files, written by `funnelsim facts DIR` next to this script:
#   history_arrivals.dat   the data (its '# columns:' line names the columns)
#   history_arrivals.vars  title, footnote, dates and marks
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot history_arrivals.gp
#   gnuplot -e "fmt='svg'" history_arrivals.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'history_arrivals.dat'
if (!exists("varsfile")) varsfile = 'history_arrivals.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'history_arrivals.'.fmt
load varsfile

# Columns of history_arrivals.dat (checked against the program by the tests).
c_weekday = 1
c_hour = 2
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
set xlabel 'hour of the day (local time of the export)'
set ylabel ''
set xrange [-0.5:23.5]
set yrange [6.5:-0.5]
set xtics 0, 2, 23 out nomirror
set ytics ('Monday' 0, 'Tuesday' 1, 'Wednesday' 2, 'Thursday' 3, 'Friday' 4, 'Saturday' 5, 'Sunday' 6) out nomirror
set cblabel 'leads created in that hour over the history'
set cbrange [0:*]
set palette defined (0 '#ffffff', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5', 4 '#08306b')
set border 3 lw 1.5
set bmargin 6
set rmargin 14
plot datafile using c_hour:c_weekday:c_leads with image notitle
