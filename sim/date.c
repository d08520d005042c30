/* SPDX-License-Identifier: MIT */
/*
 * date.c - proleptic Gregorian dates as day numbers.
 *
 * The conversions are the era-based closed forms (a 400-year era has
 * 146097 days; counting years from March puts the leap day last), so
 * nothing loops over years or months and every date converts in O(1).
 */
#include "sim/date.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

bool sim_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int sim_date_month_days(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    assert(month >= 1 && month <= 12);
    return month == 2 && sim_date_is_leap(year) ? 29 : days[month - 1];
}

bool sim_date_valid(int year, int month, int day)
{
    return year >= SIM_DATE_YEAR_MIN && year <= SIM_DATE_YEAR_MAX && month >= 1 &&
           month <= 12 && day >= 1 && day <= sim_date_month_days(year, month);
}

int32_t sim_date_from_ymd(int year, int month, int day)
{
    assert(sim_date_valid(year, month, day));
    int y = year - (month <= 2);                      /* years start in March */
    int era = y / 400;                                /* y >= 0 here */
    int yoe = y - era * 400;                          /* [0, 399] */
    int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);    /* 719468: 0000-03-01 to 1970-01-01 */
}

void sim_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
    int32_t z = date + 719468;
    assert(z >= 0);
    int32_t era = z / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* The digits s[0..n) as a number; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool sim_date_parse(const char *s, int32_t *date, char *why, size_t n)
{
    int y = -1, m = -1, d = -1;
    if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    }
    if (y < 0 || m < 0 || d < 0) {
        snprintf(why, n, "a date is written YYYY-MM-DD, as in 2026-03-02");
        return false;
    }
    if (y < SIM_DATE_YEAR_MIN) {
        snprintf(why, n, "the year must be 0001 to 9999");
        return false;
    }
    if (m < 1 || m > 12) {
        snprintf(why, n, "the month must be 01 to 12");
        return false;
    }
    if (d < 1 || d > sim_date_month_days(y, m)) {
        snprintf(why, n, "%s %04d has %d days", month_names[m - 1], y,
                 sim_date_month_days(y, m));
        return false;
    }
    *date = sim_date_from_ymd(y, m, d);
    return true;
}

/* The time part after the date: "" (midnight), "THH:MM" or "THH:MM:SS"
 * (T or one space); *sec the second of the day, or -1 with why set. */
static int32_t time_of_day(const char *t, char *why, size_t n)
{
    size_t len = strlen(t);
    if (len == 0)
        return 0;
    int h = -1, m = -1, sec = 0;
    if ((t[0] == 'T' || t[0] == ' ') && (len == 6 || len == 9) && t[3] == ':') {
        h = digits(t + 1, 2);
        m = digits(t + 4, 2);
        if (len == 9)
            sec = t[6] == ':' ? digits(t + 7, 2) : -1;
    }
    if (h < 0 || m < 0 || sec < 0) {
        snprintf(why, n, "a date-time is written YYYY-MM-DDTHH:MM[:SS] (or with a space for "
                 "the T), as in 2026-03-02T14:30, with no zone and no fraction");
        return -1;
    }
    if (h > 23 || m > 59 || sec > 59) {
        snprintf(why, n, "the hour must be 00 to 23, minutes and seconds 00 to 59");
        return -1;
    }
    return (int32_t)(h * 3600 + m * 60 + sec);
}

bool sim_date_parse_seconds(const char *s, int64_t *seconds, char *why, size_t n)
{
    char day[SIM_DATE_TEXT];
    int32_t date;
    size_t len = strlen(s);
    /* The date part is the first ten characters; sim_date_parse checks it. */
    memcpy(day, s, len < 10 ? len : 10);
    day[len < 10 ? len : 10] = '\0';
    if (!sim_date_parse(day, &date, why, n))
        return false;
    int32_t sec = time_of_day(s + strlen(day), why, n);
    if (sec < 0)
        return false;
    *seconds = (int64_t)date * 86400 + sec;
    return true;
}

bool sim_date_parse_datetime(const char *s, int32_t day0, double *hours, char *why, size_t n)
{
    int64_t sec;
    if (!sim_date_parse_seconds(s, &sec, why, n))
        return false;
    *hours = (double)(sec - (int64_t)day0 * 86400) / 3600.0;
    return true;
}

const char *sim_date_format(int32_t date, char buf[SIM_DATE_TEXT])
{
    int y, m, d;
    sim_date_to_ymd(date, &y, &m, &d);
    assert(y >= SIM_DATE_YEAR_MIN);
    /* A day past 9999-12-31 (a start late in 9999 plus a horizon) gets a
     * five-digit year, cut at the buffer's end rather than overflowing. */
    char full[48];
    snprintf(full, sizeof full, "%04d-%02d-%02d", y, m, d);
    memcpy(buf, full, SIM_DATE_TEXT - 1);
    buf[SIM_DATE_TEXT - 1] = '\0';
    return buf;
}

int sim_date_weekday(int32_t date)
{
    /* Day 0, 1970-01-01, was a Thursday (3). */
    int32_t r = (date % 7 + 7 + 3) % 7;
    return (int)r;
}

const char *sim_date_weekday_name(int weekday)
{
    static const char *const names[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
    assert(weekday >= 0 && weekday < 7);
    return names[weekday];
}
