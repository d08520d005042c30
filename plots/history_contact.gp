# history_contact.gp - time to first contact: the share of leads not yet contacted (Kaplan-Meier) (funnelsim facts).
#
# Files, written by `funnelsim facts DIR` next to this script:
#   history_contact.dat   the data (its '# columns:' line names the columns)
#   history_contact.vars  title, footnote, dates and marks
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot history_contact.gp
#   gnuplot -e "fmt='svg'" history_contact.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'history_contact.dat'
if (!exists("varsfile")) varsfile = 'history_contact.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'history_contact.'.fmt
load varsfile

# Columns of history_contact.dat (checked against the program by the tests).
c_hours = 1
c_waiting_pct = 2

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
set xlabel 'hours after the lead was created (log scale)'
set ylabel 'leads not yet contacted (%)'
set logscale x
set format y '%g%%'
set yrange [0:100]
set xrange [xmin:xmax]
set ytics nomirror out
set xtics nomirror out
set border 3 lw 1.5
set bmargin 6
set grid lc rgb '#dddddd' lw 1
set key bottom left font ',18'
# The quantiles: a dotted line each where the curve falls to 50, 20, 10%.
do for [i = 1:words(q_hours)] {
    set arrow (10 + i) from real(word(q_hours, i)), graph 0 to real(word(q_hours, i)), graph 1 nohead lw 2 dt 3 lc rgb rgb_cap back
    set label (10 + i) word(q_words, i) at real(word(q_hours, i)), graph 0.97 left offset 0.5, 0 font ',16' tc rgb rgb_cap
}
plot datafile using c_hours:c_waiting_pct with steps lw 4 lc rgb rgb_mean title 'not yet contacted (Kaplan-Meier)'
