/*
 * timestamp.c - CRM date-times (sim/timestamp.h).
 *
 * Each built-in format is a date reader followed by the one time-and-offset
 * reader they share, so "31.01.2024 09:30", "2024-01-31T09:30:00+03:00"
 * and "2024/01/31 09:30" differ only in their date part.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE     /* strptime(3), tm_gmtoff */
#include "sim/timestamp.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sim/date.h"

static const char *const format_names[SIM_TS_FORMATS] = {
    [SIM_TS_ISO] = "yyyy-mm-dd",       [SIM_TS_DMY_DOT] = "dd.mm.yyyy",
    [SIM_TS_DMY_SLASH] = "dd/mm/yyyy", [SIM_TS_MDY_SLASH] = "mm/dd/yyyy",
    [SIM_TS_YMD_SLASH] = "yyyy/mm/dd", [SIM_TS_STRPTIME] = "date_format",
};

const char *sim_ts_format_name(enum sim_ts_format f)
{
    return (unsigned)f < SIM_TS_FORMATS ? format_names[f] : "?";
}

/* Between min and max digits at *p; advances. */
static bool ts_num(const char **p, int min, int max, int *v)
{
    int k = 0, x = 0;
    while (k < max && isdigit((unsigned char)(*p)[k])) {
        x = x * 10 + ((*p)[k] - '0');
        k++;
    }
    if (k < min)
        return false;
    *p += k;
    *v = x;
    return true;
}

static bool ts_char(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* The date part of a built-in format: year, month, day. */
static bool ts_date(const char **p, enum sim_ts_format f, int *y, int *m, int *d)
{
    switch (f) {
    case SIM_TS_ISO:
        return ts_num(p, 4, 4, y) && ts_char(p, '-') && ts_num(p, 2, 2, m) &&
               ts_char(p, '-') && ts_num(p, 2, 2, d);
    case SIM_TS_DMY_DOT:
        return ts_num(p, 1, 2, d) && ts_char(p, '.') && ts_num(p, 1, 2, m) &&
               ts_char(p, '.') && ts_num(p, 4, 4, y);
    case SIM_TS_DMY_SLASH:
        return ts_num(p, 1, 2, d) && ts_char(p, '/') && ts_num(p, 1, 2, m) &&
               ts_char(p, '/') && ts_num(p, 4, 4, y);
    case SIM_TS_MDY_SLASH:
        return ts_num(p, 1, 2, m) && ts_char(p, '/') && ts_num(p, 1, 2, d) &&
               ts_char(p, '/') && ts_num(p, 4, 4, y);
    case SIM_TS_YMD_SLASH:
        return ts_num(p, 4, 4, y) && ts_char(p, '/') && ts_num(p, 1, 2, m) &&
               ts_char(p, '/') && ts_num(p, 1, 2, d);
    default:
        return false;
    }
}

/* An offset at *p: Z, +HH:MM, +HHMM, +HH; the whole rest of the text. */
static bool ts_offset(const char *p, int *minutes)
{
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0' ? (*minutes = 0, true) : false;
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p == '-' ? -1 : 1, h = 0, m = 0;
    p++;
    const char *q = p;
    if (!ts_num(&p, 1, 2, &h))
        return false;
    if (*p == ':') {
        p++;
        if (!ts_num(&p, 2, 2, &m))
            return false;
    } else if (p - q == 2 && isdigit((unsigned char)*p)) {
        if (!ts_num(&p, 2, 2, &m))
            return false;
    }
    if (*p != '\0' || h > 14 || m > 59)
        return false;
    *minutes = sign * (h * 60 + m);
    return true;
}

/* The optional time and offset after a date: the rest of the text. */
static bool ts_time(const char *p, struct sim_ts *ts, char *why, size_t n)
{
    ts->sec = 0;
    ts->has_time = false;
    ts->has_offset = false;
    ts->offset_min = 0;
    if (*p == '\0')
        return true;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        while (*p == ' ')
            p++;
    } else {
        snprintf(why, n, "unexpected text after the date");
        return false;
    }
    int h, m, s = 0;
    double frac = 0;
    if (!ts_num(&p, 1, 2, &h) || !ts_char(&p, ':') || !ts_num(&p, 2, 2, &m)) {
        snprintf(why, n, "the time must be HH:MM or HH:MM:SS");
        return false;
    }
    if (ts_char(&p, ':')) {
        if (!ts_num(&p, 2, 2, &s)) {
            snprintf(why, n, "the time must be HH:MM or HH:MM:SS");
            return false;
        }
        if (*p == '.' || *p == ',') {
            double scale = 0.1;
            p++;
            if (!isdigit((unsigned char)*p)) {
                snprintf(why, n, "the time must be HH:MM or HH:MM:SS");
                return false;
            }
            while (isdigit((unsigned char)*p)) {
                frac += (*p++ - '0') * scale;
                scale /= 10;
            }
        }
    }
    if (m > 59 || s > 59 || h > 24 || (h == 24 && (m || s || frac > 0))) {
        snprintf(why, n, "the time must be 00:00:00 to 23:59:59");
        return false;
    }
    ts->has_time = true;
    ts->sec = h * 3600.0 + m * 60.0 + s + frac;
    while (*p == ' ')
        p++;
    if (*p == '\0')
        return true;
    if (!ts_offset(p, &ts->offset_min)) {
        snprintf(why, n, "unexpected text after the time (an offset is Z, +HH:MM or -HHMM)");
        return false;
    }
    ts->has_offset = true;
    return true;
}

static bool ts_strptime(const char *s, const char *strp, struct sim_ts *ts, char *why,
                        size_t n)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_mday = 0;
    tm.tm_hour = -1;
    tm.tm_gmtoff = 1L << 30;    /* a mark: %z sets it */
    const char *end = strptime(s, strp, &tm);
    if (end == NULL || tm.tm_mday == 0) {
        snprintf(why, n, "not a date in the map's date_format \"%s\"", strp);
        return false;
    }
    while (*end == ' ')
        end++;
    if (*end != '\0') {
        snprintf(why, n, "unexpected text after the date_format \"%s\"", strp);
        return false;
    }
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    if (!sim_date_valid(y, m, d)) {
        snprintf(why, n, "not a day of the calendar");
        return false;
    }
    ts->date = sim_date_from_ymd(y, m, d);
    ts->has_time = tm.tm_hour >= 0;
    ts->sec = ts->has_time ? tm.tm_hour * 3600.0 + tm.tm_min * 60.0 + tm.tm_sec : 0;
    ts->has_offset = tm.tm_gmtoff != 1L << 30;
    ts->offset_min = ts->has_offset ? (int)(tm.tm_gmtoff / 60) : 0;
    return true;
}

bool sim_ts_parse(const char *s, enum sim_ts_format f, const char *strp, struct sim_ts *ts,
                  char *why, size_t n)
{
    char buf[128];
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf) {
        snprintf(why, n, len ? "too long for a date" : "empty");
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (f == SIM_TS_STRPTIME)
        return strp != NULL && ts_strptime(buf, strp, ts, why, n);
    const char *p = buf;
    int y, m, d;
    if (!ts_date(&p, f, &y, &m, &d)) {
        snprintf(why, n, "not a date in the form %s", sim_ts_format_name(f));
        return false;
    }
    if (!sim_date_valid(y, m, d)) {
        if (y < SIM_DATE_YEAR_MIN || m < 1 || m > 12 || d < 1)
            snprintf(why, n, "not a day of the calendar (%s)", sim_ts_format_name(f));
        else
            snprintf(why, n, "%04d-%02d has %d days", y, m, sim_date_month_days(y, m));
        return false;
    }
    ts->date = sim_date_from_ymd(y, m, d);
    return ts_time(p, ts, why, n);
}

enum sim_ts_format sim_ts_detect(const char *const *cells, size_t n, size_t *read)
{
    size_t best_n = 0;
    enum sim_ts_format best = SIM_TS_ISO;
    for (int f = 0; f < SIM_TS_STRPTIME; f++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            struct sim_ts ts;
            char why[96];
            k += cells[i] != NULL && sim_ts_parse(cells[i], (enum sim_ts_format)f, NULL, &ts,
                                                  why, sizeof why);
        }
        if (k > best_n) {
            best_n = k;
            best = (enum sim_ts_format)f;
        }
    }
    if (read != NULL)
        *read = best_n;
    return best;
}

bool sim_ts_parse_offset(const char *s, int *minutes)
{
    while (*s == ' ')
        s++;
    if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0) {
        *minutes = 0;
        return true;
    }
    if (strncmp(s, "UTC", 3) == 0 || strncmp(s, "GMT", 3) == 0)
        s += 3;
    return (*s == '+' || *s == '-') && ts_offset(s, minutes);
}

double sim_ts_hours(const struct sim_ts *ts, int32_t day0, bool tz, int tz_min)
{
    double h = (double)(ts->date - day0) * 24.0 + ts->sec / 3600.0;
    if (tz && ts->has_offset)
        h += (tz_min - ts->offset_min) / 60.0;
    return h;
}
