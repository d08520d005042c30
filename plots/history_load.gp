# history_load.gp - the article's claim on the company's history: weekly junk rate against weekly load (funnelsim facts).
#
# Files, written by `funnelsim facts DIR` next to this script:
#   history_load.dat   the data (its '# columns:' line names the columns)
#   history_load.vars  title, footnote, dates and marks
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot history_load.gp
#   gnuplot -e "fmt='svg'" history_load.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'history_load.dat'
if (!exists("varsfile")) varsfile = 'history_load.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'history_load.'.fmt
load varsfile

# Columns of history_load.dat (checked against the program by the tests).
c_week = 1
c_load = 2
c_junk_pct = 3
c_resolved = 4
c_used = 5

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
used(x) = column(c_used) > 0 ? x : NaN
unused(x) = column(c_used) > 0 ? NaN : x
line(x) = intercept_pct + slope_pct * x
set xlabel 'load: leads handed a week per working manager'
set ylabel "junk (% of the week's resolved leads)"
set format y '%g%%'
set yrange [0:ymax]
set ytics nomirror out
set xtics nomirror out
set border 3 lw 1.5
set bmargin 6
set grid lc rgb '#dddddd' lw 1
set key top left font ',18'
set label 1 slope_text at graph 0.98, graph 0.06 right font ',20' tc rgb rgb_mean front
plot datafile using c_load:(unused(column(c_junk_pct))) with points pt 6 ps 2 * pts lc rgb '#999999' title 'week left out (partial, or too few resolved leads)', \
     datafile using c_load:(used(column(c_junk_pct))) with points pt 7 ps 2 * pts lc rgb rgb_junk title 'a week', \
     (has_line ? line(x) : NaN) with lines lw 4 lc rgb rgb_mean title 'least-squares line'
