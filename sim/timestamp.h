/*
 * timestamp.h - the date-times of CRM exports: ISO 8601 and the common
 * day-first and year-first forms, with or without a time and an offset,
 * or a strptime(3) format the user gives.
 *
 * Concept: a timestamp is a calendar date (sim/date.h's day number), the
 * seconds since that day's midnight as written, and, when the text had
 * one, its UTC offset.  Nothing here knows a time zone database: a time is
 * local civil time of whoever wrote it; sim_ts_hours() moves it to another
 * fixed offset when both are known, and otherwise keeps the wall clock
 * (the offset is dropped), which is what a CRM's own export shows.
 *
 * Formats (enum sim_ts_format), each followed by an optional time
 * ("T" or spaces, then HH:MM, HH:MM:SS or HH:MM:SS.fff) and, after a time,
 * an optional offset (Z, +HH:MM, +HHMM, +HH):
 *   iso     YYYY-MM-DD
 *   dmy.    DD.MM.YYYY   (one-digit day and month accepted: 1.2.2024)
 *   dmy/    DD/MM/YYYY
 *   mdy/    MM/DD/YYYY   (chosen only when the day-first reading fails)
 *   ymd/    YYYY/MM/DD
 *   strptime  the caller's format, whole text consumed; %z gives the offset
 * sim_ts_detect() picks, for a column, the format that reads most of a
 * sample of its cells (the first in this order on a tie), so a column is
 * read one way throughout and 03/04/2024 never means two dates.
 *
 * Validation is sim/date.h's: 31.02.2024 is not a date.  Hours 00..23
 * (24:00:00 is accepted as the end of the day), minutes and seconds 00..59.
 *
 * Pure parsing: no locale, no TZ, no allocation.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_TIMESTAMP_H
#define SIM_TIMESTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_ts_format {
    SIM_TS_ISO,
    SIM_TS_DMY_DOT,
    SIM_TS_DMY_SLASH,
    SIM_TS_MDY_SLASH,
    SIM_TS_YMD_SLASH,
    SIM_TS_STRPTIME,
    SIM_TS_FORMATS
};

struct sim_ts {
    int32_t date;               /* day number (sim/date.h) */
    double sec;                 /* seconds since that day's 00:00, as written */
    bool has_time;              /* false: a date alone (sec is 0) */
    bool has_offset;            /* an offset was written */
    int offset_min;             /* minutes east of UTC, when written */
};

/* "iso", "dd.mm.yyyy", ...; the strptime format's text is the caller's. */
const char *sim_ts_format_name(enum sim_ts_format f);

/* Reads `s` (leading and trailing spaces ignored) in format `f`
 * (`strp` is the strptime(3) format for SIM_TS_STRPTIME).  true and *ts
 * set, or false with the rule broken in `why` ("not a date in the form
 * dd.mm.yyyy", "February 2023 has 28 days"). */
bool sim_ts_parse(const char *s, enum sim_ts_format f, const char *strp, struct sim_ts *ts,
                  char *why, size_t n);

/* The built-in format reading the most of the n sample cells (empty ones
 * ignored); SIM_TS_ISO when none reads any.  *read (optional) is how many
 * it read. */
enum sim_ts_format sim_ts_detect(const char *const *cells, size_t n, size_t *read);

/* A fixed offset: "Z", "UTC", "GMT", "+03:00", "+0300", "+3", "UTC+3",
 * "-05:30".  true and *minutes (east of UTC), or false (a zone name such
 * as Europe/Moscow is not a fixed offset). */
bool sim_ts_parse_offset(const char *s, int *minutes);

/* Hours from 00:00 of day `day0` to the timestamp, in local civil time of
 * the fixed offset `tz_min` when `tz` is true and the text had an offset;
 * otherwise on the wall clock as written. */
double sim_ts_hours(const struct sim_ts *ts, int32_t day0, bool tz, int tz_min);

#endif
