/*
 * date.h - calendar dates: ISO 8601 `YYYY-MM-DD`, day numbers, weekdays.
 *
 * A date is a day number: days since 1970-01-01 (day 0), negative before.
 * The calendar is the proleptic Gregorian one (its leap rule applied to
 * every year, as ISO 8601 does), for years 0001 to 9999, so that every
 * date has exactly one ten-character form.  There are no time zones and
 * no daylight saving: a date is a day of local civil time, and every day
 * has 24 hours.
 *
 * A date-time is a date and a time of that day, to the second, read as
 * seconds since 1970-01-01T00:00 (no leap seconds: every day has 86400).
 *
 * A simulation's timeline is in hours from its day 0; `struct
 * sim_date_origin` says which date day 0 is, when one is known.  Without a
 * date, day 0 is a Monday (sim/calendar.h).
 *
 * Everything here is pure arithmetic (no tables, no locale, no libc time
 * functions, which would bring the process's time zone in).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_DATE_H
#define SIM_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_DATE_TEXT 11            /* "YYYY-MM-DD" and its NUL */
#define SIM_DATE_YEAR_MIN 1
#define SIM_DATE_YEAR_MAX 9999

/* Day 0 of a timeline and its date, when it has one. */
struct sim_date_origin {
    bool dated;                     /* false: day 0 is an undated Monday */
    int32_t date;                   /* day number of day 0, when dated */
};

bool sim_date_is_leap(int year);
/* Days in `month` (1..12) of `year`: 28 to 31. */
int sim_date_month_days(int year, int month);
/* Whether year-month-day names a day of the calendar (years 1..9999). */
bool sim_date_valid(int year, int month, int day);

/* The day number of a valid date. */
int32_t sim_date_from_ymd(int year, int month, int day);
/* The date of a day number within years 1..9999. */
void sim_date_to_ymd(int32_t date, int *year, int *month, int *day);

/* Reads exactly `YYYY-MM-DD` (no spaces, no time, no other form) with
 * full validation: month 01..12, day within that month's length, leap
 * years.  true and *date set, or false with the reason in `why`, which
 * the caller follows with the text it got ("the month must be 01 to 12",
 * "February 2023 has 28 days"); *date is untouched then. */
bool sim_date_parse(const char *s, int32_t *date, char *why, size_t n);

/* Reads an ISO 8601 local date or date-time, strictly: `YYYY-MM-DD`,
 * `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, a single space accepted
 * instead of the T; hours 00..23, minutes and seconds 00..59; nothing
 * else (no zone or offset, no fraction of a second, no spaces around; a
 * date alone is its midnight).  true and *seconds set to the seconds since
 * 1970-01-01T00:00 (exact: whole seconds), or false with the reason in
 * `why` as sim_date_parse gives it. */
bool sim_date_parse_seconds(const char *s, int64_t *seconds, char *why, size_t n);

/* The same as hours since the midnight that starts day number `day0`
 * (a timeline's day 0): ((seconds - day0 x 86400) / 3600, one correctly
 * rounded division, so equal text gives equal hours.  Negative before
 * day 0. */
bool sim_date_parse_datetime(const char *s, int32_t day0, double *hours, char *why, size_t n);

/* `YYYY-MM-DD` into buf; returns buf.  Years past 9999 do not fit the ten
 * characters and are cut (never an overflow): a caller that can reach them
 * checks first. */
const char *sim_date_format(int32_t date, char buf[SIM_DATE_TEXT]);

/* 0 = Monday ... 6 = Sunday (ISO 8601's order, from 0). */
int sim_date_weekday(int32_t date);
/* "Monday" ... "Sunday". */
const char *sim_date_weekday_name(int weekday);

#endif
