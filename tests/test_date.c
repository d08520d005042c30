/*
 * test_date.c - ISO dates and day numbers (sim/date.h).
 *
 * Every day from 0001-01-01 to 9999-12-31 is walked with a naive counter
 * (month lengths from the leap rule, one day at a time), which the closed
 * forms must agree with; every weekday is checked against Zeller's
 * congruence, a formula independent of the day numbers; every date is
 * formatted and parsed back.  Then the refusals, one rule each.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "sim/date.h"

/* Zeller's congruence for the Gregorian calendar, turned to 0 = Monday. */
static int zeller(int y, int m, int d)
{
    if (m < 3) {
        m += 12;
        y -= 1;
    }
    int k = y % 100, j = y / 100;
    int h = (d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7; /* 0 = Saturday */
    return (h + 5) % 7;
}

/* Month lengths from the rule, not from the module. */
static int naive_month_days(int y, int m)
{
    if (m == 2)
        return (y % 400 == 0 || (y % 4 == 0 && y % 100 != 0)) ? 29 : 28;
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

Test(date, every_day_of_ten_millennia_round_trips)
{
    int y = 1, m = 1, d = 1;
    int32_t prev = sim_date_from_ymd(1, 1, 1);
    long days = 0, leap_days = 0;
    char buf[SIM_DATE_TEXT], why[128];
    for (;;) {
        int32_t z = sim_date_from_ymd(y, m, d);
        if (days > 0)
            cr_assert_eq(z, prev + 1, "%04d-%02d-%02d is day %d, the day before was %d",
                         y, m, d, (int)z, (int)prev);
        int yy, mm, dd;
        sim_date_to_ymd(z, &yy, &mm, &dd);
        cr_assert(yy == y && mm == m && dd == d, "day %d gave %04d-%02d-%02d, not "
                  "%04d-%02d-%02d", (int)z, yy, mm, dd, y, m, d);
        cr_assert_eq(sim_date_weekday(z), zeller(y, m, d), "%04d-%02d-%02d", y, m, d);
        char want[48];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        cr_assert_str_eq(sim_date_format(z, buf), want);
        int32_t back = -1;
        cr_assert(sim_date_parse(buf, &back, why, sizeof why), "%s: %s", buf, why);
        cr_assert_eq(back, z, "%s", buf);
        leap_days += m == 2 && d == 29;
        prev = z;
        days++;
        if (++d > naive_month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                if (++y > 9999)
                    break;
            }
        }
    }
    /* 97 leap years in every 400: 9999 years hold 2424 leap days. */
    long leaps = 9999 / 4 - 9999 / 100 + 9999 / 400;
    cr_expect_eq(leap_days, leaps);
    cr_expect_eq(days, 9999L * 365 + leaps);
}

Test(date, epoch_and_day_differences)
{
    cr_expect_eq(sim_date_from_ymd(1970, 1, 1), 0);
    /* A year of 365 or 366 days, by the leap rule. */
    for (int y = 1900; y <= 2100; y++)
        cr_expect_eq(sim_date_from_ymd(y + 1, 1, 1) - sim_date_from_ymd(y, 1, 1),
                     sim_date_is_leap(y) ? 366 : 365, "%d", y);
    /* A 400-year cycle has 146097 days, a whole number of weeks. */
    cr_expect_eq(sim_date_from_ymd(2400, 3, 1) - sim_date_from_ymd(2000, 3, 1), 146097);
    cr_expect_eq(146097 % 7, 0);
}

Test(date, weekday_names_follow_monday_first)
{
    cr_expect_str_eq(sim_date_weekday_name(0), "Monday");
    cr_expect_str_eq(sim_date_weekday_name(6), "Sunday");
    int32_t z = sim_date_from_ymd(2026, 3, 2);
    cr_expect_str_eq(sim_date_weekday_name(sim_date_weekday(z)),
                     sim_date_weekday_name(zeller(2026, 3, 2)));
}

Test(date, refusals_say_why)
{
    static const struct { const char *text, *why; } cases[] = {
        {"2026-3-2", "YYYY-MM-DD"},
        {"2026-03-02T10:00", "YYYY-MM-DD"},
        {" 2026-03-02", "YYYY-MM-DD"},
        {"2026/03/02", "YYYY-MM-DD"},
        {"+026-03-02", "YYYY-MM-DD"},
        {"", "YYYY-MM-DD"},
        {"0000-01-01", "the year must be 0001 to 9999"},
        {"2026-00-10", "the month must be 01 to 12"},
        {"2026-13-10", "the month must be 01 to 12"},
        {"2026-01-00", "January 2026 has 31 days"},
        {"2026-04-31", "April 2026 has 30 days"},
        {"2023-02-29", "February 2023 has 28 days"},
        {"1900-02-29", "February 1900 has 28 days"},
    };
    char why[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t z = 12345;
        why[0] = '\0';
        cr_expect_not(sim_date_parse(cases[i].text, &z, why, sizeof why), "%s", cases[i].text);
        cr_expect_eq(z, 12345, "%s: the output was touched", cases[i].text);
        cr_expect_not_null(strstr(why, cases[i].why), "%s: \"%s\"", cases[i].text, why);
    }
    int32_t z;
    cr_expect(sim_date_parse("2000-02-29", &z, why, sizeof why), "2000 is a leap year");
    cr_expect(sim_date_parse("2024-02-29", &z, why, sizeof why));
}

/* Date-times (trace timestamps): the accepted forms give the seconds that
 * the parts say; everything else is refused with a reason. */
Test(date, datetime_forms_and_refusals)
{
    static const struct { const char *s; int h, m, sec; } ok[] = {
        {"2024-02-29", 0, 0, 0},          {"2024-02-29T07:05", 7, 5, 0},
        {"2024-02-29 07:05", 7, 5, 0},    {"2024-02-29T23:59:59", 23, 59, 59},
        {"2024-02-29 00:00:01", 0, 0, 1},
    };
    int32_t day = sim_date_from_ymd(2024, 2, 29);
    char why[200];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t s = -1;
        cr_assert(sim_date_parse_seconds(ok[i].s, &s, why, sizeof why), "%s: %s", ok[i].s, why);
        cr_expect_eq(s, (int64_t)day * 86400 + ok[i].h * 3600 + ok[i].m * 60 + ok[i].sec,
                     "%s", ok[i].s);
        double h;
        cr_assert(sim_date_parse_datetime(ok[i].s, day - 1, &h, why, sizeof why));
        cr_expect_eq(h, (double)(86400 + ok[i].h * 3600 + ok[i].m * 60 + ok[i].sec) / 3600.0,
                     "%s: hours since the day before", ok[i].s);
    }
    static const char *const bad[] = {
        "2023-02-29T10:00", "2024-02-29T24:00", "2024-02-29T10:60", "2024-02-29T10:00:60",
        "2024-02-29T10", "2024-02-29T10:00Z", "2024-02-29T10:00+01:00", "2024-02-29T10:00:00.5",
        "2024-02-29  10:00", " 2024-02-29", "2024-02-29 ", "2024-2-29", "29/02/2024", "",
        "2024-02-29t10:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t s = 42;
        why[0] = '\0';
        cr_expect(!sim_date_parse_seconds(bad[i], &s, why, sizeof why), "'%s' accepted", bad[i]);
        cr_expect(s == 42 && why[0] != '\0', "'%s': untouched, with a reason", bad[i]);
    }
}
