/*
 * plot_time.h - the charts over time: their x axis, the plan's marks, and
 * the campaign effect's rows.
 *
 * Concept: run_over_time and campaign_effect draw one run week by week,
 * x in weeks since day 0.  Both mark the plan the scenario holds, as
 * result.json's timeline lists it (struct plot_run's marks, plot_load.h):
 * campaign windows as bands labelled with the campaign's name, trade
 * shows (a batch channel's `on` days) as arrows labelled with their
 * leads, hires as marks "+2 hires sdrs" at their start, leaves as marks
 * "-1 leaves sdrs", holidays as dotted lines.  The marks go to NAME.vars
 * as gnuplot word lists (positions in weeks, labels as quoted words), so
 * the scripts draw them with word() and words(); every label comes from
 * the scenario's names through result.json, never from a key's path.
 * When the scenario has a start_date the axis is labelled by month
 * (tics at each month's first day) instead of by week number.
 *
 * campaign_effect's rows (plot_time_campaign_effect()) set each complete
 * week of the run beside the same week of the same run without its
 * campaigns and trade shows (result.json's weekly_without_campaigns, the
 * same seed: common random numbers, cli/cmd_run.c).
 *
 * Ownership: nothing is kept; the callers own the files.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_TIME_H
#define PLOTS_PLOT_TIME_H

#include <stdint.h>
#include <stdio.h>

#include "models/series.h"
#include "plots/plot_load.h"
#include "sim/err.h"

/* The x axis (in weeks): `xlabel`, and `xtic_weeks` / `xtic_labels`
 * (month starts, "Mar 2027" for January and the first, "Apr" after) when
 * the run is dated, else empty lists. */
void plot_time_axis(FILE *vars, const struct plot_run *r);

/* The month tics of a dated axis from from_day to to_day (days since
 * origin_date, sim/date.h's day number of day 0), as the word lists
 * `xtic_weeks` (positions in weeks since day 0) and `xtic_labels`: a tic
 * at each month's first day (every third month past two years), "Mar 2027"
 * for January and the first labelled, "Apr" after.  Shared by the run's
 * charts (plot_time_axis()) and the fit's back-test (plot_fit.c). */
void plot_time_month_tics(FILE *vars, int32_t origin_date, double from_day, double to_day);

/* The plan's marks, in weeks: holiday_weeks, campaign_from, campaign_to,
 * campaign_labels, show_weeks, show_labels, hire_weeks, hire_labels,
 * leave_weeks, leave_labels (empty lists when none). */
void plot_time_marks(FILE *vars, const struct plot_run *r);

/* campaign_effect's data rows (one per week of weekly_without_campaigns,
 * columns as plot_chart.h lists them; rates in percent; NaN for weeks not
 * complete) and its variables (ymax of each panel, the x range). */
void plot_time_campaign_effect(const struct plot_run *r, FILE *dat, FILE *vars);

/* d->on from a run's results: the measure `name` (plot --target-on; its
 * window's days in t), else the one run was given, else the average.
 * SIM_OK (d->on.set false when d has no run, or a run from before
 * junk_on); SIM_ERR_INPUT naming the option and file when the run records
 * no junk rate on `name` (a window run was not given). */
int plot_time_target_on(struct plot_data *d, const char *name, const struct series_target *t,
                        struct sim_err *err);

/* The target measure's words for a chart over time: `on_label` ("" for
 * the average: the target line says it), and a window's ends in weeks
 * `on_from` and `on_to` (NaN unless a window). */
void plot_time_target_vars(FILE *vars, const struct plot_data *d);

/* The measure as words in buf: "the worst week (each replication's worst
 * complete week)", "the weeks overlapping days 70-97", "the average". */
const char *plot_time_target_words(const struct plot_target_on *on, char *buf, size_t n);

#endif
