/*
 * test_calendar.c - working-time arithmetic.
 *
 * Properties over many random times (fixed seed) on several calendars,
 * including awkward ones (a start hour binary floating point cannot
 * represent, periods ending at midnight, whole working days that touch),
 * then a concrete office week checked against times derived by hand.
 * Times are written as arithmetic on 24 and 168: 4 * 24 + 16 is Friday
 * 16:00 of the first week, 7 * 24 + 10 the next Monday 10:00.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/funnel.h"
#include "models/scn_doc.h"
#include "sim/calendar.h"
#include "sim/date.h"
#include "sim/mem.h"
#include "sim/stats.h"

#define EPS 1e-9
#define TRIALS 20000

struct named_cal {
    const char *name;
    struct sim_cal cal;
};

static struct sim_cal business(double start, double hours, int days)
{
    return (struct sim_cal){ .business = true, .hours_per_day = hours,
                             .days_per_week = days, .start_hour = start };
}

/* The same on a timeline whose day 0 is weekday w0 (0 = Monday), with
 * holidays (day numbers, in any order, repeats and weekends allowed). */
static struct sim_cal business_from(double start, double hours, int days, int w0,
                                    const uint32_t *holidays, unsigned n)
{
    struct sim_cal cal = business(start, hours, days);
    cal.day0_weekday = w0;
    for (unsigned i = 0; i < n; i++)
        cal.holidays[i] = holidays[i];
    cal.n_holidays = n;
    sim_cal_prepare(&cal);
    return cal;
}

/* A 24x7 calendar as the scenario loader makes it (calendar.mode "24x7",
 * batches at the default start_hour). */
static struct sim_cal always(void)
{
    return (struct sim_cal){ .business = false, .start_hour = 9 };
}

static const struct named_cal *calendars(size_t *n)
{
    static struct named_cal list[13];
    /* Holidays never close more than a week in a row, so that next_open()
     * stays within 168 hours; weekends and repeats among them are dropped
     * by sim_cal_prepare(). */
    static const uint32_t hol_a[] = {1, 2, 8, 2, 15, 16, 29, 30, 31, 60, 100, 150, 200, 5, 6};
    static const uint32_t hol_b[] = {0, 5, 9, 10, 30, 31, 4};
    static const uint32_t hol_c[] = {3, 4, 9, 15, 20, 26};
    size_t k = 0;
    list[k++] = (struct named_cal){ "office 9-17 x5", business(9, 8, 5) };
    list[k++] = (struct named_cal){ "odd 9.1+7.3 x6", business(9.1, 7.3, 6) };
    list[k++] = (struct named_cal){ "whole days x5", business(0, 24, 5) };
    list[k++] = (struct named_cal){ "night 20-24 x3", business(20, 4, 3) };
    list[k++] = (struct named_cal){ "daily 8-18 x7", business(8, 10, 7) };
    list[k++] = (struct named_cal){ "one day 6.25+0.5", business(6.25, 0.5, 1) };
    list[k++] = (struct named_cal){ "24x7 business", business(0, 24, 7) };
    list[k++] = (struct named_cal){ "always", always() };
    list[k++] = (struct named_cal){ "office x5 from Wednesday", business_from(9, 8, 5, 2, NULL, 0) };
    list[k++] = (struct named_cal){ "office x5 from Sunday", business_from(9, 8, 5, 6, NULL, 0) };
    list[k++] = (struct named_cal){ "odd x6 from Sunday, holidays",
                                    business_from(9.1, 7.3, 6, 6, hol_a, 15) };
    list[k++] = (struct named_cal){ "whole days x5 from Wednesday, holidays",
                                    business_from(0, 24, 5, 2, hol_b, 7) };
    list[k++] = (struct named_cal){ "24x7 business from Thursday, holidays",
                                    business_from(0, 24, 7, 3, hol_c, 6) };
    assert(k <= sizeof list / sizeof list[0]);
    *n = k;
    return list;
}

static gsl_rng *seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* A random time in the first 30 weeks; a third of them sit exactly on a
 * boundary (an opening, a close or a midnight), where errors hide. */
static double random_time(gsl_rng *r, const struct sim_cal *cal)
{
    double day = (double)gsl_rng_uniform_int(r, 30 * 7);
    switch (gsl_rng_uniform_int(r, 6)) {
    case 0:
        return 24 * day + cal->start_hour;
    case 1:
        return 24 * day + (cal->start_hour + cal->hours_per_day);
    case 2:
        return 24 * day;
    default:
        return 24 * day + 24 * gsl_rng_uniform(r);
    }
}

/* Working hours in [a, b] by the midpoint rule on is_open(): independent
 * of the arithmetic under test.  Each boundary inside costs at most one
 * step of error. */
static double brute_hours(const struct sim_cal *cal, double a, double b,
                          double step, double *err_bound)
{
    size_t m = (size_t)ceil((b - a) / step);
    if (m == 0)
        m = 1;
    double dt = (b - a) / (double)m, sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += sim_cal_is_open(cal, a + (i + 0.5) * dt) ? dt : 0;
    /* two boundaries a day, plus the ends */
    *err_bound = (2 * ((b - a) / 24 + 2)) * dt + EPS;
    return sum;
}

/* next_open(t) is t when t is open, otherwise a later open time with no
 * working time in between. */
Test(calendar, next_open_properties)
{
    size_t ncal;
    const struct named_cal *list = calendars(&ncal);
    gsl_rng *r = seeded(1);
    for (size_t c = 0; c < ncal; c++) {
        const struct sim_cal *cal = &list[c].cal;
        for (int i = 0; i < TRIALS; i++) {
            double t = random_time(r, cal);
            double n = sim_cal_next_open(cal, t);
            cr_assert_geq(n, t, "%s t=%.17g", list[c].name, t);
            cr_assert(sim_cal_is_open(cal, n), "%s: next_open(%.17g) = "
                      "%.17g is closed", list[c].name, t, n);
            cr_assert_eq(n == t, sim_cal_is_open(cal, t), "%s t=%.17g",
                         list[c].name, t);
            cr_assert_lt(n - t, 168, "%s t=%.17g", list[c].name, t);
            cr_assert_eq(sim_cal_working_hours(cal, t, n), 0.0,
                         "%s t=%.17g", list[c].name, t);
            for (int j = 1; j < 4 && n > t; j++)
                cr_assert_not(sim_cal_is_open(cal, t + (n - t) * j / 4),
                              "%s: open between %.17g and its next_open",
                              list[c].name, t);
        }
    }
    gsl_rng_free(r);
}

/* From an open t, period_end() is later, closed (or infinite), and all of
 * [t, end) is working time. */
Test(calendar, period_end_properties)
{
    size_t ncal;
    const struct named_cal *list = calendars(&ncal);
    gsl_rng *r = seeded(2);
    for (size_t c = 0; c < ncal; c++) {
        const struct sim_cal *cal = &list[c].cal;
        for (int i = 0; i < TRIALS; i++) {
            double t = sim_cal_next_open(cal, random_time(r, cal));
            double e = sim_cal_period_end(cal, t);
            cr_assert_gt(e, t, "%s t=%.17g", list[c].name, t);
            if (isinf(e)) {
                cr_assert_eq(sim_cal_hours_per_week(cal), 168.0, "%s",
                             list[c].name);
                continue;
            }
            cr_assert_not(sim_cal_is_open(cal, e), "%s: period_end(%.17g) "
                          "= %.17g is open", list[c].name, t, e);
            cr_assert(fabs(sim_cal_working_hours(cal, t, e) - (e - t)) < EPS,
                      "%s t=%.17g", list[c].name, t);
            cr_assert(sim_cal_is_open(cal, (t + e) / 2));
            cr_assert_leq(e - t, 24 * cal->days_per_week);
        }
    }
    gsl_rng_free(r);
}

/* add_working(t, h) = T: exactly h working hours in [t, T]; T is the
 * earliest such time (the hour before T was working); monotone in h;
 * adding in two steps equals adding at once. */
Test(calendar, add_working_inverts_working_hours)
{
    size_t ncal;
    const struct named_cal *list = calendars(&ncal);
    gsl_rng *r = seeded(3);
    const double delta = 1e-6;
    for (size_t c = 0; c < ncal; c++) {
        const struct sim_cal *cal = &list[c].cal;
        double period = cal->business ? cal->hours_per_day : 24;
        for (int i = 0; i < TRIALS; i++) {
            double t = random_time(r, cal), h;
            switch (i % 4) {
            case 0:         /* whole periods: ends land on closes */
                h = period * (double)gsl_rng_uniform_int(r, 40);
                break;
            case 1:         /* exactly what is left of the period */
                h = sim_cal_is_open(cal, t) ? sim_cal_period_end(cal, t) - t
                                            : 0;
                if (isinf(h))
                    h = 0;
                break;
            default:
                h = 300 * gsl_rng_uniform(r);
            }
            double T = sim_cal_add_working(cal, t, h);
            cr_assert_geq(T, sim_cal_next_open(cal, t), "%s", list[c].name);
            double got = sim_cal_working_hours(cal, t, T);
            cr_assert(fabs(got - h) < EPS, "%s: t=%.17g h=%.17g T=%.17g "
                      "gives %.17g hours", list[c].name, t, h, T, got);
            if (h > 2 * delta)
                cr_assert_lt(sim_cal_working_hours(cal, t, T - delta),
                             h - delta / 2, "%s: t=%.17g h=%.17g T=%.17g "
                             "is not the earliest", list[c].name, t, h, T);
            if (h == 0)
                cr_assert_eq(T, sim_cal_next_open(cal, t));

            double h2 = h + 50 * gsl_rng_uniform(r);
            cr_assert_leq(T, sim_cal_add_working(cal, t, h2));
            double b = h2 - h;
            if (b > delta) {
                double two_steps = sim_cal_add_working(cal, T, b);
                cr_assert(fabs(two_steps - sim_cal_add_working(cal, t, h2))
                          < EPS, "%s: t=%.17g h=%.17g b=%.17g",
                          list[c].name, t, h, b);
            }
        }
    }
    gsl_rng_free(r);
}

/* working_hours is additive over split intervals, never exceeds the
 * elapsed time, is 0 for empty intervals, and agrees with brute-force
 * integration of is_open(). */
Test(calendar, working_hours_additive_and_integrates_is_open)
{
    size_t ncal;
    const struct named_cal *list = calendars(&ncal);
    gsl_rng *r = seeded(4);
    for (size_t c = 0; c < ncal; c++) {
        const struct sim_cal *cal = &list[c].cal;
        for (int i = 0; i < TRIALS; i++) {
            double a = random_time(r, cal), b = random_time(r, cal),
                   m = random_time(r, cal);
            /* sort so that a <= m <= b */
            if (a > b) { double x = a; a = b; b = x; }
            if (m < a) { double x = a; a = m; m = x; }
            if (m > b) { double x = b; b = m; m = x; }
            double whole = sim_cal_working_hours(cal, a, b);
            double parts = sim_cal_working_hours(cal, a, m) +
                           sim_cal_working_hours(cal, m, b);
            cr_assert(fabs(whole - parts) < EPS, "%s: [%.17g, %.17g, %.17g]",
                      list[c].name, a, m, b);
            cr_assert_leq(whole, b - a + EPS);
            cr_assert_eq(sim_cal_working_hours(cal, b, a), 0.0);
        }
        for (int i = 0; i < 200; i++) {
            double a = random_time(r, cal);
            double b = a + 72 * gsl_rng_uniform(r), bound;
            double brute = brute_hours(cal, a, b, 0.01, &bound);
            double got = sim_cal_working_hours(cal, a, b);
            cr_assert(fabs(got - brute) <= bound, "%s: [%.17g, %.17g]: %.17g "
                      "vs brute force %.17g", list[c].name, a, b, got, brute);
        }
    }
    gsl_rng_free(r);
}

/* hours_per_week equals the brute-force integral over the first week and
 * the exact working time of any 168-hour window (of a calendar without
 * holidays: those take days out of some weeks). */
Test(calendar, hours_per_week_matches_integration)
{
    size_t ncal;
    const struct named_cal *list = calendars(&ncal);
    gsl_rng *r = seeded(5);
    for (size_t c = 0; c < ncal; c++) {
        const struct sim_cal *cal = &list[c].cal;
        if (cal->n_holidays > 0)
            continue;
        double hpw = sim_cal_hours_per_week(cal), bound;
        double brute = brute_hours(cal, 0, 168, 1.0 / 3600, &bound);
        cr_assert(fabs(hpw - brute) <= bound, "%s: %g vs %g", list[c].name,
                  hpw, brute);
        if (cal->business)
            cr_assert_eq(hpw, cal->days_per_week * cal->hours_per_day);
        for (int i = 0; i < 1000; i++) {
            double t = random_time(r, cal);
            cr_assert(fabs(sim_cal_working_hours(cal, t, t + 168) - hpw) < EPS,
                      "%s: week from %.17g", list[c].name, t);
        }
    }
    gsl_rng_free(r);
}

/* 24x7: every function degenerates to plain time arithmetic. */
Test(calendar, always_is_identity)
{
    struct sim_cal cal = always();
    cr_assert_eq(sim_cal_hours_per_week(&cal), 168.0);
    gsl_rng *r = seeded(6);
    for (int i = 0; i < TRIALS; i++) {
        double t = 5000 * gsl_rng_uniform(r), h = 500 * gsl_rng_uniform(r);
        cr_assert(sim_cal_is_open(&cal, t));
        cr_assert_eq(sim_cal_next_open(&cal, t), t);
        cr_assert_eq(sim_cal_add_working(&cal, t, h), t + h);
        cr_assert_eq(sim_cal_working_hours(&cal, t, t + h), (t + h) - t);
        cr_assert(isinf(sim_cal_period_end(&cal, t)));
    }
    gsl_rng_free(r);
    for (int d = 0; d < 30; d++)
        cr_assert_eq(sim_cal_day_at_start(&cal, d), 24.0 * d + 9);
}

/* Mon-Fri 09:00-17:00, derived by hand. */
Test(calendar, office_week_by_hand)
{
    struct sim_cal cal = business(9, 8, 5);
    const double MON = 0, TUE = 24, WED = 2 * 24, FRI = 4 * 24,
                 SAT = 5 * 24, SUN = 6 * 24, NEXT_MON = 7 * 24;

    cr_assert_eq(sim_cal_hours_per_week(&cal), 40.0);

    /* open and closed, half-open at both ends */
    cr_assert_not(sim_cal_is_open(&cal, MON + 8.99));
    cr_assert(sim_cal_is_open(&cal, MON + 9));
    cr_assert(sim_cal_is_open(&cal, MON + 16.99));
    cr_assert_not(sim_cal_is_open(&cal, MON + 17));
    cr_assert_not(sim_cal_is_open(&cal, SAT + 12));
    cr_assert_not(sim_cal_is_open(&cal, SUN + 10));

    /* next opening: same day, next day, over the weekend */
    cr_assert_eq(sim_cal_next_open(&cal, MON + 8), MON + 9);
    cr_assert_eq(sim_cal_next_open(&cal, MON + 17), TUE + 9);
    cr_assert_eq(sim_cal_next_open(&cal, FRI + 17), NEXT_MON + 9);
    cr_assert_eq(sim_cal_next_open(&cal, SAT + 12), NEXT_MON + 9);
    cr_assert_eq(sim_cal_next_open(&cal, SUN + 23.5), NEXT_MON + 9);

    cr_assert_eq(sim_cal_period_end(&cal, TUE + 10), TUE + 17);

    /* Friday 16:00 + 2 h: one hour on Friday, one on Monday. */
    cr_assert_eq(sim_cal_add_working(&cal, FRI + 16, 2), NEXT_MON + 10);
    /* Work that ends at a close ends there (the documented convention). */
    cr_assert_eq(sim_cal_add_working(&cal, FRI + 15, 2), FRI + 17);
    cr_assert_eq(sim_cal_add_working(&cal, MON + 9, 40), FRI + 17);
    /* Wednesday 12:00 + 20 h: 5 on Wednesday, 8 on Thursday, 7 on Friday. */
    cr_assert_eq(sim_cal_add_working(&cal, WED + 12, 20), FRI + 16);
    /* From a closed time the count starts at the next opening. */
    cr_assert_eq(sim_cal_add_working(&cal, SAT + 3, 0), NEXT_MON + 9);
    cr_assert_eq(sim_cal_add_working(&cal, SAT + 3, 1.5), NEXT_MON + 10.5);
    cr_assert_eq(sim_cal_add_working(&cal, MON + 17, 0), TUE + 9);
    /* A thousand weeks later, still by arithmetic. */
    cr_assert_eq(sim_cal_add_working(&cal, MON, 40.0 * 1000),
                 999 * 168 + FRI + 17);
    cr_assert_eq(sim_cal_add_working(&cal, MON, 40.0 * 1000 + 0.5),
                 1000 * 168 + MON + 9.5);

    cr_assert_eq(sim_cal_working_hours(&cal, FRI + 16, NEXT_MON + 10), 2.0);
    cr_assert_eq(sim_cal_working_hours(&cal, 0, 168), 40.0);
    cr_assert_eq(sim_cal_working_hours(&cal, 0, 26 * 168), 26 * 40.0);
    cr_assert_eq(sim_cal_working_hours(&cal, SAT, NEXT_MON + 9), 0.0);
    cr_assert_eq(sim_cal_working_hours(&cal, MON + 12, MON + 13), 1.0);

    /* Batches arrive at 09:00 of their day, weekends included. */
    cr_assert_eq(sim_cal_day_at_start(&cal, 0), MON + 9);
    cr_assert_eq(sim_cal_day_at_start(&cal, 2), WED + 9);
    cr_assert_eq(sim_cal_day_at_start(&cal, 2 + 14), 2 * 168 + WED + 9);
    cr_assert_eq(sim_cal_day_at_start(&cal, 5), SAT + 9);
}

/* Whole working days (00:00-24:00, Mon-Fri) touch at midnight: they form
 * one stretch, which ends on Saturday 00:00. */
Test(calendar, whole_days_by_hand)
{
    struct sim_cal cal = business(0, 24, 5);
    const double TUE = 24, SAT = 5 * 24, NEXT_MON = 7 * 24;
    cr_assert_eq(sim_cal_period_end(&cal, TUE + 3), SAT);
    cr_assert(sim_cal_is_open(&cal, SAT - 0.01));
    cr_assert_not(sim_cal_is_open(&cal, SAT));
    cr_assert_eq(sim_cal_next_open(&cal, SAT), NEXT_MON);
    cr_assert_eq(sim_cal_add_working(&cal, 0, 48), 48.0);
    cr_assert_eq(sim_cal_add_working(&cal, 0, 120), SAT);
    cr_assert_eq(sim_cal_add_working(&cal, 0, 121), NEXT_MON + 1);
    cr_assert_eq(sim_cal_working_hours(&cal, TUE, NEXT_MON + 5), 4 * 24 + 5.0);
}

/* A period ending at midnight closes at midnight. */
Test(calendar, period_ending_at_midnight)
{
    struct sim_cal cal = business(20, 4, 3);
    const double MON = 0, TUE = 24, THU = 3 * 24, NEXT_MON = 7 * 24;
    cr_assert(sim_cal_is_open(&cal, MON + 23.999));
    cr_assert_not(sim_cal_is_open(&cal, TUE));
    cr_assert_eq(sim_cal_period_end(&cal, MON + 21), TUE);
    cr_assert_eq(sim_cal_add_working(&cal, MON + 20, 4), TUE);
    cr_assert_eq(sim_cal_add_working(&cal, MON + 20, 4.5), TUE + 20.5);
    cr_assert_eq(sim_cal_next_open(&cal, TUE), TUE + 20);
    cr_assert_eq(sim_cal_next_open(&cal, THU), NEXT_MON + 20);
    cr_assert_eq(sim_cal_add_working(&cal, MON, 12), THU);
}

/* The cursor answers as the functions do, for a forward-moving clock with
 * random steps and for random jumps back. */
Test(calendar, cursor_agrees_with_the_functions)
{
    static const struct sim_cal cals[] = {
        {.business = true, .hours_per_day = 8, .days_per_week = 5, .start_hour = 9},
        {.business = true, .hours_per_day = 10.5, .days_per_week = 6, .start_hour = 7.25},
        {.business = true, .hours_per_day = 24, .days_per_week = 5, .start_hour = 0},
        {.business = false, .hours_per_day = 24, .days_per_week = 7, .start_hour = 9},
    };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_not_null(r);
    gsl_rng_set(r, 8);
    for (size_t k = 0; k < sizeof cals / sizeof cals[0]; k++) {
        const struct sim_cal *cal = &cals[k];
        struct sim_cal_cursor c;
        sim_cal_cursor_init(&c, cal);
        double t = 0.0;
        for (int i = 0; i < 20000; i++) {
            t = gsl_rng_uniform(r) < 0.05 ? 2000.0 * gsl_rng_uniform(r)
                                           : t + 3.0 * gsl_rng_uniform(r);
            cr_assert_eq(sim_cal_cursor_is_open(&c, t), sim_cal_is_open(cal, t),
                         "calendar %zu, t = %.17g", k, t);
            double d = 30.0 * gsl_rng_uniform(r);
            cr_assert_float_eq(sim_cal_cursor_working_hours(&c, t, t + d),
                               sim_cal_working_hours(cal, t, t + d), 1e-9);
            cr_assert_float_eq(sim_cal_cursor_add_working(&c, t, d / 10),
                               sim_cal_add_working(cal, t, d / 10), 1e-9);
        }
    }
    gsl_rng_free(r);
}

/* ---- real weekdays and holidays ------------------------------------------------ */

/* Whether day k works, from the definition: weekday (k + w0) mod 7 among
 * the first days_per_week, and not one of the holidays given. */
static bool works_by_definition(const struct sim_cal *cal, int64_t k, const uint32_t *hol,
                                unsigned n)
{
    if (!cal->business)
        return true;
    for (unsigned i = 0; i < n; i++)
        if ((int64_t)hol[i] == k)
            return false;
    return (k + cal->day0_weekday) % 7 < cal->days_per_week;
}

/* A timeline starting on each weekday: every day works or not as its real
 * weekday says, the working hours of any week-long window (7 whole days
 * from any day) are days_per_week x hours_per_day, and every opening found
 * by walking the calendar falls on a date (start date + day) whose weekday,
 * by sim/date.h, is a working one. */
Test(calendar, weeks_follow_the_weekday_of_day_0)
{
    /* A Monday, Wednesday and Sunday among them, found by the date module. */
    int32_t monday = sim_date_from_ymd(2026, 3, 2);
    cr_assert_eq(sim_date_weekday(monday), 0);
    for (int w0 = 0; w0 < 7; w0++) {
        int32_t start = monday + w0;
        char when[SIM_DATE_TEXT];
        sim_date_format(start, when);
        struct sim_cal cals[] = {business_from(9, 8, 5, w0, NULL, 0),
                                 business_from(9.1, 7.3, 6, w0, NULL, 0),
                                 business_from(0, 24, 5, w0, NULL, 0)};
        for (size_t c = 0; c < sizeof cals / sizeof cals[0]; c++) {
            const struct sim_cal *cal = &cals[c];
            double h = cal->hours_per_day;
            for (int64_t k = 0; k < 70; k++) {
                bool works = works_by_definition(cal, k, NULL, 0);
                cr_assert_eq(sim_cal_works_on(cal, k), works, "from %s: day %lld", when,
                             (long long)k);
                cr_assert(fabs(sim_cal_working_hours(cal, 24.0 * k, 24.0 * (k + 1)) -
                               (works ? h : 0)) < EPS, "from %s: day %lld", when,
                          (long long)k);
                cr_assert(fabs(sim_cal_working_hours(cal, 24.0 * k, 24.0 * (k + 7)) -
                               cal->days_per_week * h) < EPS, "from %s: week from day %lld",
                          when, (long long)k);
            }
            /* Walk opening to opening through ten weeks. */
            double t = 0;
            int openings = 0;
            while (t < 70 * 24.0) {
                double open = sim_cal_next_open(cal, t);
                int64_t day = (int64_t)floor(open / 24);
                cr_assert_lt(sim_date_weekday(start + (int32_t)day), cal->days_per_week,
                             "from %s (a %s): an opening on day %lld, a %s", when,
                             sim_date_weekday_name(sim_date_weekday(start)), (long long)day,
                             sim_date_weekday_name(sim_date_weekday(start + (int32_t)day)));
                openings++;
                t = sim_cal_period_end(cal, open);
                if (isinf(t))
                    break;
            }
            cr_assert_gt(openings, 5);
        }
    }
}

/* Holidays: no working hours, never open, never an opening; work that
 * runs into one resumes on the next working day.  Compared with the
 * definition day by day over a year. */
Test(calendar, holidays_have_no_working_hours)
{
    /* From a Wednesday; the list unsorted, with a repeat and a Saturday
     * (day 3), which closes nothing. */
    static const uint32_t hol[] = {40, 5, 6, 12, 3, 5, 100, 101, 102, 103, 104, 364};
    const unsigned n = sizeof hol / sizeof hol[0];
    struct sim_cal cals[] = {business_from(9, 8, 5, 2, hol, n),
                             business_from(9.1, 7.3, 6, 2, hol, n),
                             business_from(0, 24, 5, 2, hol, n),
                             business_from(0, 24, 7, 2, hol, n)};
    for (size_t c = 0; c < sizeof cals / sizeof cals[0]; c++) {
        const struct sim_cal *cal = &cals[c];
        double h = cal->hours_per_day, total = 0;
        for (unsigned i = 1; i < cal->n_holidays; i++)
            cr_assert_lt(cal->holidays[i - 1], cal->holidays[i], "sorted, no repeats");
        for (int64_t k = 0; k < 366; k++) {
            bool works = works_by_definition(cal, k, hol, n);
            total += works ? h : 0;
            cr_assert_eq(sim_cal_works_on(cal, k), works, "calendar %zu day %lld", c,
                         (long long)k);
            cr_assert(fabs(sim_cal_working_hours(cal, 24.0 * k, 24.0 * (k + 1)) -
                           (works ? h : 0)) < EPS, "calendar %zu day %lld", c, (long long)k);
            double mid = 24.0 * k + cal->start_hour + h / 2;
            cr_assert_eq(sim_cal_is_open(cal, mid), works);
            double open = sim_cal_next_open(cal, 24.0 * k);
            cr_assert(works_by_definition(cal, (int64_t)floor(open / 24), hol, n),
                      "calendar %zu: next_open from day %lld opens on day %.0f", c,
                      (long long)k, floor(open / 24));
            /* An hour more than is left of the day ends in the first hour of the
             * next working day. */
            if (works && h < 24) {
                int64_t next = k + 1;
                while (!works_by_definition(cal, next, hol, n))
                    next++;
                double end = sim_cal_add_working(cal, 24.0 * k + cal->start_hour, h + 1);
                cr_assert(fabs(end - (24.0 * next + cal->start_hour + 1)) < EPS,
                          "calendar %zu day %lld: %.17g", c, (long long)k, end);
            }
        }
        cr_assert(fabs(sim_cal_working_hours(cal, 0, 366 * 24.0) - total) < 1e-6);
    }
    /* Kept: the distinct holidays on worked weekdays (days 3, 101 and 102
     * are a Saturday and a Sunday, 5 is there twice). */
    for (size_t c = 0; c < sizeof cals / sizeof cals[0]; c++) {
        unsigned kept = 0;
        for (unsigned i = 0; i < n; i++) {
            bool first = true;
            for (unsigned j = 0; j < i; j++)
                first &= hol[j] != hol[i];
            kept += first && (hol[i] + 2) % 7 < (unsigned)cals[c].days_per_week;
        }
        cr_expect_eq(cals[c].n_holidays, kept, "calendar %zu", c);
    }
    cr_expect_eq(cals[0].n_holidays, n - 4);
    cr_expect_eq(cals[3].n_holidays, n - 1);
}

/* The cursor a model keeps, moved forward over a year in small random
 * steps, never reports a holiday open. */
Test(calendar, cursor_never_opens_on_a_holiday)
{
    static const uint32_t hol[] = {4, 7, 8, 9, 10, 11, 50, 51, 120, 121, 122, 300};
    const unsigned n = sizeof hol / sizeof hol[0];
    struct sim_cal cal = business_from(8.5, 9, 5, 6, hol, n);   /* from a Sunday */
    struct sim_cal_cursor cur;
    sim_cal_cursor_init(&cur, &cal);
    gsl_rng *r = seeded(11);
    double t = 0;
    long open_steps = 0, holiday_steps = 0;
    while (t < 365 * 24.0) {
        int64_t day = (int64_t)floor(t / 24);
        bool holiday = !works_by_definition(&cal, day, hol, n) &&
                       (day + cal.day0_weekday) % 7 < cal.days_per_week;
        bool open = sim_cal_cursor_is_open(&cur, t);
        cr_assert_not(open && holiday, "open at %.17g on holiday day %lld", t, (long long)day);
        open_steps += open;
        holiday_steps += holiday;
        /* Sometimes jump to the next opening, as a model does. */
        t = gsl_rng_uniform_int(r, 500) == 0 ? sim_cal_next_open(&cal, t + 1e-3)
                                           : t + 2 * gsl_rng_uniform(r);
    }
    cr_assert_gt(open_steps, 100);
    cr_assert_gt(holiday_steps, 50, "the walk passed through holidays (%ld steps, %ld open, t %g)", holiday_steps, open_steps, t);
    gsl_rng_free(r);
}

/* ---- the funnel on holidays -------------------------------------------------- */

#define HOL_REPS 20u
#define HOL_PER_WEEK 100.0

/* From Monday 2026-03-02, 9-17 on weekdays; every other Wednesday and
 * Thursday are holidays (as day numbers and as dates), with ample
 * capacity, one attempt per lead, no filter, no delay, no abandonment: a
 * lead leaves the backlog only when its first contact starts. */
static const char holiday_scenario[] =
    "{\"name\": \"holidays\", \"start_date\": \"2026-03-02\", \"seed\": 7,"
    " \"horizon_days\": 70, \"warmup_days\": 7,"
    " \"calendar\": {\"mode\": \"business\", \"hours_per_day\": 8, \"days_per_week\": 5,"
    "  \"start_hour\": 9, \"holidays\": [9, 10, \"2026-03-25\", 24, 37, \"2026-04-09\","
    "  51, 52, \"2026-05-06\", 66]},"
    " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 100}}],"
    " \"contact\": {\"max_attempts\": 1},"
    " \"team\": [{\"name\": \"all\", \"count\": 4}]}";

/* The backlog each morning, per replication (HOL_REPS x days). */
static double *morning_backlogs(const char *text, const char *set, unsigned *days,
                                struct scenario *s)
{
    struct sim_err err;
    sim_err_clear(&err);
    struct scn_doc *doc = scn_doc_parse(text, "holidays.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    if (set != NULL)
        cr_assert_eq(scn_doc_set(doc, set, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(scn_doc_compile(doc, s, &err), SIM_OK, "%s", err.msg);
    scn_doc_free(doc);
    *days = funnel_series_days(s);
    unsigned weeks = funnel_series_weeks(s);
    double *backlog = sim_calloc((size_t)HOL_REPS * *days, sizeof *backlog);
    double *weekly = sim_calloc(4 * (size_t)weeks, sizeof *weekly);
    double metrics[METRIC_COUNT];
    for (unsigned r = 0; r < HOL_REPS; r++) {
        struct funnel_series fs = {.backlog_day = backlog + (size_t)r * *days,
                                   .inflow_week = weekly, .handed_week = weekly + weeks,
                                   .resolved_week = weekly + 2 * weeks,
                                   .junk_week = weekly + 3 * weeks};
        struct funnel_opts opts = {.series = &fs};
        cr_assert_eq(funnel_replicate(s, r, &opts, metrics, &err), SIM_OK, "%s", err.msg);
    }
    free(weekly);
    return backlog;
}

/* No first contact starts on a holiday: from the morning of the first of
 * two holidays in a row to the morning of the second (the morning after a
 * single holiday is a working day's opening, whose first contacts may
 * start before the backlog is sampled), the backlog only grows, in every
 * replication, and by the leads created in those 24 hours (Poisson, mean
 * per_week / 7: the 99% interval of the mean growth must hold it).  The
 * same days with the holidays taken away (same seed) are worked: the
 * backlog grows far less, so a model that ignored holidays fails. */
Test(holidays, no_contact_starts_on_a_holiday)
{
    struct scenario s;
    unsigned days;
    double *b = morning_backlogs(holiday_scenario, NULL, &days, &s);
    cr_assert_eq(s.calendar.n_holidays, 10);
    double expected = HOL_PER_WEEK / 7;
    double *growth = sim_calloc((size_t)HOL_REPS * s.calendar.n_holidays, sizeof *growth);
    size_t n = 0;
    for (unsigned r = 0; r < HOL_REPS; r++)
        for (unsigned i = 0; i + 1 < s.calendar.n_holidays; i += 2) {
            unsigned h = s.calendar.holidays[i];
            cr_assert_eq(s.calendar.holidays[i + 1], h + 1);
            cr_assert_lt(h + 1, days);
            const double *br = b + (size_t)r * days;
            cr_expect_geq(br[h + 1], br[h], "replication %u: the backlog fell on holiday "
                          "day %u (%g to %g)", r, h, br[h], br[h + 1]);
            growth[n++] = br[h + 1] - br[h];
        }
    struct sim_ci ci;
    sim_stats_ci(growth, 1, n, 0.99, &ci);
    fprintf(stderr, "holidays: backlog growth over a holiday mean %g 99%% [%g, %g], "
            "leads a day %g\n", ci.mean, ci.lo, ci.hi, expected);
    cr_expect(ci.lo <= expected && expected <= ci.hi, "growth over a holiday %g [%g, %g], "
              "expected the day's leads %g", ci.mean, ci.lo, ci.hi, expected);

    /* The control: the same days worked. */
    struct scenario w;
    unsigned wdays;
    char *plain = sim_strdup(holiday_scenario);
    char *hol = strstr(plain, ", \"holidays\"");
    cr_assert_not_null(hol);
    char *end = strchr(hol, ']');
    memmove(hol, end + 1, strlen(end + 1) + 1);
    double *bw = morning_backlogs(plain, NULL, &wdays, &w);
    cr_assert_eq(w.calendar.n_holidays, 0);
    n = 0;
    for (unsigned r = 0; r < HOL_REPS; r++)
        for (unsigned i = 0; i + 1 < s.calendar.n_holidays; i += 2) {
            unsigned h = s.calendar.holidays[i];
            growth[n++] = bw[(size_t)r * wdays + h + 1] - bw[(size_t)r * wdays + h];
        }
    struct sim_ci cw;
    sim_stats_ci(growth, 1, n, 0.99, &cw);
    fprintf(stderr, "holidays: the same days worked: growth mean %g 99%% [%g, %g]\n", cw.mean,
            cw.lo, cw.hi);
    cr_expect_lt(cw.hi, ci.lo, "worked days must not look like holidays");
    free(plain);
    free(bw);
    free(growth);
    free(b);
}
