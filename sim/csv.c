/*
 * csv.c - the CSV field writer (sim/csv.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "sim/csv.h"

#include <math.h>
#include <string.h>

struct sim_csv sim_csv_on(FILE *fp)
{
    return (struct sim_csv){.fp = fp, .col = 0};
}

static void csv_sep(struct sim_csv *w)
{
    if (w->col++ > 0)
        fputc(',', w->fp);
}

void sim_csv_text(struct sim_csv *w, const char *s)
{
    csv_sep(w);
    if (s[strcspn(s, ",\"\r\n")] == '\0') {
        fputs(s, w->fp);
        return;
    }
    fputc('"', w->fp);
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', w->fp);
        fputc(*p, w->fp);
    }
    fputc('"', w->fp);
}

void sim_csv_real(struct sim_csv *w, double x, int digits)
{
    csv_sep(w);
    if (isfinite(x))
        fprintf(w->fp, "%.*g", digits, x);
}

void sim_csv_number(struct sim_csv *w, double x)
{
    sim_csv_real(w, x, 10);
}

void sim_csv_whole(struct sim_csv *w, double x)
{
    if (!(isfinite(x) && x == floor(x) && fabs(x) <= 9007199254740992.0)) {
        sim_csv_number(w, x);
        return;
    }
    csv_sep(w);
    fprintf(w->fp, "%.0f", x);
}

void sim_csv_uint(struct sim_csv *w, unsigned long long u)
{
    csv_sep(w);
    fprintf(w->fp, "%llu", u);
}

void sim_csv_empty(struct sim_csv *w)
{
    csv_sep(w);
}

void sim_csv_end(struct sim_csv *w)
{
    fputc('\n', w->fp);
    w->col = 0;
}
