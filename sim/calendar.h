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

/* A cursor remembers the stretch [from, until) around the last time asked
 * about, open or closed, so that a simulation whose clock moves forward
 * answers most calendar questions with two compares instead of day
 * arithmetic.  Each thread keeps its own; initialise with
 * sim_cal_cursor_init().  Answers are those of the functions above, up to
 * the rounding of a subtraction. */
struct sim_cal_cursor {
    const struct sim_cal *cal;
    double from, until;     /* the stretch containing the last time asked */
    bool open;              /* whether that stretch is working time */
};

void sim_cal_cursor_init(struct sim_cal_cursor *c, const struct sim_cal *cal);

/* Moves the cursor to the stretch containing t; O(1). */
void sim_cal_cursor_seek(struct sim_cal_cursor *c, double t);

static inline bool sim_cal_cursor_is_open(struct sim_cal_cursor *c, double t)
{
    if (!(c->from <= t && t < c->until))
        sim_cal_cursor_seek(c, t);
    return c->open;
}

/* sim_cal_working_hours(t0, t1), fast when [t0, t1] lies in one stretch. */
static inline double sim_cal_cursor_working_hours(struct sim_cal_cursor *c,
                                                  double t0, double t1)
{
    if (t1 <= t0)
        return 0.0;
    if (c->from <= t0 && t1 <= c->until)
        return c->open ? t1 - t0 : 0.0;
    return sim_cal_working_hours(c->cal, t0, t1);
}

/* sim_cal_add_working(t, hours), fast when it ends in t's open stretch. */
static inline double sim_cal_cursor_add_working(struct sim_cal_cursor *c,
                                                double t, double hours)
{
    /* The margin keeps clear of add_working's snapping to a close. */
    if (c->open && c->from <= t && t + hours < c->until - 1e-6)
        return t + hours;
    return sim_cal_add_working(c->cal, t, hours);
}

#endif
