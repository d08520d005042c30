/* SPDX-License-Identifier: MIT */
#include "calendar.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every function is arithmetic on day and week numbers; nothing loops over
 * days, so each call is O(1) and allocation-free whatever the time.
 *
 * Floating point.  All boundaries are computed by two expressions only:
 * a day starts at 24 * k for an integral k (exact), a working period opens
 * at open_at(24 * k) and closes at close_at(24 * k).  is_open() compares t
 * against those same values rather than against start_hour after
 * subtracting, so a time returned by next_open() is always open and a time
 * returned as a close is closed (unless the next period opens at that very
 * instant), even for a start hour such as 9.1 that binary floating point
 * cannot represent.
 *
 * Convention for add_working().  It returns the earliest time at which the
 * requested working time has elapsed: work that ends exactly at a close ends
 * at the close, not at the next opening (Friday 15:00 + 2 h is Friday 17:00,
 * not Monday 09:00).  Adding 0 hours to a closed time gives the next
 * opening, as calendar.h says; adding 0 to an open time gives that time.
 * "Exactly" allows for rounding: `hours` - `left` and the like cancel
 * to a few ulps off, and without a tolerance work that should end at
 * Saturday's close would end at Monday's opening plus 1e-14 hours.  Work
 * that ends within snap_tolerance() of a close therefore ends at the close;
 * the working time is off by at most that tolerance (about 1e-10 h, a
 * third of a microsecond, for times within a year).
 *
 * A business calendar with hours_per_day == 24 (start_hour 0) has periods
 * that touch at midnight; period_end() treats the touching days as one
 * stretch and returns the next time the calendar actually closes.
 */

#define DAY 24.0
#define WEEK 168.0

/* Where t falls: its week, its weekday and the start of its day (day 0 is
 * the first Monday), with base <= t < base + 24. */
struct when {
    double week;            /* integral */
    int wday;               /* 0 = Monday */
    double base;            /* 24 * day number, exact */
};

static void check(const struct sim_cal *cal)
{
    assert(cal != NULL);
    assert(!cal->business ||
           (cal->hours_per_day > 0 && cal->hours_per_day <= DAY &&
            cal->days_per_week >= 1 && cal->days_per_week <= 7 &&
            cal->start_hour >= 0 &&
            cal->start_hour + cal->hours_per_day <= DAY));
    (void)cal;
}

/* t / 24 may round across an integer (and the conversion truncates towards
 * zero, which is floor only for t >= 0); one compare against the exact day
 * starts corrects either.  Integer arithmetic: this runs for nearly every
 * event of a business-hours model, and floor() is a libm call on baseline
 * x86-64. */
static struct when locate(double t)
{
    assert(fabs(t) < 1e15);
    int64_t k = (int64_t)(t * (1.0 / DAY));
    if (DAY * (double)k > t)
        k -= 1;
    else if (DAY * (double)(k + 1) <= t)
        k += 1;
    int64_t week = k / 7, wday = k % 7;
    if (wday < 0) {
        wday += 7;
        week -= 1;
    }
    return (struct when){ .week = (double)week, .wday = (int)wday, .base = DAY * (double)k };
}

static double open_at(const struct sim_cal *cal, double base)
{
    return base + cal->start_hour;
}

static double close_at(const struct sim_cal *cal, double base)
{
    return base + (cal->start_hour + cal->hours_per_day);
}

static bool works_on(const struct sim_cal *cal, int wday)
{
    return wday < cal->days_per_week;
}

/* The start of working period number p, counting working days from the
 * first Monday (p = week * days_per_week + weekday). */
static double period_base(const struct sim_cal *cal, double p)
{
    double d = cal->days_per_week;
    double week = floor(p / d);
    double wday = p - d * week;
    if (wday < 0) {
        wday += d;
        week -= 1;
    } else if (wday >= d) {
        wday -= d;
        week += 1;
    }
    return DAY * (7 * week + wday);
}

/* A few dozen ulps of the largest magnitude in play. */
static double snap_tolerance(double t, double hours)
{
    return 64 * DBL_EPSILON * (fabs(t) + hours + WEEK);
}

bool sim_cal_is_open(const struct sim_cal *cal, double t)
{
    check(cal);
    assert(!isnan(t));
    if (!cal->business)
        return true;
    struct when w = locate(t);
    return works_on(cal, w.wday) && t >= open_at(cal, w.base) &&
           t < close_at(cal, w.base);
}

double sim_cal_next_open(const struct sim_cal *cal, double t)
{
    check(cal);
    assert(!isnan(t));
    if (!cal->business || isinf(t))
        return t;
    struct when w = locate(t);
    if (works_on(cal, w.wday)) {
        if (t < open_at(cal, w.base))
            return open_at(cal, w.base);
        if (t < close_at(cal, w.base))
            return t;
    }
    if (works_on(cal, w.wday + 1))
        return open_at(cal, w.base + DAY);
    return open_at(cal, DAY * 7 * (w.week + 1));
}

double sim_cal_period_end(const struct sim_cal *cal, double t)
{
    assert(sim_cal_is_open(cal, t));
    if (!cal->business)
        return INFINITY;
    struct when w = locate(t);
    if (cal->hours_per_day < DAY)
        return close_at(cal, w.base);
    /* Whole working days touch: the stretch ends with the working week. */
    if (cal->days_per_week == 7)
        return INFINITY;
    return DAY * (7 * w.week + cal->days_per_week);
}

double sim_cal_add_working(const struct sim_cal *cal, double t, double hours)
{
    check(cal);
    assert(hours >= 0);
    if (!cal->business)
        return t + hours;
    t = sim_cal_next_open(cal, t);
    if (hours == 0 || isinf(t) || isinf(hours))
        return t + hours;
    double tol = snap_tolerance(t, hours);
    struct when w = locate(t);
    double close = close_at(cal, w.base);
    double left = close - t;
    if (hours < left - tol)
        return t + hours;
    if (hours <= left + tol)
        return close;
    /* The rest fills n further periods, the last one by `last` in (0, h]:
     * ceil() rather than floor() + 1 so that an exact multiple of the
     * period ends at a close (the convention above). */
    double h = cal->hours_per_day;
    double rest = hours - left;
    double n = ceil(rest / h);
    double last = rest - (n - 1) * h;
    if (last <= tol) {          /* ends at the previous period's close */
        n -= 1;
        last = h;
    }
    double p = w.week * cal->days_per_week + w.wday;
    double base = period_base(cal, p + n);
    if (last >= h - tol)
        return close_at(cal, base);
    return open_at(cal, base) + last;
}

/* Working hours in [0, t] (negative for t < 0): the working periods
 * before today's, counted as p (exact, integral) times hours_per_day, plus
 * the part of today's period before t.  Every closed stretch evaluates to
 * the same expression p * h, so that no working time at all is found
 * between a close and the next opening, not even a rounding error. */
static double cumulative(const struct sim_cal *cal, double t)
{
    struct when w = locate(t);
    double h = cal->hours_per_day;
    double days = cal->days_per_week;
    if (!works_on(cal, w.wday))
        return (w.week * days + days) * h;
    double p = w.week * days + w.wday;
    if (t <= open_at(cal, w.base))
        return p * h;
    if (t >= close_at(cal, w.base))
        return (p + 1) * h;
    return p * h + (t - open_at(cal, w.base));
}

double sim_cal_working_hours(const struct sim_cal *cal, double t0, double t1)
{
    check(cal);
    assert(!isnan(t0) && !isnan(t1));
    if (t1 <= t0)
        return 0;
    if (!cal->business || isinf(t0) || isinf(t1))
        return t1 - t0;
    return cumulative(cal, t1) - cumulative(cal, t0);
}

double sim_cal_hours_per_week(const struct sim_cal *cal)
{
    check(cal);
    if (!cal->business)
        return WEEK;
    return cal->days_per_week * cal->hours_per_day;
}

double sim_cal_day_at_start(const struct sim_cal *cal, double day)
{
    check(cal);
    return DAY * day + cal->start_hour;
}

void sim_cal_cursor_init(struct sim_cal_cursor *c, const struct sim_cal *cal)
{
    check(cal);
    c->cal = cal;
    c->from = c->until = 0.0;   /* empty: the first question seeks */
    c->open = false;
}

/* The stretch is [t, end): it starts at t rather than at the last change,
 * which only makes the fast path a little narrower for earlier times. */
void sim_cal_cursor_seek(struct sim_cal_cursor *c, double t)
{
    c->from = t;
    c->open = sim_cal_is_open(c->cal, t);
    c->until = c->open ? sim_cal_period_end(c->cal, t) : sim_cal_next_open(c->cal, t);
}
