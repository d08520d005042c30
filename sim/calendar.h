/*
 * calendar.h - working time.
 *
 * Time is in hours from Monday 00:00 of the first week.  A `24x7` calendar
 * is always open.  A `business` calendar is open for `hours_per_day` hours
 * from `start_hour` on the first `days_per_week` days of each 168-hour week
 * (Monday first); a working period never crosses midnight, which the
 * scenario loader enforces (start_hour + hours_per_day <= 24).
 *
 * Every function is O(1) (no loop over days) and pure: the calendar holds
 * only its parameters, so it is shared read-only between threads.
 *
 * Intervals are half-open: a period [open, close) is open at `open` and
 * closed at `close`.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>

struct sim_cal {
    bool business;          /* false: 24x7 */
    double hours_per_day;   /* business only, in (0, 24] */
    int days_per_week;      /* business only, 1..7 */
    double start_hour;      /* business only, [0, 24); also batch hour */
};

/* A 24x7 calendar whose batches arrive at 09:00. */
struct sim_cal sim_cal_always(void);

bool sim_cal_is_open(const struct sim_cal *cal, double t);

/* t itself when open, otherwise the start of the next working period. */
double sim_cal_next_open(const struct sim_cal *cal, double t);

/* Where the working period containing t ends; t must be open.  INFINITY
 * for 24x7. */
double sim_cal_period_end(const struct sim_cal *cal, double t);

/* The time at which `hours` (>= 0) of working time have elapsed since t,
 * counting only open time.  From a closed t the count starts at the next
 * opening; adding 0 to a closed t therefore gives sim_cal_next_open(t). */
double sim_cal_add_working(const struct sim_cal *cal, double t, double hours);

/* Working hours in [t0, t1] (0 when t1 <= t0). */
double sim_cal_working_hours(const struct sim_cal *cal, double t0, double t1);

/* Working hours in a week: 168 for 24x7. */
double sim_cal_hours_per_week(const struct sim_cal *cal);

/* The time of `start_hour` on day `day` (day 0 is the first Monday): when
 * a batch delivered on that day arrives, in both calendars. */
double sim_cal_day_at_start(const struct sim_cal *cal, double day);

#endif
