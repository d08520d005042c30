/* SPDX-License-Identifier: MIT */
#include "models/backtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/mem.h"

static const char *const what[2] = {"junk", "conversion"};

void backtest_week_rates(const struct history *h, double t0, double out[2])
{
    double handed = 0, resolved = 0, lost = 0, won = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        if (l->created_h < t0 || l->created_h >= t0 + 168 || l->status == HISTORY_DISQUALIFIED)
            continue;
        handed++;
        resolved += l->status != HISTORY_OPEN;
        lost += l->status == HISTORY_LOST;
        won += l->status == HISTORY_WON;
    }
    out[0] = resolved > 0 ? lost / resolved : NAN;
    out[1] = handed > 0 ? won / handed : NAN;
}

int backtest_run(const struct fit_problem *p, const double *x, const struct history *full,
                 double holdout_h, const struct fit_opts *opts, struct backtest *bt,
                 struct sim_err *err)
{
    memset(bt, 0, sizeof *bt);
    bt->holdout_h = holdout_h;
    size_t weeks = (size_t)floor((full->horizon_h - holdout_h) / 168.0);
    struct fit_problem *q = sim_calloc(1, sizeof *q);
    *q = *p;
    q->horizon_days = full->horizon_h / 24;
    /* New seeds: the prediction's noise is not the fit's. */
    struct scn_doc *d = fit_doc_at(q, x, true, BACKTEST_REPS, p->seed ^ 0xB4C7E57ull, err);
    free(q);
    if (d == NULL)
        return err->code ? err->code : SIM_ERR_INPUT;
    struct history *h = sim_calloc(BACKTEST_REPS, sizeof *h);
    unsigned n = 0;
    int rc = fit_simulate(d, opts->jobs, opts->interrupt, h, &n, err);
    scn_doc_free(d);
    if (rc != SIM_OK) {
        free(h);
        return rc;
    }
    bt->n = weeks;
    bt->w = sim_calloc(weeks ? weeks : 1, sizeof *bt->w);
    double *v[2] = {sim_calloc(n, sizeof(double)), sim_calloc(n, sizeof(double))};
    for (size_t k = 0; k < weeks; k++) {
        struct backtest_week *w = &bt->w[k];
        double t0 = holdout_h + 168.0 * (double)k, r[2];
        w->week = (unsigned)k + 1;
        w->from_day = t0 / 24;
        backtest_week_rates(full, t0, w->obs);
        size_t m[2] = {0, 0};
        for (unsigned i = 0; i < n; i++) {
            backtest_week_rates(&h[i], t0, r);
            for (int j = 0; j < 2; j++)
                if (!isnan(r[j]))
                    v[j][m[j]++] = r[j];
        }
        for (int j = 0; j < 2; j++) {
            w->mean[j] = w->lo[j] = w->hi[j] = NAN;
            if (m[j] >= 2) {
                gsl_sort(v[j], 1, m[j]);
                w->mean[j] = gsl_stats_mean(v[j], 1, m[j]);
                w->lo[j] = gsl_stats_quantile_from_sorted_data(v[j], 1, m[j], 0.025);
                w->hi[j] = gsl_stats_quantile_from_sorted_data(v[j], 1, m[j], 0.975);
            }
            if (!isnan(w->obs[j]) && !isnan(w->lo[j])) {
                w->inside[j] = w->obs[j] >= w->lo[j] && w->obs[j] <= w->hi[j];
                bt->weeks_with[j]++;
                bt->inside[j] += w->inside[j];
            }
        }
    }
    free(v[0]);
    free(v[1]);
    for (unsigned i = 0; i < n; i++)
        history_free(&h[i]);
    free(h);
    return SIM_OK;
}

static void real_or_empty(FILE *fp, double x)
{
    if (isnan(x))
        fputc(',', fp);
    else
        fprintf(fp, ",%.6f", x);
}

void backtest_csv(FILE *fp, const struct backtest *bt)
{
    fputs("week,from_day,observed_junk,predicted_junk,junk_lo,junk_hi,junk_inside,"
          "observed_conversion,predicted_conversion,conversion_lo,conversion_hi,"
          "conversion_inside\n", fp);
    for (size_t k = 0; k < bt->n; k++) {
        const struct backtest_week *w = &bt->w[k];
        fprintf(fp, "%u,%.0f", w->week, w->from_day);
        for (int j = 0; j < 2; j++) {
            real_or_empty(fp, w->obs[j]);
            real_or_empty(fp, w->mean[j]);
            real_or_empty(fp, w->lo[j]);
            real_or_empty(fp, w->hi[j]);
            if (isnan(w->obs[j]) || isnan(w->lo[j]))
                fputc(',', fp);
            else
                fprintf(fp, ",%d", w->inside[j]);
        }
        fputc('\n', fp);
    }
}

void backtest_table(FILE *fp, const struct backtest *bt)
{
    fprintf(fp, "back-test from day %.0f: %zu weeks predicted (%d replications)\n",
            bt->holdout_h / 24, bt->n, BACKTEST_REPS);
    for (int j = 0; j < 2; j++)
        fprintf(fp, "  weekly %-10s inside its 95%% prediction interval in %u of %u weeks\n",
                what[j], bt->inside[j], bt->weeks_with[j]);
}

cJSON *backtest_summary_json(const struct backtest *bt)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "from_day", bt->holdout_h / 24);
    cJSON_AddNumberToObject(o, "weeks", (double)bt->n);
    cJSON_AddNumberToObject(o, "replications", BACKTEST_REPS);
    for (int j = 0; j < 2; j++) {
        char name[64];
        snprintf(name, sizeof name, "%s_inside_share", what[j]);
        if (bt->weeks_with[j])
            cJSON_AddNumberToObject(o, name, (double)bt->inside[j] / bt->weeks_with[j]);
        else
            cJSON_AddNullToObject(o, name);
    }
    return o;
}

void backtest_free(struct backtest *bt)
{
    free(bt->w);
    memset(bt, 0, sizeof *bt);
}
