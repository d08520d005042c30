/*
 * test_facts.c - the facts of a lead history (models/facts.h) and its
 * draft scenario (models/draft.h), on histories built in memory whose
 * answers follow by hand or by formula: Kaplan-Meier without censoring is
 * the empirical quantile, with censoring the product-limit by hand; a line
 * through exact points is recovered exactly, one through noisy points
 * holds the true slope in its interval; every lead is counted once; the
 * draft compiles and its rates are the history's.
 *
 * Suite `facts` (fast tier).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/decay.h"
#include "models/draft.h"
#include "models/facts.h"
#include "models/fit.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/trace.h"
#include "plots/plot_history.h"
#include "sim/mem.h"

/* ---- histories in memory ------------------------------------------------------- */

static struct history *hist_new(size_t n_channels, size_t n_owners, double horizon_h)
{
    struct history *h = sim_calloc(1, sizeof *h);
    h->horizon_h = horizon_h;
    h->n_channels = n_channels;
    h->channel = sim_calloc(n_channels + 1, sizeof *h->channel);
    for (size_t c = 0; c < n_channels; c++) {
        char name[32];
        snprintf(name, sizeof name, "ch%zu", c);
        h->channel[c] = sim_strdup(name);
    }
    h->n_owners = n_owners;
    h->owner = sim_calloc(n_owners + 1, sizeof *h->owner);
    for (size_t o = 0; o < n_owners; o++) {
        char name[32];
        snprintf(name, sizeof name, "m%zu", o);
        h->owner[o].name = sim_strdup(name);
        h->owner[o].start_h = h->owner[o].end_h = NAN;
    }
    return h;
}

/* Appends a lead; the caller keeps them in created_h order. */
static struct history_lead *hist_add(struct history *h, double created, uint32_t channel,
                                     uint32_t owner, unsigned status, unsigned reason)
{
    h->lead = realloc(h->lead, (h->n + 1) * sizeof *h->lead);
    cr_assert_not_null(h->lead);
    struct history_lead *l = &h->lead[h->n++];
    *l = (struct history_lead){.created_h = created, .first_contact_h = NAN, .closed_h = NAN,
                               .value = NAN, .channel = channel, .owner = owner,
                               .status = (uint8_t)status, .reason = (uint8_t)reason};
    if (status == HISTORY_WON || status == HISTORY_QUALIFIED ||
        (status == HISTORY_LOST && reason != JUNK_ABANDONED))
        l->first_contact_h = created + 1;
    if (status != HISTORY_OPEN)
        l->closed_h = created + 2;
    return l;
}

static void hist_free(struct history *h)
{
    for (size_t c = 0; c < h->n_channels; c++)
        free(h->channel[c]);
    for (size_t o = 0; o < h->n_owners; o++) {
        free(h->owner[o].name);
        free(h->owner[o].group);
    }
    free(h->channel);
    free(h->owner);
    free(h->lead);
    free(h);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- Kaplan-Meier ---------------------------------------------------------------- */

/* Without censoring S is the empirical survival: a quantile q is the
 * ceil(q n)-th smallest time. */
Test(facts, km_without_censoring_gives_the_empirical_quantiles)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 14);
    size_t sizes[] = {1, 7, 10, 101, 1000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        double *t = malloc(n * sizeof *t), *sorted = malloc(n * sizeof *t);
        bool *e = malloc(n * sizeof *e);
        for (size_t i = 0; i < n; i++) {
            /* Whole hours: ties included. */
            t[i] = sorted[i] = floor(gsl_ran_exponential(r, 5.0));
            e[i] = true;
        }
        qsort(sorted, n, sizeof *sorted, cmp_double);
        struct facts_km km;
        facts_km_estimate(t, e, n, &km);
        for (size_t q = 0; q < FACTS_KM_QUANTILES; q++) {
            size_t idx = (size_t)ceil(facts_km_probs[q] * (double)n - 1e-9) - 1;
            cr_expect_eq(km.quantile[q], sorted[idx], "n %zu, q %g: %g, expected %g", n,
                         facts_km_probs[q], km.quantile[q], sorted[idx]);
        }
        cr_expect_float_eq(km.s_end, 0.0, 1e-12);
        cr_expect_eq(km.events, n);
        facts_km_free(&km);
        free(t);
        free(sorted);
        free(e);
    }
    gsl_rng_free(r);
}

/* The product-limit by hand: times 1, 2+, 3, 4+, 5 (+: censored).
 * S(1) = 4/5, S(3) = 4/5 x 2/3, S(5) = 0; the median is 5, since S(3) =
 * 0.533 is still above one half. */
Test(facts, km_with_censoring_is_the_product_limit)
{
    double t[] = {3, 1, 4, 2, 5};
    bool e[] = {true, true, false, false, true};
    struct facts_km km;
    facts_km_estimate(t, e, 5, &km);
    cr_assert_eq(km.n_steps, 3);
    cr_expect_float_eq(km.s[0], 0.8, 1e-12);
    cr_expect_float_eq(km.s[1], 0.8 * 2.0 / 3.0, 1e-12);
    cr_expect_float_eq(km.s[2], 0.0, 1e-12);
    cr_expect_eq(km.quantile[0], 5.0);
    cr_expect_eq(km.censored, 2);
    facts_km_free(&km);

    /* A censoring tied with an event stays at risk for it. */
    double t2[] = {2, 2, 4};
    bool e2[] = {true, false, true};
    facts_km_estimate(t2, e2, 3, &km);
    cr_expect_float_eq(km.s[0], 2.0 / 3.0, 1e-12);
    cr_expect_float_eq(km.s[1], 0.0, 1e-12);
    facts_km_free(&km);

    /* All censored: no step, no quantile, nobody contacted. */
    double t3[] = {1, 2};
    bool e3[] = {false, false};
    facts_km_estimate(t3, e3, 2, &km);
    cr_expect_eq(km.n_steps, 0);
    cr_expect(isnan(km.quantile[0]));
    cr_expect_eq(km.s_end, 1.0);
    facts_km_free(&km);
}

/* ---- the line ------------------------------------------------------------------- */

/* Points exactly on junk = load / 400: the slope is 1/400, the interval
 * shrinks to it. */
Test(facts, a_line_through_exact_points_is_recovered)
{
    double x[10], y[10];
    for (int w = 0; w < 10; w++) {
        x[w] = 20.0 * (w + 1);
        y[w] = (w + 1) / 20.0;
    }
    struct facts_line l;
    facts_fit_line(x, y, 10, &l);
    cr_expect_float_eq(l.slope, 1.0 / 400, 1e-12);
    cr_expect_float_eq(l.intercept, 0.0, 1e-12);
    cr_expect(l.slope_lo <= 1.0 / 400 + 1e-12 && l.slope_hi >= 1.0 / 400 - 1e-12);
    cr_expect_lt(l.slope_hi - l.slope_lo, 1e-9);
    cr_expect_float_eq(l.r2, 1.0, 1e-12);
}

/* Noisy points (fixed seed): the interval holds the true slope, and its
 * half-width is t(0.975, n - 2) times the slope's standard error,
 * sigma / sqrt(sum (x - mean)^2), within sampling error. */
Test(facts, the_slope_interval_holds_the_true_slope)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2014);
    enum { N = 52 };
    double x[N], y[N], sxx = 0, mean = 0;
    const double a = 0.1, b = 0.004, sigma = 0.03;
    for (int i = 0; i < N; i++) {
        x[i] = 10 + 40.0 * i / (N - 1);
        y[i] = a + b * x[i] + gsl_ran_gaussian(r, sigma);
        mean += x[i] / N;
    }
    for (int i = 0; i < N; i++)
        sxx += (x[i] - mean) * (x[i] - mean);
    struct facts_line l;
    facts_fit_line(x, y, N, &l);
    cr_expect(l.slope_lo < b && b < l.slope_hi, "%g not in [%g, %g]", b, l.slope_lo,
              l.slope_hi);
    double half = (l.slope_hi - l.slope_lo) / 2, expected = 2.0066 * sigma / sqrt(sxx);
    /* The estimated sigma of 50 residuals is within 25% of the true one. */
    cr_expect(fabs(half / expected - 1) < 0.25, "half-width %g, expected about %g", half,
              expected);
    gsl_rng_free(r);

    /* Fewer than three points: no interval. */
    facts_fit_line(x, y, 2, &l);
    cr_expect(isfinite(l.slope) && isnan(l.slope_lo));
}

/* ---- facts of a history ------------------------------------------------------------ */

/* Ten weeks, one owner; week w brings 20 (w + 1) leads of which (w + 1)^2
 * are lost, the rest won: junk = load / 400 each week. */
static struct history *load_history(void)
{
    struct history *h = hist_new(2, 1, 10 * 168.0);
    for (int w = 0; w < 10; w++) {
        int n = 20 * (w + 1), lost = (w + 1) * (w + 1);
        for (int i = 0; i < n; i++) {
            double t = 168.0 * w + 167.0 * i / n;
            hist_add(h, t, (uint32_t)(i % 2), 0, i < lost ? HISTORY_LOST : HISTORY_WON,
                     i < lost ? JUNK_WENT_COLD : HISTORY_REASON_NONE);
        }
    }
    return h;
}

Test(facts, the_weekly_junk_against_load_is_the_built_line)
{
    struct history *h = load_history();
    struct facts f;
    facts_compute(h, &f);
    cr_assert_eq(f.n_weeks, 10);
    cr_expect_eq(f.line.n, 10);
    cr_expect_float_eq(f.line.slope, 1.0 / 400, 1e-12);
    for (size_t w = 0; w < 10; w++) {
        cr_expect_eq(f.managers_week[w], 1);
        cr_expect_float_eq(f.load_week[w], 20.0 * (w + 1), 1e-12);
    }
    cr_expect_float_eq(f.handed_per_manager_week, 1100.0 / 10, 1e-12);
    facts_free(&f);
    hist_free(h);
}

/* A mixed history: every lead in one status, one week, one channel
 * column, one weekday x hour cell; KM leaves disqualified leads out and
 * censors the others never called. */
Test(facts, every_lead_is_counted_once)
{
    struct history *h = hist_new(2, 3, 3 * 168.0 + 24);
    static const unsigned statuses[] = {HISTORY_WON, HISTORY_QUALIFIED, HISTORY_LOST,
                                        HISTORY_DISQUALIFIED, HISTORY_OPEN};
    size_t n = 0;
    for (double t = 0.5; t < h->horizon_h; t += 3.7, n++) {
        unsigned st = statuses[n % 5];
        unsigned r = st == HISTORY_LOST ? (unsigned)((n / 5) % (HISTORY_REASON_OTHER + 1))
                                        : HISTORY_REASON_NONE;
        uint32_t c = n % 7 == 0 ? HISTORY_NONE : (uint32_t)(n % 2);
        hist_add(h, t, c, (uint32_t)(n % 3), st, r);
    }
    struct facts f;
    facts_compute(h, &f);
    cr_assert_eq(f.n, n);
    size_t sum = 0, cells = 0, chan = 0, weeks = 0, reasons = 0;
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        sum += f.status[s];
    for (unsigned d = 0; d < 7; d++)
        for (unsigned k = 0; k < 24; k++)
            cells += f.arrivals[d][k];
    cr_expect(f.unnamed);
    cr_assert_eq(f.n_channels, 3);
    for (size_t c = 0; c < f.n_channels; c++) {
        size_t cw = 0;
        for (size_t w = 0; w < f.n_weeks; w++)
            cw += f.leads_week[w * f.n_channels + c];
        cr_expect_eq(cw, f.channel_leads[c]);
        chan += f.channel_leads[c];
    }
    for (size_t w = 0; w < f.n_weeks; w++) {
        weeks += f.handed_week[w];
        size_t rw = 0;
        for (unsigned r = 0; r < HISTORY_REASONS; r++)
            rw += f.reason_week[w * HISTORY_REASONS + r];
        cr_expect_eq(rw, f.lost_week[w]);
    }
    for (unsigned r = 0; r < HISTORY_REASONS; r++)
        reasons += f.reason[r];
    cr_expect_eq(sum, n);
    cr_expect_eq(cells, n);
    cr_expect_eq(chan, n);
    cr_expect_eq(reasons, n);
    cr_expect_eq(weeks, n - f.status[HISTORY_DISQUALIFIED]);
    cr_expect_eq(f.n_weeks, 4);
    cr_expect_eq(f.n_complete, 3);
    /* KM: all but the disqualified; the open ones and the abandoned lost
     * ones censored. */
    cr_expect_eq(f.km.at_risk, n - f.status[HISTORY_DISQUALIFIED]);
    size_t abandoned = 0;
    for (size_t i = 0; i < h->n; i++)
        abandoned += h->lead[i].status == HISTORY_LOST && h->lead[i].reason == JUNK_ABANDONED;
    cr_expect_eq(f.km.censored, f.status[HISTORY_OPEN] + abandoned);
    cr_expect_float_eq(f.junk_rate, (double)f.status[HISTORY_LOST] /
                       (double)(f.status[HISTORY_LOST] + f.status[HISTORY_WON] +
                                f.status[HISTORY_QUALIFIED]), 1e-12);
    /* Every contacted lead waited exactly one hour. */
    cr_expect_eq(f.km.quantile[0], 1.0);

    /* facts.json: the status counts add up to the leads. */
    cJSON *j = facts_json(h, &f, NULL);
    const cJSON *counts = cJSON_GetObjectItem(j, "counts");
    double total = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(counts, "status"))
        total += v->valuedouble;
    cr_expect_eq(total, cJSON_GetObjectItem(counts, "leads")->valuedouble);
    cr_expect_eq(cJSON_GetObjectItem(counts, "parsed")->valuedouble, (double)n);
    cJSON_Delete(j);
    facts_free(&f);
    hist_free(h);
}

/* Owners' weeks: from the managers file when given, else from their
 * leads; a hire starts after week 0, a leaver ends before the last. */
Test(facts, owners_first_and_last_weeks)
{
    struct history *h = hist_new(1, 3, 6 * 168.0);
    h->owner[2].start_h = 2 * 168.0 + 5;        /* hired in week 2 */
    h->owner[2].end_h = NAN;
    for (int w = 0; w < 6; w++)
        for (int i = 0; i < 10; i++)
            hist_add(h, 168.0 * w + i, 0, w < 4 ? (uint32_t)(i % 2) : 0, HISTORY_WON,
                     HISTORY_REASON_NONE);
    struct facts f;
    facts_compute(h, &f);
    cr_expect_eq(f.owner[0].first_week, 0);
    cr_expect_eq(f.owner[0].last_week, 5);
    cr_expect_eq(f.owner[1].last_week, 3);
    cr_expect(f.owner[1].left && !f.owner[1].hired);
    cr_expect_eq(f.owner[2].first_week, 2);
    cr_expect_eq(f.owner[2].last_week, 5);
    cr_expect(f.owner[2].hired && !f.owner[2].left);
    size_t expected[6] = {2, 2, 3, 3, 2, 2};
    for (size_t w = 0; w < 6; w++)
        cr_expect_eq(f.managers_week[w], expected[w], "week %zu: %zu", w, f.managers_week[w]);
    facts_free(&f);
    hist_free(h);
}

/* ---- the draft scenario ------------------------------------------------------------- */

static struct scn_doc *draft_doc(const struct history *h, const struct facts *f,
                                 struct scenario *scn)
{
    cJSON *d = draft_scenario(h, f, "a draft");
    char *text = cJSON_Print(d);
    cJSON_Delete(d);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(text, "draft.json", &err);
    free(text);
    cr_assert_not_null(doc, "%s", err.msg);
    cr_assert_eq(scn_doc_compile(doc, scn, &err), SIM_OK, "%s", err.msg);
    return doc;
}

Test(facts, the_draft_compiles_with_the_measured_rates)
{
    struct history *h = load_history();
    h->origin.dated = true;
    h->origin.date = sim_date_from_ymd(2025, 3, 5);    /* a Wednesday */
    /* Some reached leads stated theorist and bad fit: in week 9, of the
     * lost ones, 10 theorists and 20 bad fits (channel 0 and 1 alike). */
    size_t reached = 0, theorist = 0, bad_fit = 0;
    for (size_t i = 0, k = 0; i < h->n; i++) {
        struct history_lead *l = &h->lead[i];
        if (l->status == HISTORY_LOST && l->created_h >= 9 * 168.0 && l->channel == 0) {
            if (k < 10)
                l->reason = JUNK_THEORIST;
            else if (k < 30)
                l->reason = JUNK_BAD_FIT;
            k++;
        }
        if (l->channel == 0) {
            reached += 1;
            theorist += l->reason == JUNK_THEORIST;
            bad_fit += l->reason == JUNK_BAD_FIT;
        }
    }
    struct facts f;
    facts_compute(h, &f);
    struct scenario *scn = malloc(sizeof *scn);
    struct scn_doc *doc = draft_doc(h, &f, scn);
    cr_expect_eq(scn->n_channels, 2);
    cr_expect_float_eq(scn->horizon_days, 70.0, 1e-9);
    double v;
    struct sim_err err = {0};
    for (size_t c = 0; c < 2; c++) {
        char path[64];
        snprintf(path, sizeof path, "channels[%zu].arrivals.per_week", c);
        cr_assert_eq(scn_doc_get_number(doc, path, &v, &err), SIM_OK, "%s", err.msg);
        cr_expect_float_eq(v, (double)f.channel_leads[c] / 10.0, 1e-9);
    }
    cr_assert_eq(scn_doc_get_number(doc, "channels[0].theorist_share", &v, &err), SIM_OK);
    cr_expect_float_eq(v, (double)theorist / (double)reached, 1e-3);
    cr_assert_eq(scn_doc_get_number(doc, "channels[0].fit_share", &v, &err), SIM_OK);
    cr_expect_float_eq(v, 1 - (double)bad_fit / (double)(reached - theorist), 1e-3);
    /* The weekday weights: leads a day of that weekday.  The leads are
     * spread evenly over each week, so each weekday's weight is its leads
     * over its days; the sum of leads over the weights' days is n. */
    cr_assert_eq(scn_doc_get_number(doc, "team[0].count", &v, &err), SIM_OK);
    cr_expect_eq(v, 1);
    scn_doc_free(doc);
    free(scn);
    facts_free(&f);
    hist_free(h);
}

/* A group that hires in one week and loses a manager in another: day-0
 * count, one hires entry, one leaves entry. */
Test(facts, the_draft_team_holds_hires_and_leaves)
{
    struct history *h = hist_new(1, 4, 8 * 168.0);
    h->owner[3].start_h = 3 * 168.0;     /* hired, week 3 */
    for (int w = 0; w < 8; w++)
        for (int i = 0; i < 12; i++) {
            uint32_t o = (uint32_t)(i % 3);
            if (o == 2 && w >= 5)
                o = 0;              /* m2 leaves after week 4 */
            hist_add(h, 168.0 * w + 10 * i, 0, o, HISTORY_WON, HISTORY_REASON_NONE);
        }
    struct facts f;
    facts_compute(h, &f);
    struct scenario *scn = malloc(sizeof *scn);
    struct scn_doc *doc = draft_doc(h, &f, scn);
    double v;
    struct sim_err err = {0};
    cr_assert_eq(scn_doc_get_number(doc, "team[0].count", &v, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(v, 3);
    cr_assert_eq(scn_doc_get_number(doc, "team[0].hires.count", &v, &err), SIM_OK, "%s",
                 err.msg);
    cr_expect_eq(v, 1);
    cr_assert_eq(scn_doc_get_number(doc, "team[0].hires.start", &v, &err), SIM_OK);
    cr_expect_eq(v, 21);
    cr_assert_eq(scn_doc_get_number(doc, "team[0].leaves.on", &v, &err), SIM_OK);
    cr_expect_eq(v, 35);
    scn_doc_free(doc);
    free(scn);
    facts_free(&f);
    hist_free(h);
}

/* The profile's weights reproduce the arrivals: a channel whose leads
 * all come on Tuesdays at 10:00 gets weight only there. */
Test(facts, the_draft_profile_is_where_the_leads_came)
{
    struct history *h = hist_new(1, 1, 4 * 168.0);   /* undated: day 0 a Monday */
    for (int w = 0; w < 4; w++)
        for (int i = 0; i < 5; i++)
            hist_add(h, 168.0 * w + 24 + 10 + 0.1 * i, 0, 0, HISTORY_OPEN,
                     HISTORY_REASON_NONE);
    struct facts f;
    facts_compute(h, &f);
    cr_expect_eq(f.arrivals[1][10], 20);
    cJSON *d = draft_scenario(h, &f, "tuesdays");
    const cJSON *prof = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(d, "channels"), 0), "arrivals"), "profile");
    const cJSON *wd = cJSON_GetObjectItem(prof, "weekday"), *hr = cJSON_GetObjectItem(prof, "hour");
    for (int k = 0; k < 7; k++)
        cr_expect_eq(cJSON_GetArrayItem(wd, k)->valuedouble, k == 1 ? 5.0 : 0.0);
    for (int k = 0; k < 24; k++)
        cr_expect_eq(cJSON_GetArrayItem(hr, k)->valuedouble, k == 10 ? 20.0 : 0.0);
    cJSON_Delete(d);
    facts_free(&f);
    hist_free(h);
}

/* A dated history's draft, written to a directory and loaded from there
 * as `funnelsim run` would: each channel replays its own leads' creation
 * times (to the second: the times here are whole seconds), the interest
 * decays exponentially (so fit's default keys hold its half-life),
 * max_attempts is the most attempts of a lead lost as unreachable and the
 * win rate is won / (won + qualified). */
Test(facts, the_dated_draft_replays_the_history)
{
    struct history *h = hist_new(2, 2, 6 * 168.0);
    h->origin.dated = true;
    h->origin.date = sim_date_from_ymd(2025, 3, 5);
    size_t won = 0, qual = 0;
    unsigned most_unreach = 0;
    for (int i = 0; i < 300; i++) {
        /* Uneven: a burst in week 2 on channel 1, as a campaign's. */
        double t = i * (6 * 168.0 - 1) / 300.0;
        t = floor(t * 3600.0) / 3600.0;
        uint32_t c = (uint32_t)(i % 3 == 0 || (t >= 336 && t < 504) ? 1 : 0);
        unsigned st = i % 5 == 0 ? HISTORY_WON : i % 5 == 1 ? HISTORY_QUALIFIED
                    : i % 5 == 2 ? HISTORY_LOST : HISTORY_OPEN;
        unsigned r = st == HISTORY_LOST ? (i % 2 ? JUNK_UNREACHABLE : JUNK_WENT_COLD)
                                        : HISTORY_REASON_NONE;
        struct history_lead *l = hist_add(h, t, c, (uint32_t)(i % 2), st, r);
        /* Unreachable leads 1..4 attempts; others up to 7 (not counted). */
        l->attempts = (uint16_t)(r == JUNK_UNREACHABLE ? 1 + i % 4 : 1 + i % 7);
        if (r == JUNK_UNREACHABLE && l->attempts > most_unreach)
            most_unreach = l->attempts;
        won += st == HISTORY_WON;
        qual += st == HISTORY_QUALIFIED;
    }
    struct facts f;
    facts_compute(h, &f);
    char dir[] = "/tmp/funnelsim-draft-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    struct sim_err err = {0};
    cr_assert_eq(draft_write(h, &f, "dated", dir, &err), SIM_OK, "%s", err.msg);
    char path[256];
    snprintf(path, sizeof path, "%s/scenario.json", dir);
    struct scn_doc *doc = scn_doc_load(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    struct scenario *scn = malloc(sizeof *scn);
    cr_assert_eq(scn_doc_compile(doc, scn, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(scn->n_channels, 2);
    for (uint32_t c = 0; c < 2; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        cr_assert_eq(ch->kind, SCN_ARRIVALS_TRACE, "channel %u", c);
        cr_expect_eq(ch->trace_count, f.channel_leads[c], "channel %u: %zu replayed, %zu "
                     "leads", c, ch->trace_count, f.channel_leads[c]);
        cr_expect_eq(ch->trace_outside, 0);
        size_t k = ch->trace_first;
        for (size_t i = 0; i < h->n; i++) {
            if (h->lead[i].channel != c)
                continue;
            cr_assert_lt(k, ch->trace->n);
            double t = trace_hours(ch->trace, k++, scn->start_date.date);
            cr_expect_float_eq(t, h->lead[i].created_h, 1e-9, "lead %zu: %.9g h, replayed "
                               "%.9g h", i, h->lead[i].created_h, t);
        }
    }
    cr_expect(scn->decay.type == &decay_exponential);
    cr_expect_gt(scn->decay.half_life_hours, 0);
    cr_expect_eq(scn->contact.max_attempts, most_unreach);
    cr_expect_float_eq(scn->sales.win_rate, (double)won / (double)(won + qual), 1e-3);
    /* As `fit` writes it elsewhere (FIT/scenario.json), for a directory
     * it cannot resolve: the traces named absolutely, so it compiles from
     * there with the same arrivals.  (A FIT that exists gets relative
     * paths: tests/test_fit_paths.c.) */
    cr_assert_eq(fit_doc_relative_traces(doc, scn, "/nonexistent-fit-dir", &err), SIM_OK, "%s",
                 err.msg);
    char *text = scn_doc_print(doc);
    struct scn_doc *moved = scn_doc_parse(text, "/nonexistent-fit-dir/scenario.json", &err);
    free(text);
    cr_assert_not_null(moved, "%s", err.msg);
    struct scenario *scn2 = malloc(sizeof *scn2);
    cr_assert_eq(scn_doc_compile(moved, scn2, &err), SIM_OK, "%s", err.msg);
    for (unsigned c = 0; c < 2; c++) {
        cr_expect_eq(scn2->channels[c].trace_file[0], '/');
        cr_expect_eq(scn2->channels[c].trace_count, scn->channels[c].trace_count);
    }
    free(scn2);
    scn_doc_free(moved);
    scn_doc_free(doc);
    free(scn);
    facts_free(&f);
    hist_free(h);
    const char *files[] = {"scenario.json", "arrivals-0.csv", "arrivals-1.csv"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Contacts only Monday to Thursday, 08:00 to 13:59: the draft's calendar
 * is business, 6 hours from 08:00, 4 days a week. */
Test(facts, the_draft_calendar_is_when_contacts_began)
{
    struct history *h = hist_new(1, 1, 5 * 168.0);   /* undated: day 0 a Monday */
    for (int w = 0; w < 4; w++)
        for (int d = 0; d < 7; d++)
            for (int k = 0; k < 8; k++) {
                /* Created at any hour of any day; called the next week. */
                struct history_lead *l = hist_add(h, 168.0 * w + 24.0 * d + 3 * k, 0, 0,
                                                  HISTORY_WON, HISTORY_REASON_NONE);
                l->first_contact_h = 168.0 * (w + 1) + 24.0 * (k % 4) + 8 + (d + k) % 6 + 0.5;
                l->closed_h = l->first_contact_h + 1;
            }
    struct facts f;
    facts_compute(h, &f);
    struct scenario *scn = malloc(sizeof *scn);
    struct scn_doc *doc = draft_doc(h, &f, scn);
    cr_expect(scn->calendar.business);
    cr_expect_float_eq(scn->calendar.start_hour, 8.0, 1e-12);
    cr_expect_float_eq(scn->calendar.hours_per_day, 6.0, 1e-12);
    cr_expect_eq(scn->calendar.days_per_week, 4);
    scn_doc_free(doc);
    free(scn);
    facts_free(&f);
    hist_free(h);
}

/* ---- the charts' table and scripts ----------------------------------------------- */

/* Each script plots/history_*.gp names its data columns c_NAME = N in the
 * order of plot_history_charts[] (the data files' '# columns:' line). */
Test(facts, the_chart_scripts_name_the_table_columns)
{
    for (unsigned c = 0; c < PLOT_HISTORY_CHARTS; c++) {
        const struct plot_chart_desc *d = &plot_history_charts[c];
        char name[64];
        snprintf(name, sizeof name, "%s.gp", d->name);
        char *text = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&text, &len);
        cr_assert(plot_chart_script_write(name, fp), "%s is not built in", name);
        fclose(fp);
        size_t k = 0;
        for (; d->columns[k] != NULL; k++) {
            char line[96];
            snprintf(line, sizeof line, "\nc_%s = %zu\n", d->columns[k], k + 1);
            cr_expect(strstr(text, line) != NULL, "%s lacks c_%s = %zu", name, d->columns[k],
                      k + 1);
        }
        const char *p = strstr(text, "\nc_");
        size_t defined = 0;
        for (; p != NULL; p = strstr(p + 1, "\nc_"))
            defined++;
        cr_expect_eq(defined, k, "%s defines %zu columns, the table %zu", name, defined, k);
        free(text);
    }
}
