/*
 * funnel_nominal.h - what a scenario offers and what its team can work, in
 * closed form.
 *
 * The simulation (funnel.h) measures what happens; these figures say what
 * the scenario's averages imply before anyone waits: the inflow the
 * channels create, the share of it that pre-qualification hands to sales,
 * and the team's nominal capacity (docs/model.md, "The nominal capacity").
 * Their ratio, the load, tells an overloaded scenario from a healthy one
 * before it runs, and the program prints it beside every result.
 *
 * Pure functions of the scenario: no random numbers, no allocation,
 * O(channels + groups) each.  They restate the rules funnel.c simulates,
 * so a rule changed there (how account work shares a manager's time, how
 * nurture returns) must be changed here too; tests/test_funnel.c relies on
 * them to put a scenario at a chosen load.
 *
 * They live apart from funnel.c because they share nothing with a running
 * replication; funnel.h includes this header for its callers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_FUNNEL_NOMINAL_H
#define MODELS_FUNNEL_NOMINAL_H

#include "models/scenario.h"

/* Offered inflow: the leads expected to be created in the measured window
 * [warm-up, horizon), over all channels, per week of the window.  With
 * campaigns it is their average over the window, not the rate of any one
 * week: a window of 22 weeks with a 4-week campaign doubling 500 leads a
 * week says 590.9; the load printed beside it is that average's, and the
 * weeks of the campaign run above it (the weekly series shows them).
 * A weekly profile changes no total, so not this figure. */
double funnel_inflow_per_week(const struct scenario *scn);

/* Hours at which batch k (0, 1, ...) of batch channel c arrives: at the
 * calendar's start_hour on day first_day + k every_days (every_days > 0;
 * the one-off batches of `on` are models/arrivals.h's).  The simulation
 * delivers the batches before the horizon. */
double funnel_batch_time(const struct scenario *scn, unsigned c, double k);

/* Nominal capacity of the team, in leads worked per week: every manager's
 * new-lead hours in a week divided by the expected manager time per lead
 * (attempts, conversations, and the account work they bring along). */
double funnel_capacity_per_week(const struct scenario *scn);

/* Leads that sales must work per week: the inflow less what
 * pre-qualification filters and diverts. */
double funnel_handed_per_week(const struct scenario *scn);

/* The team's hours for new leads when every manager works `hours_each`:
 * the sum over groups of count x new_lead_share x hours_each.  With
 * hours_each = 1, the team counted in full-time new-lead managers.  The
 * capacity and the simulation's utilization both divide by it; the head
 * count alone is scn_managers(). */
double funnel_new_lead_hours(const struct scenario *scn, double hours_each);

/* Hours in an average month: a year of 365.25 days over 12. */
#define FUNNEL_HOURS_PER_MONTH (365.25 * 24.0 / 12.0)

/* What the team costs over `hours` of calendar time: the sum over groups
 * of count x cost_per_month, prorated by months of FUNNEL_HOURS_PER_MONTH.
 * Salaries run whether or not the office is open, so calendar hours. */
double funnel_team_cost(const struct scenario *scn, double hours);

/* The most leads that arrive at one instant: batches of every batch
 * channel that land at the same time within the horizon (on one day, or on
 * days whose batches the calendar moves to the same opening), summed.  0
 * without batch channels; *day gets the day (from the first Monday, with
 * its fraction) of the first such burst.  O(horizon days x channels).  A
 * burst larger than --max-leads stops a replication, whatever the team
 * does. */
double funnel_largest_burst(const struct scenario *scn, double *day);

#endif
