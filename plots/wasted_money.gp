# wasted_money.gp - wasted spend and revenue vs inflow, from a sweep (funnelsim).
#
# For the marketer: what the leads sales throw away cost a month (their
# cost of acquisition), and the revenue the deals bring a month, each with
# its 95% confidence band, against the swept value.  Money a month is the
# total over the measured window divided by its days, times 30.44.  When
# revenue runs more than five times the waste, it gets the right-hand
# axis, so the waste does not lie flat along the bottom.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   wasted_money.dat   the data (its '# columns:' line names the columns)
#   wasted_money.vars  title, labels, footnote, marks and the money scale
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot wasted_money.gp
#   gnuplot -e "fmt='svg'" wasted_money.gp
#   gnuplot -e "use_offered=1" wasted_money.gp   (x: leads handed to sales a week)
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/wasted_money.dat'; varsfile='DIR/wasted_money.vars'; outfile='DIR/.wasted_money.png.part'; fmt='png'" DIR/wasted_money.gp
# and renames the chart to DIR/wasted_money.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'wasted_money.dat'
if (!exists("varsfile")) varsfile = 'wasted_money.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'wasted_money.'.fmt
if (!exists("use_offered")) use_offered = 0
load varsfile

# Columns of wasted_money.dat (checked against the program by the tests).
c_value = 1
c_offered_per_week = 2
c_wasted_month = 3
c_wasted_lo_month = 4
c_wasted_hi_month = 5
c_revenue_month = 6
c_revenue_lo_month = 7
c_revenue_hi_month = 8
c_spend_month = 9

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
m(c) = column(c) / money_scale
unit = money_unit eq '' ? 'a month' : money_unit.' a month'

# Colours: rgb_* from the .vars file (plots/plot_style.c, the one table).

set datafile missing 'NaN'
set title title font ',30'
set xlabel (use_offered ? xlabel_offered : xlabel)
set autoscale xfix
set border (two_axes ? 11 : 3) lw 1.5
set tics out
set xtics nomirror
set grid ytics lc rgb '#dddddd' lw 1
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set tmargin 5
set label 1 footnote at screen 0.012, screen 0.02 left font ',15' tc rgb '#555555'
set format y '%.0f'
set yrange [0:*]
if (two_axes) {
    set ylabel sprintf('wasted spend (%s)', unit) tc rgb rgb_wasted
    set y2label sprintf('revenue (%s)', unit) tc rgb rgb_revenue
    set ytics nomirror tc rgb rgb_wasted
    set y2tics tc rgb rgb_revenue
    set format y2 '%.0f'
    set y2range [0:*]
    set rmargin 12
    rev_axes = 'x1y2'
} else {
    set ylabel sprintf('money (%s)', unit)
    set ytics nomirror
    set rmargin 4
    rev_axes = 'x1y1'
}

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

plot datafile using xc:(m(c_wasted_lo_month)):(m(c_wasted_hi_month)) with filledcurves fc rgb rgb_wasted fs transparent solid 0.2 noborder notitle, \
     '' using xc:(m(c_wasted_month)) with linespoints lw 4 pt 7 ps 1.2*pts lc rgb rgb_wasted title sprintf('wasted spend (%s%s)', unit, two_axes ? ', left axis' : ''), \
     '' using xc:(m(c_revenue_lo_month)):(m(c_revenue_hi_month)) axes @rev_axes with filledcurves fc rgb rgb_revenue fs transparent solid 0.2 noborder notitle, \
     '' using xc:(m(c_revenue_month)) axes @rev_axes with linespoints lw 4 pt 5 ps 1.2*pts lc rgb rgb_revenue title sprintf('revenue (%s%s)', unit, two_axes ? ', right axis' : ''), \
     NaN with lines lw 3 dt 4 lc rgb rgb_cap title (ok(cap_x) ? 'team capacity (load 1)' : ''), \
     NaN with lines lw 3 dt 3 lc rgb rgb_today title (ok(today_x) ? "today's value" : '')
