# campaign_effect.gp - the campaigns' effect, week by week, from run --out
# (funnelsim).
#
# Two panels over the same weeks.  Above: the junk rate of the leads handed
# each week (the week's cohort) with its 95% band, in the run as planned
# and in the same run, same seed, without its campaigns and trade shows
# (result.json's weekly_without_campaigns: common random numbers, so the
# gap between the lines is the campaigns' doing, not chance), against the
# junk target.  Below: the revenue of each week's leads, both ways.  The
# campaign windows are shaded, trade shows, hires and leaves marked.  Weeks
# not complete (warm-up, or too many leads still open at the horizon) are
# left out.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   campaign_effect.dat   the data (its '# columns:' line names the columns)
#   campaign_effect.vars  title, footnote, marks, axis and panel ranges
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot campaign_effect.gp
#   gnuplot -e "fmt='svg'" campaign_effect.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/campaign_effect.dat'; varsfile='DIR/campaign_effect.vars'; outfile='DIR/.campaign_effect.png.part'; fmt='png'" DIR/campaign_effect.gp
# and renames the chart to DIR/campaign_effect.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'campaign_effect.dat'
if (!exists("varsfile")) varsfile = 'campaign_effect.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'campaign_effect.'.fmt
load varsfile

# Columns of campaign_effect.dat (checked against the program by the tests).
c_week = 1
c_weeks = 2
c_junk_pct = 3
c_junk_lo_pct = 4
c_junk_hi_pct = 5
c_base_junk_pct = 6
c_base_junk_lo_pct = 7
c_base_junk_hi_pct = 8
c_revenue = 9
c_revenue_lo = 10
c_revenue_hi = 11
c_base_revenue = 12
c_base_revenue_lo = 13
c_base_revenue_hi = 14
c_complete = 15

if (fmt eq 'svg') {
    set terminal svg size 1600,1000 font 'Sans,22' fontscale 1.2 noenhanced background rgb 'white'
} else {
    set terminal pngcairo size 1600,1000 font 'Sans,22' noenhanced background rgb 'white'
}
set output outfile

if (!exists("rgb_band")) rgb_band = '#f5b7b1'
if (!exists("rgb_base")) rgb_base = '#5d6d7e'
if (!exists("rgb_base_band")) rgb_base_band = '#d5dbdb'

set datafile missing 'NaN'
set border 3 lw 1.5
set xtics nomirror out
set ytics nomirror out
set grid ytics lc rgb '#dddddd' lw 1
set xrange [0:horizon_weeks]
set object 1 rect from 0, graph 0 to warmup_weeks, graph 1 behind fc rgb '#eeeeee' fs solid 1.0 noborder
set lmargin 14
set rmargin 6

# The plan's marks, from result.json's timeline (campaign_effect.vars: word
# lists in weeks, labels as quoted words; the same block is in
# run_over_time.gp): campaign windows as bands labelled with their names,
# trade shows as arrows, hires and leaves as marks, holidays dotted.
if (!exists("holiday_weeks")) holiday_weeks = ''
if (!exists("campaign_from")) campaign_from = ''; campaign_to = ''; campaign_labels = ''
if (!exists("show_weeks")) show_weeks = ''; show_labels = ''
if (!exists("hire_weeks")) hire_weeks = ''; hire_labels = ''
if (!exists("leave_weeks")) leave_weeks = ''; leave_labels = ''
if (!exists("xtic_weeks")) xtic_weeks = ''; xtic_labels = ''
if (!exists("xlabel")) xlabel = 'weeks since the start of the run'
if (!exists("rgb_campaign")) rgb_campaign = '#d6eaf8'
if (!exists("rgb_show")) rgb_show = '#d35400'
if (!exists("rgb_hire")) rgb_hire = '#1e8449'
if (!exists("rgb_leave")) rgb_leave = '#922b21'
do for [i = 1:words(holiday_weeks)] {
    set arrow (100 + i) from real(word(holiday_weeks, i)), graph 0 to real(word(holiday_weeks, i)), graph 1 nohead lw 2 dt 3 lc rgb '#8e44ad' back
}
if (words(holiday_weeks) > 0) set label 3 'dotted purple: holidays' at graph 0.99, graph 0.96 right tc rgb '#8e44ad' font ',16'
do for [i = 1:words(campaign_from)] {
    set object (200 + i) rect from real(word(campaign_from, i)), graph 0 to real(word(campaign_to, i)), graph 1 behind fc rgb rgb_campaign fs solid 0.8 noborder
    set label (200 + i) word(campaign_labels, i) at (real(word(campaign_from, i)) + real(word(campaign_to, i))) / 2, graph 0.90 center tc rgb '#1f4e79' font ',16'
}
do for [i = 1:words(show_weeks)] {
    set arrow (300 + i) from real(word(show_weeks, i)), graph 0.86 to real(word(show_weeks, i)), graph 0.70 head filled size screen 0.012,25 lw 4 lc rgb rgb_show front
    set label (300 + i) word(show_labels, i) at real(word(show_weeks, i)), graph 0.89 center tc rgb rgb_show font ',16' front
}
do for [i = 1:words(hire_weeks)] {
    set arrow (400 + i) from real(word(hire_weeks, i)), graph 0 to real(word(hire_weeks, i)), graph 0.80 nohead lw 3 lc rgb rgb_hire back
    set label (400 + i) word(hire_labels, i) at real(word(hire_weeks, i)), graph 0.82 left offset 0.5, 0 tc rgb rgb_hire font ',16' front
}
do for [i = 1:words(leave_weeks)] {
    set arrow (500 + i) from real(word(leave_weeks, i)), graph 0 to real(word(leave_weeks, i)), graph 0.74 nohead lw 3 dt 2 lc rgb rgb_leave back
    set label (500 + i) word(leave_labels, i) at real(word(leave_weeks, i)), graph 0.76 left offset 0.5, 0 tc rgb rgb_leave font ',16' front
}
# Dates on the x axis when the run has a start_date: a tic at each month's
# first day.
if (words(xtic_weeks) > 0) {
    set xtics ()
    do for [i = 1:words(xtic_weeks)] {
        set xtics add (word(xtic_labels, i) real(word(xtic_weeks, i)))
    }
}
set xlabel xlabel
# The measure the junk target is tested on (plot --target-on, else run's):
# its words under the title, and a window hatched.
if (!exists("on_label")) on_label = ''; on_from = NaN; on_to = NaN
if (strlen(on_label) > 0) set label 7 on_label at graph 0.01, graph 1.025 left tc rgb rgb_target font ',16' front
if (on_from == on_from) set object 8 rect from on_from, graph 0 to on_to, graph 1 back fc rgb rgb_target fs transparent pattern 4 noborder

set multiplot title title font ',30'

# Above: the junk rate, with and without; the x tics without labels.
set size 1, 0.60
set origin 0, 0.34
set tmargin 5
set bmargin 1
set format x ''
set xlabel ''
if (words(xtic_weeks) > 0) {
    set xtics ()
    do for [i = 1:words(xtic_weeks)] {
        set xtics add ('' real(word(xtic_weeks, i)))
    }
}
set ylabel 'junk rate' offset 0, 0
set format y '%g%%'
set yrange [0:ymax_junk]
set key at screen 0.5, screen 0.91 center top horizontal maxrows 1 font ',17' samplen 3 width 1
set arrow 1 from graph 0, first target_pct to graph 1, first target_pct nohead lw 3 dt 2 lc rgb rgb_target front
plot datafile using c_weeks:c_base_junk_lo_pct:c_base_junk_hi_pct with filledcurves fc rgb rgb_base_band fs transparent solid 0.6 noborder notitle, \
     datafile using c_weeks:c_junk_lo_pct:c_junk_hi_pct with filledcurves fc rgb rgb_band fs transparent solid 0.5 noborder title '95% CI', \
     datafile using c_weeks:c_base_junk_pct with linespoints lw 3 pt 7 ps 0.8 dt 2 lc rgb rgb_base title 'without the campaigns (same run, same seed)', \
     datafile using c_weeks:c_junk_pct with linespoints lw 4 pt 7 ps 1 lc rgb rgb_junk title 'as planned', \
     NaN with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% junk target', target_pct)

# Below: the revenue of each week's leads, with and without.
unset arrow 1
do for [i = 1:words(show_weeks)] { unset label (300 + i); unset arrow (300 + i) }
do for [i = 1:words(campaign_from)] { unset label (200 + i) }
do for [i = 1:words(hire_weeks)] { unset label (400 + i) }
do for [i = 1:words(leave_weeks)] { unset label (500 + i) }
unset label 3
unset label 7
set size 1, 0.34
set origin 0, 0.04
set tmargin 1
set bmargin 4
set format x '%g'
if (words(xtic_weeks) > 0) {
    set xtics ()
    do for [i = 1:words(xtic_weeks)] {
        set xtics add (word(xtic_labels, i) real(word(xtic_weeks, i)))
    }
}
set xlabel xlabel
set ylabel revenue_label offset 0, 0
set format y '%.0f'
set yrange [0:ymax_revenue]
set ytics 0, revenue_step
set key default
set key inside top right font ',17' box opaque
set label 2 footnote at screen 0.012, screen 0.015 left font ',13' tc rgb '#555555'
plot datafile using c_weeks:c_base_revenue with linespoints lw 3 pt 7 ps 0.8 dt 2 lc rgb rgb_base notitle, \
     datafile using c_weeks:c_revenue_lo:c_revenue_hi with filledcurves fc rgb rgb_band fs transparent solid 0.5 noborder notitle, \
     datafile using c_weeks:c_revenue with linespoints lw 4 pt 7 ps 1 lc rgb rgb_revenue title 'revenue as planned', \
     datafile using c_weeks:c_base_revenue with lines lw 3 dt 2 lc rgb rgb_base title 'without'

unset multiplot
