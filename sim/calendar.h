/*
 * calendar.h - working time.
 *
 * Time is in hours from 00:00 of day 0.  Day 0 is a Monday unless
 * `day0_weekday` says otherwise (0 = Monday ... 6 = Sunday: the weekday of
 * a scenario's start_date, sim/date.h), and day k is that weekday plus k,
 * modulo 7.  A `24x7` calendar is always open.  A `business` calendar is
 * open for `hours_per_day` hours from `start_hour` on the first
 * `days_per_week` weekdays (Monday first: 5 is Monday to Friday), except on
 * its holidays; a working period never crosses midnight, which the
 * scenario loader enforces (start_hour + hours_per_day <= 24).
 *
 * Holidays are day numbers (day 0 = the first day) whose working period
 * does not happen.  sim_cal_prepare() sorts them, removes repeats and drops
 * those that fall on a day not worked anyway (they change nothing), so
 * the array holds exactly the working days taken away, ascending; it must
 * be called after the fields are set and before any other function.  A
 * zeroed `day0_weekday` and `n_holidays` give the calendar of old: day 0 a
 * Monday, no holidays, bit for bit the same answers.
 *
 * Every function is O(log H) for H holidays (a binary search; no loop over
 * days or holidays) and pure: the calendar holds only its parameters, in
 * fixed arrays (no owned pointer), so it is copied with `=` and shared
 * read-only between threads.
 *
 * Intervals are half-open: a period [open, close) is open at `open` and
 * closed at `close`.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_CAL_MAX_HOLIDAYS 366    /* a year of them */

struct sim_cal {
    bool business;          /* false: 24x7 */
    double hours_per_day;   /* business only, in (0, 24] */
    int days_per_week;      /* business only, 1..7 */
    double start_hour;      /* business only, [0, 24); also batch hour */
    int day0_weekday;       /* weekday of day 0: 0 = Monday ... 6 = Sunday */
    unsigned n_holidays;    /* business only */
    unsigned holidays[SIM_CAL_MAX_HOLIDAYS]; /* day numbers; see above */
};

/* Sorts the holidays, removes repeats and those on days not worked; call
 * once the fields are set. */
void sim_cal_prepare(struct sim_cal *cal);

/* Whether day `day` (day 0 the first) is a working day: a business day of
 * the week and not a holiday; always true for 24x7. */
bool sim_cal_works_on(const struct sim_cal *cal, int64_t day);

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

/* Working hours in a week without holidays: 168 for 24x7. */
double sim_cal_hours_per_week(const struct sim_cal *cal);

/* The time of `start_hour` on day `day` (day 0 is the first day): when
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
