# run_over_time.gp - one run over time, from run --out (funnelsim).
#
# Week by week through the run: the leads created each week (steps: a
# webinar's batch shows as a taller step every other week), the team's
# nominal capacity a week, the backlog of leads waiting each morning, and
# on the right-hand axis the junk rate of the leads handed each week (the
# week's cohort, weekly.csv) with its 95% band, and the share of the week's
# resolved leads that were junk, against the target.  Values are means over
# the replications; the warm-up, which the results do not count, is shaded.
#
# Files, written by `funnelsim plot DIR` next to this script:
#   run_over_time.dat   the data (its '# columns:' line names the columns)
#   run_over_time.vars  title, footnote, warm-up and capacity
#
# Rerun by hand, in DIR (restyle here, relabel in the .vars file):
#   gnuplot run_over_time.gp
#   gnuplot -e "fmt='svg'" run_over_time.gp
# funnelsim runs exactly:
#   gnuplot -e "datafile='DIR/run_over_time.dat'; varsfile='DIR/run_over_time.vars'; outfile='DIR/.run_over_time.png.part'; fmt='png'" DIR/run_over_time.gp
# and renames the chart to DIR/run_over_time.png when gnuplot succeeds
# (the same with svg).
#
# SPDX-License-Identifier: MIT

if (!exists("datafile")) datafile = 'run_over_time.dat'
if (!exists("varsfile")) varsfile = 'run_over_time.vars'
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'run_over_time.'.fmt
load varsfile

# Columns of run_over_time.dat (checked against the program by the tests).
c_day = 1
c_weeks = 2
c_backlog = 3
c_inflow_week = 4
c_junk_week_pct = 5
c_cohort_junk_pct = 6
c_cohort_junk_lo_pct = 7
c_cohort_junk_hi_pct = 8

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

# Colours: rgb_* from the .vars file (plots/plot_style.c, the one table).
# The cohort band's colour (not in the style table yet).
if (!exists("rgb_band")) rgb_band = '#f5b7b1'

set datafile missing 'NaN'
set title title font ',30'
set ylabel 'leads (inflow a week; backlog)'
set y2label "junk rate of the week's leads" tc rgb rgb_junk
set format y '%.0f'
set format y2 '%g%%'
set xrange [0:horizon_weeks]
set yrange [0:ymax_left]
set y2range [0:*]
set xtics 2 nomirror out
set ytics nomirror out
set y2tics out tc rgb rgb_junk
set border 11 lw 1.5
set grid ytics lc rgb '#dddddd' lw 1
set key below center horizontal reverse Left height 1.6 spacing 1.1 samplen 3 width 1 font ',20'
set rmargin 12
set label 1 footnote at screen 0.012, screen 0.02 left font ',13' tc rgb '#555555'

set object 1 rect from 0, graph 0 to warmup_weeks, graph 1 behind fc rgb '#eeeeee' fs solid 1.0 noborder
set label 2 'warm-up (not measured)' at first 0, graph 0.96 left offset character 0.5, 0 tc rgb '#777777' font ',14'
# The plan's marks, from result.json's timeline (run_over_time.vars: word
# lists in weeks, labels as quoted words; the same block is in
# campaign_effect.gp): campaign windows as bands labelled with their names,
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
set arrow 1 from graph 0, second target_pct to graph 1, second target_pct nohead lw 3 dt 2 lc rgb rgb_target front

plot datafile using c_weeks:c_cohort_junk_lo_pct:c_cohort_junk_hi_pct axes x1y2 with filledcurves fc rgb rgb_band fs transparent solid 0.5 noborder title '95% CI of the handed week (right axis)', \
     datafile using c_weeks:c_inflow_week with steps lw 4 lc rgb rgb_inflow title 'leads created that week', \
     capacity_week with lines lw 3 dt 4 lc rgb rgb_cap title 'team capacity a week (nominal)', \
     datafile using c_weeks:c_backlog with lines lw 4 lc rgb rgb_backlog title 'backlog each morning', \
     datafile using c_weeks:c_cohort_junk_pct axes x1y2 with steps lw 4 lc rgb rgb_junk title 'junk rate of the leads handed that week (right axis)', \
     datafile using c_weeks:c_junk_week_pct axes x1y2 with steps lw 2 dt 3 lc rgb rgb_junk title 'junk share of the week resolved (right axis)', \
     NaN axes x1y2 with lines lw 3 dt 2 lc rgb rgb_target title sprintf('%g%% target (right axis)', target_pct), \
     NaN with boxes fs solid 0.8 fc rgb rgb_campaign title (words(campaign_from) > 0 ? 'campaign window' : '')
