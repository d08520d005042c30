# backtest.gp - a fit's back-test: observed vs predicted weekly junk rate and
# conversion on the held-out weeks (funnelsim fit DIR --holdout-from DATE).
#
# Files, written by `funnelsim fit` into FIT next to this script:
#   backtest.dat   the data (its '# columns:' line names the columns): index 0
#                  the held-out weeks (backtest.csv's rows), index 1 the
#                  fitted weeks (observed only)
#   backtest.vars  titles, footnote, dates, the holdout day and the colours
#
# Rerun by hand, in FIT (restyle here, relabel in the .vars file):
#   gnuplot backtest.gp
#   gnuplot -e "fmt='svg'" backtest.gp
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'backtest.dat'
if (!exists("varsfile")) varsfile = 'backtest.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'backtest.'.fmt
load varsfile

# Columns of backtest.dat (checked against the program by the tests).
c_week = 1
c_from_day = 2
c_observed_junk = 3
c_predicted_junk = 4
c_junk_lo = 5
c_junk_hi = 6
c_junk_inside = 7
c_observed_conversion = 8
c_predicted_conversion = 9
c_conversion_lo = 10
c_conversion_hi = 11
c_conversion_inside = 12

# The same chart in both: SVG renders fonts smaller than pngcairo.
if (fmt eq 'svg') {
    set terminal svg size 1600,1200 font 'Sans,20' fontscale 1.2 noenhanced background rgb 'white'
    pts = 0.55
} else {
    set terminal pngcairo size 1600,1200 font 'Sans,20' noenhanced background rgb 'white'
    pts = 1
}
set output outfile
set datafile missing 'NaN'

# x in weeks since day 0, a week drawn at its middle.  When the history is
# dated (dated = 1), the tics are at each month's first day, labelled
# "Feb" / "Jan 2027" (xtic_weeks, xtic_labels: word lists in the .vars
# file, as run_over_time.gp's); else the weeks are numbered.
if (!exists("xtic_weeks")) xtic_weeks = ''; xtic_labels = ''
# "Feb 2026" on two lines: a month is some 90 pixels here, and February's
# label ran into March's on one.
tic_text(s) = strstrt(s, ' ') > 0 ? s[1:strstrt(s, ' ') - 1]."\n".s[strstrt(s, ' ') + 1:] : s
xat(day) = day / 7.0
x(day) = xat(day + 3.5)
if (dated) {
    xlab = 'date (tics at the first of each month; a week drawn at its middle)'
} else {
    xlab = 'weeks since day 0 (a week drawn at its middle)'
}
set xrange [xat(first_day):xat(last_day)]
set xtics nomirror out
if (words(xtic_weeks) > 0) {
    set xtics ()
    do for [i = 1:words(xtic_weeks)] {
        set xtics add ('' real(word(xtic_weeks, i)))
    }
}
set ytics nomirror out
set format y '%g%%'
set border 3 lw 1.5
set grid ytics lc rgb '#dddddd' lw 1
# The legend right of the panels, where no week is drawn.
set key at screen 0.795, screen 0.86 left top vertical Left reverse font ',15' spacing 1.3 samplen 2
set lmargin 12
set rmargin 4

# The holdout date: a vertical line, the fitted weeks to its left, greyed.
set arrow 1 from first xat(holdout_day), graph 0 to first xat(holdout_day), graph 1 nohead lw 3 dt 2 lc rgb rgb_cap front
set label 1 'fitted' at first xat(holdout_day), graph 0.93 right offset -1,0 tc rgb '#888888' font ',16' front
set label 2 'held out' at first xat(holdout_day), graph 0.93 left offset 1,0 tc rgb rgb_cap font ',16' front

# A rate in percent; an observed week outside its interval marked apart.
# (The legend's two observed marks are drawn from NaN: gnuplot leaves out
# the entry of a plot with no point, and a panel may have none inside.)
pc(c) = 100 * column(c)
inside(v, c) = column(c) == 1 ? v : NaN
outside(v, c) = column(c) == 0 ? v : NaN

set multiplot layout 2,1 title title font ',26' margins 0.08, 0.78, 0.15, 0.89 spacing 0, 0.1
set label 99 footnote at screen 0.012, screen 0.012 left font ',13' tc rgb '#555555'

# ---- the junk rate -----------------------------------------------------------
set title junk_text font ',20'
set ylabel 'junk (% of the week''s resolved leads)'
set yrange [0:ymax_junk]
# The panels share x: its dates only under the lower one.
set format x ''
unset xlabel
plot datafile index 0 using (x(column(c_from_day))):(pc(c_junk_lo)):(pc(c_junk_hi)) with filledcurves fc rgb rgb_band fs solid 0.7 noborder title '95% prediction interval', \
     datafile index 0 using (x(column(c_from_day))):(pc(c_predicted_junk)) with lines lw 3 lc rgb rgb_mean title 'predicted (mean)', \
     datafile index 1 using (x(column(c_from_day))):(pc(c_observed_junk)) with linespoints lw 2 pt 7 ps 1.2*pts lc rgb '#b0b0b0' title 'observed, fitted weeks', \
     datafile index 0 using (x(column(c_from_day))):(inside(pc(c_observed_junk), c_junk_inside)) with points pt 7 ps 1.8*pts lc rgb rgb_ink notitle, \
     datafile index 0 using (x(column(c_from_day))):(outside(pc(c_observed_junk), c_junk_inside)) with points pt 9 ps 2.4*pts lc rgb rgb_up notitle, \
     NaN with points pt 7 ps 1.8*pts lc rgb rgb_ink title 'observed, inside', \
     NaN with points pt 9 ps 2.4*pts lc rgb rgb_up title 'observed, outside'
unset label 99

# ---- the conversion ------------------------------------------------------------
set title conversion_text font ',20'
set ylabel 'conversion (won, % of handed leads)'
set yrange [0:ymax_conversion]
set format x '%g'
if (words(xtic_weeks) > 0) {
    set xtics ()
    do for [i = 1:words(xtic_weeks)] {
        set xtics add (tic_text(word(xtic_labels, i)) real(word(xtic_weeks, i)))
    }
}
set xlabel xlab offset 0, -0.5
unset key
plot datafile index 0 using (x(column(c_from_day))):(pc(c_conversion_lo)):(pc(c_conversion_hi)) with filledcurves fc rgb rgb_band fs solid 0.7 noborder notitle, \
     datafile index 0 using (x(column(c_from_day))):(pc(c_predicted_conversion)) with lines lw 3 lc rgb rgb_mean notitle, \
     datafile index 1 using (x(column(c_from_day))):(pc(c_observed_conversion)) with linespoints lw 2 pt 7 ps 1.2*pts lc rgb '#b0b0b0' notitle, \
     datafile index 0 using (x(column(c_from_day))):(inside(pc(c_observed_conversion), c_conversion_inside)) with points pt 7 ps 1.8*pts lc rgb rgb_ink notitle, \
     datafile index 0 using (x(column(c_from_day))):(outside(pc(c_observed_conversion), c_conversion_inside)) with points pt 9 ps 2.4*pts lc rgb rgb_up notitle
unset multiplot
