/* SPDX-License-Identifier: MIT */
#include "calendar.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Every function is arithmetic on day and week numbers plus, when there are
 * holidays, a binary search over them; nothing loops over days or
 * holidays, so each call is O(log H) and allocation-free whatever the time.
 * Without holidays and with day 0 a Monday, every expression evaluates to
 * the value it had before weekdays and holidays existed: results are bit
 * for bit the same.
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

/* Where t falls: its day, that day's week and weekday (weeks run Monday to
 * Sunday; with day0_weekday w0, day k is weekday (k + w0) mod 7 of week
 * floor((k + w0) / 7)) and the start of its day, base <= t < base + 24. */
struct when {
    int64_t day;            /* day number, day 0 the first */
    int64_t week;
    int wday;               /* 0 = Monday */
    double base;            /* 24 * day, exact */
};

static void check(const struct sim_cal *cal)
{
    assert(cal != NULL);
    assert(!cal->business ||
           (cal->hours_per_day > 0 && cal->hours_per_day <= DAY &&
            cal->days_per_week >= 1 && cal->days_per_week <= 7 &&
            cal->start_hour >= 0 &&
            cal->start_hour + cal->hours_per_day <= DAY));
    assert(cal->day0_weekday >= 0 && cal->day0_weekday < 7);
    assert(cal->n_holidays <= SIM_CAL_MAX_HOLIDAYS);
    (void)cal;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q * b > a ? q - 1 : q;
}

/* t / 24 may round across an integer (and the conversion truncates towards
 * zero, which is floor only for t >= 0); one compare against the exact day
 * starts corrects either.  Integer arithmetic: this runs for nearly every
 * event of a business-hours model, and floor() is a libm call on baseline
 * x86-64. */
static struct when locate(const struct sim_cal *cal, double t)
{
    assert(fabs(t) < 1e15);
    int64_t k = (int64_t)(t * (1.0 / DAY));
    if (DAY * (double)k > t)
        k -= 1;
    else if (DAY * (double)(k + 1) <= t)
        k += 1;
    int64_t K = k + cal->day0_weekday;
    int64_t week = floor_div(K, 7);
    return (struct when){ .day = k, .week = week, .wday = (int)(K - 7 * week),
                          .base = DAY * (double)k };
}

static double open_at(const struct sim_cal *cal, double base)
{
    return base + cal->start_hour;
}

static double close_at(const struct sim_cal *cal, double base)
{
    return base + (cal->start_hour + cal->hours_per_day);
}

/* Holidays before day k: the first index whose day is >= k. */
static unsigned holidays_before(const struct sim_cal *cal, int64_t k)
{
    unsigned lo = 0, hi = cal->n_holidays;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if ((int64_t)cal->holidays[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool is_holiday(const struct sim_cal *cal, int64_t k)
{
    unsigned i = holidays_before(cal, k);
    return i < cal->n_holidays && (int64_t)cal->holidays[i] == k;
}

static bool works_on(const struct sim_cal *cal, const struct when *w)
{
    return w->wday < cal->days_per_week &&
           (cal->n_holidays == 0 || !is_holiday(cal, w->day));
}

/*
 * Working periods are numbered: period q is the q-th working day counted
 * from the Monday of week 0 (the week of day 0), holidays skipped.  Days of
 * the week that are worked are first numbered without holidays, as
 * P = week * days_per_week + weekday; a holiday h_i (the i-th, ascending)
 * has such a number P_i, and since the P_i rise strictly, P_i - i (the
 * periods before it) never falls: both conversions are binary searches.
 */

/* Periods before day k (those of days < k). */
static int64_t periods_before(const struct sim_cal *cal, int64_t k)
{
    int64_t K = k + cal->day0_weekday;
    int64_t week = floor_div(K, 7);
    int64_t wday = K - 7 * week;
    int64_t d = cal->days_per_week;
    return week * d + (wday < d ? wday : d) - (int64_t)holidays_before(cal, k);
}

/* P_i of holiday i (which is a working day of the week, sim_cal_prepare). */
static int64_t holiday_index(const struct sim_cal *cal, unsigned i)
{
    int64_t K = (int64_t)cal->holidays[i] + cal->day0_weekday;
    int64_t week = floor_div(K, 7);
    return week * cal->days_per_week + (K - 7 * week);
}

/* The day of period q. */
static int64_t period_day(const struct sim_cal *cal, int64_t q)
{
    unsigned lo = 0, hi = cal->n_holidays;  /* holidays with P_i - i <= q */
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (holiday_index(cal, mid) - (int64_t)mid <= q)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t p = q + lo;
    int64_t d = cal->days_per_week;
    int64_t week = floor_div(p, d);
    return 7 * week + (p - d * week) - cal->day0_weekday;
}

/* The start of working period q. */
static double period_base(const struct sim_cal *cal, int64_t q)
{
    return DAY * (double)period_day(cal, q);
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
    struct when w = locate(cal, t);
    return works_on(cal, &w) && t >= open_at(cal, w.base) &&
           t < close_at(cal, w.base);
}

double sim_cal_next_open(const struct sim_cal *cal, double t)
{
    check(cal);
    assert(!isnan(t));
    if (!cal->business || isinf(t))
        return t;
    struct when w = locate(cal, t);
    if (works_on(cal, &w)) {
        if (t < open_at(cal, w.base))
            return open_at(cal, w.base);
        if (t < close_at(cal, w.base))
            return t;
    }
    return open_at(cal, period_base(cal, periods_before(cal, w.day + 1)));
}

double sim_cal_period_end(const struct sim_cal *cal, double t)
{
    assert(sim_cal_is_open(cal, t));
    if (!cal->business)
        return INFINITY;
    struct when w = locate(cal, t);
    if (cal->hours_per_day < DAY)
        return close_at(cal, w.base);
    /* Whole working days touch: the stretch ends with the working week or
     * at the next holiday, whichever comes first. */
    double end = cal->days_per_week == 7
                     ? INFINITY
                     : DAY * (double)(7 * w.week + cal->days_per_week - cal->day0_weekday);
    unsigned i = holidays_before(cal, w.day + 1);
    if (i < cal->n_holidays)
        end = fmin(end, DAY * (double)cal->holidays[i]);
    return end;
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
    struct when w = locate(cal, t);
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
    double base = period_base(cal, periods_before(cal, w.day) + (int64_t)n);
    if (last >= h - tol)
        return close_at(cal, base);
    return open_at(cal, base) + last;
}

/* Working hours from the Monday of week 0 to t (negative before it): the
 * working periods before today's, counted as p (exact, integral) times
 * hours_per_day, plus the part of today's period before t.  Every closed
 * stretch evaluates to the same expression p * h, so that no working time
 * at all is found between a close and the next opening, not even a
 * rounding error. */
static double cumulative(const struct sim_cal *cal, double t)
{
    struct when w = locate(cal, t);
    double h = cal->hours_per_day;
    if (!works_on(cal, &w))
        return (double)periods_before(cal, w.day + 1) * h;
    double p = (double)periods_before(cal, w.day);
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

static int cmp_day(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

void sim_cal_prepare(struct sim_cal *cal)
{
    check(cal);
    if (!cal->business) {
        cal->n_holidays = 0;
        return;
    }
    qsort(cal->holidays, cal->n_holidays, sizeof cal->holidays[0], cmp_day);
    unsigned n = 0;
    for (unsigned i = 0; i < cal->n_holidays; i++) {
        int64_t K = (int64_t)cal->holidays[i] + cal->day0_weekday;
        bool worked = K - 7 * floor_div(K, 7) < cal->days_per_week;
        if (worked && (n == 0 || cal->holidays[n - 1] != cal->holidays[i]))
            cal->holidays[n++] = cal->holidays[i];
    }
    cal->n_holidays = n;
}

bool sim_cal_works_on(const struct sim_cal *cal, int64_t day)
{
    check(cal);
    if (!cal->business)
        return true;
    return sim_cal_is_open(cal, DAY * (double)day + cal->start_hour);
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
