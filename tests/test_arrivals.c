/*
 * test_arrivals.c - the arrival stage (models/arrivals.h): weekly profiles,
 * campaigns, batch days, and the checks of their keys.
 *
 * The arrival stage is driven alone, by a small engine loop that records
 * every lead's time, channel and campaign (record()), through the same
 * calls the funnel makes.  Counts are compared with their Poisson means by
 * intervals at fixed seeds, and the hour-of-week counts with the profile
 * by Pearson's chi-square (gsl_cdf_chisq_Q); each statistical check has a
 * twin that a wrong rate must fail, so the test can fail.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>

#include "models/arrivals.h"
#include "models/funnel.h"
#include "models/scn_doc.h"
#include "sim/engine.h"
#include "sim/mem.h"

/* ---- scenarios ---------------------------------------------------------- */

/* A scenario with one channel whose arrivals object is `arrivals` (JSON),
 * `days` long. */
static void compile(struct scenario *out, double days, const char *arrivals)
{
    char text[4096];
    struct sim_err err = {0};
    snprintf(text, sizeof text,
             "{\"name\": \"a\", \"seed\": 7, \"horizon_days\": %g, \"warmup_days\": 0,"
             " \"channels\": [{\"name\": \"web\", \"cost_per_lead\": 10,"
             " \"arrivals\": %s}], \"team\": [{\"name\": \"t\", \"count\": 3}]}",
             days, arrivals);
    struct scn_doc *doc = scn_doc_parse(text, "arrivals.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    memset(out, 0, sizeof *out);
    int rc = scn_doc_compile(doc, out, &err);
    scn_doc_free(doc);
    cr_assert_eq(rc, SIM_OK, "%s", err.msg);
}

/* The message of the error compiling such a scenario gives, or NULL. */
static const char *refused(const char *arrivals, char *msg, size_t n)
{
    char text[4096];
    struct sim_err err = {0};
    static struct scenario s;
    snprintf(text, sizeof text,
             "{\"name\": \"a\", \"channels\": [{\"name\": \"web\", \"arrivals\": %s}],"
             " \"team\": [{\"name\": \"t\", \"count\": 3}]}", arrivals);
    struct scn_doc *doc = scn_doc_parse(text, "bad.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    int rc = scn_doc_compile(doc, &s, &err);
    scn_doc_free(doc);
    if (rc == SIM_OK)
        return NULL;
    cr_expect_eq(rc, SIM_ERR_INPUT);
    snprintf(msg, n, "%s", err.msg);
    return msg;
}

/* ---- the arrival stage alone ------------------------------------------- */

struct lead_rec {
    double t;
    unsigned c, k;
};

struct run {
    struct arrivals arr;
    struct lead_rec *lead;
    size_t n, cap;
};

static void add(struct run *r, double t, unsigned c, unsigned k)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->lead = sim_realloc(r->lead, r->cap * sizeof *r->lead);
    }
    r->lead[r->n++] = (struct lead_rec){t, c, k};
}

static void on_arrival(struct sim *sim, void *ctx, uint32_t obj)
{
    struct run *r = ctx;
    unsigned c, k;
    if (arrivals_arrival(&r->arr, obj, &c, &k))
        add(r, sim_now(sim), c, k);
}

static void on_batch(struct sim *sim, void *ctx, uint32_t obj)
{
    struct run *r = ctx;
    unsigned c, n = arrivals_batch(&r->arr, obj, &c);
    for (unsigned i = 0; i < n; i++)
        add(r, sim_now(sim), c, 0);
}

/* Every lead replication `rep` of scn creates, in time order (the funnel's
 * stream numbers: they start after the four of funnel.c). */
static void record(const struct scenario *scn, unsigned rep, struct run *r)
{
    struct sim sim;
    memset(r, 0, sizeof *r);
    sim_init(&sim, r);
    sim_on(&sim, 0, on_arrival);
    sim_on(&sim, 1, on_batch);
    arrivals_init(&r->arr, scn, rep, 4, &sim, 0, 1);
    arrivals_start(&r->arr);
    cr_assert(sim_run(&sim, scn->horizon_days * 24.0));
    arrivals_fini(&r->arr);
    sim_fini(&sim);
}

static void run_free(struct run *r)
{
    free(r->lead);
}

/* Whether n lies within the 99.9% interval of a Poisson count of mean mu. */
static bool poisson_ok(double n, double mu)
{
    return fabs(n - mu) <= 3.29 * sqrt(mu) + 1.0;
}

/* ---- profiles ----------------------------------------------------------- */

#define PROFILE "\"profile\": {\"weekday\": [1, 2, 3, 4, 5, 1, 0.5], \"hour\": " \
    "[0, 0, 0, 0, 0, 0, 1, 2, 4, 6, 6, 5, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1, 0.5, 0]}"

/* The chi-square p-value of the hour-of-week counts of r against the rates
 * of `expect` (leads an hour), over `weeks` weeks; hours of rate 0 must be
 * empty. */
static double chi_square_p(const struct run *r, const struct arrivals *expect,
                           double weeks, unsigned *empty_hits)
{
    double count[168] = {0}, stat = 0.0;
    unsigned bins = 0;
    for (size_t i = 0; i < r->n; i++)
        count[(unsigned)fmod(floor(r->lead[i].t), 168.0)] += 1.0;
    *empty_hits = 0;
    for (unsigned s = 0; s < 168; s++) {
        double base, total;
        arrivals_rate(expect, 0, s + 0.5, &base, &total);
        double e = total * weeks;
        if (e == 0.0) {
            *empty_hits += count[s] > 0.0;
            continue;
        }
        stat += (count[s] - e) * (count[s] - e) / e;
        bins++;
    }
    fprintf(stderr, "arrivals: chi-square %.1f on %u hours of the week, p = %.4g\n", stat,
            bins, gsl_cdf_chisq_Q(stat, bins));
    return gsl_cdf_chisq_Q(stat, bins);
}

Test(arrivals, hours_of_the_week_follow_the_profile)
{
    struct scenario shaped, flat;
    compile(&shaped, 7 * 40, "{\"kind\": \"poisson\", \"per_week\": 3000, " PROFILE "}");
    compile(&flat, 7 * 40, "{\"kind\": \"poisson\", \"per_week\": 3000}");
    struct run r;
    record(&shaped, 0, &r);
    struct arrivals want_shaped, want_flat;
    struct sim dummy;
    sim_init(&dummy, NULL);
    arrivals_init(&want_shaped, &shaped, 0, 4, &dummy, 0, 1);
    arrivals_init(&want_flat, &flat, 0, 4, &dummy, 0, 1);
    unsigned empty_hits;
    cr_expect_gt(chi_square_p(&r, &want_shaped, 40, &empty_hits), 0.001,
                 "the hours of the week do not follow the profile");
    cr_expect_eq(empty_hits, 0, "leads in hours of weight 0");
    /* The same counts against a flat week must be refused. */
    cr_expect_lt(chi_square_p(&r, &want_flat, 40, &empty_hits), 1e-9,
                 "a wrong profile passes the chi-square test");
    arrivals_fini(&want_shaped);
    arrivals_fini(&want_flat);
    sim_fini(&dummy);
    run_free(&r);
}

Test(arrivals, a_profile_keeps_the_weekly_total)
{
    struct scenario s;
    compile(&s, 7 * 30, "{\"kind\": \"poisson\", \"per_week\": 500, " PROFILE "}");
    double mu = 500.0 * 30;
    cr_expect_float_eq(arrivals_expected(&s, 0, 0.0, 30 * 168.0), mu, 1e-9 * mu);
    double total = 0.0;
    for (unsigned rep = 0; rep < 4; rep++) {
        struct run r;
        record(&s, rep, &r);
        total += (double)r.n;
        cr_expect(poisson_ok((double)r.n, mu), "rep %u: %zu leads, Poisson mean %g", rep,
                  r.n, mu);
        run_free(&r);
    }
    fprintf(stderr, "arrivals: %g leads in 4 x 30 weeks of 500 (mean %g)\n", total, 4 * mu);
    cr_expect(poisson_ok(total, 4 * mu));
    cr_expect(!poisson_ok(total, 4 * mu * 1.05), "5%% more leads would pass too");
}

/* A slow channel: most gaps cross many hours and some whole weeks, so the
 * inversion's long paths (a week in one step, the tables past the walk)
 * decide where leads land; the hours must still follow the profile. */
Test(arrivals, a_slow_channel_follows_the_profile)
{
    struct scenario shaped, flat;
    unsigned reps = 20;         /* 20 x 3,640 days (whole weeks): 10,400 weeks */
    double weeks = reps * 520.0;
    compile(&shaped, 3640, "{\"kind\": \"poisson\", \"per_week\": 5, " PROFILE "}");
    compile(&flat, 3640, "{\"kind\": \"poisson\", \"per_week\": 5}");
    struct run r = {0};
    for (unsigned rep = 0; rep < reps; rep++) {
        struct run one;
        record(&shaped, rep, &one);
        for (size_t i = 0; i < one.n; i++)
            add(&r, one.lead[i].t, one.lead[i].c, one.lead[i].k);
        run_free(&one);
    }
    struct arrivals want_shaped, want_flat;
    struct sim dummy;
    sim_init(&dummy, NULL);
    arrivals_init(&want_shaped, &shaped, 0, 4, &dummy, 0, 1);
    arrivals_init(&want_flat, &flat, 0, 4, &dummy, 0, 1);
    cr_expect(poisson_ok((double)r.n, 5.0 * weeks), "%zu leads, Poisson mean %g", r.n,
              5.0 * weeks);
    unsigned empty_hits;
    cr_expect_gt(chi_square_p(&r, &want_shaped, weeks, &empty_hits), 0.001,
                 "a slow channel's hours do not follow the profile");
    cr_expect_eq(empty_hits, 0, "leads in hours of weight 0");
    cr_expect_lt(chi_square_p(&r, &want_flat, weeks, &empty_hits), 1e-9,
                 "a wrong profile passes the chi-square test");
    arrivals_fini(&want_shaped);
    arrivals_fini(&want_flat);
    sim_fini(&dummy);
    run_free(&r);
}

/* The expected leads (the integral, by the week's tables and the
 * campaigns' segments) equal the rates summed hour by hour, from and to
 * times inside an hour, a profile and overlapping campaigns of both
 * kinds. */
Test(arrivals, expected_leads_are_the_integral_of_the_rate)
{
    struct scenario s;
    compile(&s, 120, "{\"kind\": \"poisson\", \"per_week\": 400, " PROFILE ", "
                     "\"campaigns\": [{\"name\": \"a\", \"from\": 9, \"to\": 40, "
                     "\"per_week\": 250}, {\"name\": \"b\", \"from\": 30, \"to\": 60, "
                     "\"multiplier\": 1.7}, {\"name\": \"c\", \"from\": 50, \"to\": 80, "
                     "\"multiplier\": 0.4}]}");
    struct arrivals a;
    struct sim dummy;
    sim_init(&dummy, NULL);
    arrivals_init(&a, &s, 0, 4, &dummy, 0, 1);
    double t0 = 100.25, t1 = 110 * 24.0 + 7.5, sum = 0.0;
    for (double h = floor(t0); h < t1; h += 1.0) {   /* rates hold on whole hours */
        double base, total, from = fmax(h, t0), to = fmin(h + 1.0, t1);
        arrivals_rate(&a, 0, h + 0.5, &base, &total);
        sum += total * (to - from);
    }
    double got = arrivals_expected(&s, 0, t0, t1);
    fprintf(stderr, "arrivals: expected %.6f, hour by hour %.6f\n", got, sum);
    cr_expect_float_eq(got, sum, 1e-9 * sum);
    arrivals_fini(&a);
    sim_fini(&dummy);
}

/* ---- campaigns ---------------------------------------------------------- */

Test(arrivals, extra_leads_come_within_the_window_at_their_mean)
{
    struct scenario s;
    compile(&s, 70, "{\"kind\": \"poisson\", \"per_week\": 100, \"campaigns\": ["
                    "{\"name\": \"spring\", \"from\": 14, \"to\": 27, \"per_week\": 700}]}");
    double extra = 0.0, base = 0.0;
    for (unsigned rep = 0; rep < 5; rep++) {
        struct run r;
        record(&s, rep, &r);
        for (size_t i = 0; i < r.n; i++) {
            if (r.lead[i].k == 0) {
                base++;
                continue;
            }
            extra++;
            cr_expect_eq(r.lead[i].k, 1);
            cr_expect(r.lead[i].t >= 14 * 24.0 && r.lead[i].t < 28 * 24.0,
                      "a campaign lead at hour %g, outside days 14..27", r.lead[i].t);
        }
        run_free(&r);
    }
    double mu = 5 * 700.0 * 2;      /* 5 runs of 14 days: 2 weeks each */
    fprintf(stderr, "arrivals: %g campaign leads (mean %g), %g base (mean %g)\n", extra,
            mu, base, 5 * 1000.0);
    cr_expect(poisson_ok(extra, mu));
    cr_expect(poisson_ok(base, 5 * 1000.0));
    cr_expect(!poisson_ok(extra, mu * 14.0 / 13.0), "a window a day short would pass too");
}

/* The channel's own leads are the same leads with and without campaigns:
 * extras and multipliers above 1 add leads from their own streams. */
Test(arrivals, base_leads_do_not_move_with_campaigns)
{
    struct scenario without, with;
    compile(&without, 56, "{\"kind\": \"poisson\", \"per_week\": 300, " PROFILE "}");
    compile(&with, 56, "{\"kind\": \"poisson\", \"per_week\": 300, " PROFILE ", "
                       "\"campaigns\": [{\"name\": \"a\", \"from\": 7, \"to\": 20, "
                       "\"per_week\": 200}, {\"name\": \"b\", \"from\": 10, \"to\": 30, "
                       "\"multiplier\": 1.5}]}");
    struct run r0, r1;
    record(&without, 3, &r0);
    record(&with, 3, &r1);
    size_t j = 0, by[3] = {0};
    for (size_t i = 0; i < r1.n; i++) {
        by[r1.lead[i].k]++;
        if (r1.lead[i].k != 0)
            continue;
        cr_assert_lt(j, r0.n);
        cr_expect_eq(r1.lead[i].t, r0.lead[j].t, "base lead %zu moved", j);
        j++;
    }
    cr_expect_eq(j, r0.n, "base leads lost or added");
    fprintf(stderr, "arrivals: %zu base leads shared; %zu from a, %zu from b\n", j, by[1],
            by[2]);
    cr_expect_gt(by[1], 0);
    cr_expect_gt(by[2], 0);
    run_free(&r0);
    run_free(&r1);
}

/* A multiplier below 1 keeps a subset of the same base leads: all of them
 * outside its window, about m of them inside. */
Test(arrivals, a_multiplier_below_one_thins_the_same_leads)
{
    struct scenario without, with;
    compile(&without, 42, "{\"kind\": \"poisson\", \"per_week\": 1000}");
    compile(&with, 42, "{\"kind\": \"poisson\", \"per_week\": 1000, \"campaigns\": ["
                       "{\"name\": \"quiet\", \"from\": 14, \"to\": 27, \"multiplier\": 0.25}]}");
    struct run r0, r1;
    record(&without, 0, &r0);
    record(&with, 0, &r1);
    size_t j = 0, inside = 0;
    for (size_t i = 0; i < r1.n; i++) {
        cr_expect_eq(r1.lead[i].k, 0, "a thinning campaign brings no leads of its own");
        while (j < r0.n && r0.lead[j].t < r1.lead[i].t) {
            cr_expect(r0.lead[j].t >= 14 * 24.0 && r0.lead[j].t < 28 * 24.0,
                      "a lead outside the window was dropped (hour %g)", r0.lead[j].t);
            j++;
        }
        cr_assert_lt(j, r0.n);
        cr_expect_eq(r1.lead[i].t, r0.lead[j].t, "a kept lead is not one of the base's");
        inside += r1.lead[i].t >= 14 * 24.0 && r1.lead[i].t < 28 * 24.0;
        j++;
    }
    fprintf(stderr, "arrivals: %zu leads kept in the quiet weeks (mean %g)\n", inside, 500.0);
    cr_expect(poisson_ok((double)inside, 0.25 * 2000));
    run_free(&r0);
    run_free(&r1);
}

/* Rates where campaigns overlap: extras add, multipliers multiply, and a
 * multiplier does not scale the extras. */
Test(arrivals, overlapping_campaigns_add_extras_and_multiply_multipliers)
{
    struct scenario s;
    compile(&s, 84, "{\"kind\": \"poisson\", \"per_week\": 168, \"campaigns\": ["
                    "{\"name\": \"x1\", \"from\": 7, \"to\": 20, \"per_week\": 336},"
                    "{\"name\": \"x2\", \"from\": 14, \"to\": 27, \"per_week\": 168},"
                    "{\"name\": \"m1\", \"from\": 35, \"to\": 48, \"multiplier\": 2},"
                    "{\"name\": \"m2\", \"from\": 42, \"to\": 55, \"multiplier\": 1.5},"
                    "{\"name\": \"m3\", \"from\": 49, \"to\": 62, \"multiplier\": 0.25},"
                    "{\"name\": \"off\", \"from\": 0, \"to\": 83, \"per_week\": 999,"
                    " \"enabled\": false}]}");
    struct sim dummy;
    struct arrivals a;
    sim_init(&dummy, NULL);
    arrivals_init(&a, &s, 0, 4, &dummy, 0, 1);
    static const struct {
        double day, total;
    } want[] = {
        {0.5, 1.0},  {7.5, 3.0},  {14.5, 4.0}, {21.5, 2.0}, {28.5, 1.0},  {35.5, 2.0},
        {42.5, 3.0}, {49.5, 1.5 * 0.25}, {56.5, 0.25}, {63.5, 1.0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        double base, total;
        arrivals_rate(&a, 0, want[i].day * 24.0, &base, &total);
        cr_expect_float_eq(base, 1.0, 1e-12);
        cr_expect_float_eq(total, want[i].total, 1e-12, "day %g: %g leads an hour, want %g",
                           want[i].day, total, want[i].total);
    }
    /* The last day of a campaign is in, the next is out. */
    double base, t20, t21;
    arrivals_rate(&a, 0, 20 * 24.0 + 23.99, &base, &t20);
    arrivals_rate(&a, 0, 21 * 24.0, &base, &t21);
    cr_expect_float_eq(t20, 4.0, 1e-12);
    cr_expect_float_eq(t21, 2.0, 1e-12);
    arrivals_fini(&a);
    sim_fini(&dummy);

    /* The counts follow: attribution in proportion to each one's part. */
    double by[7] = {0};
    for (unsigned rep = 0; rep < 4; rep++) {
        struct run r;
        record(&s, rep, &r);
        for (size_t i = 0; i < r.n; i++)
            by[r.lead[i].k]++;
        run_free(&r);
    }
    cr_expect(poisson_ok(by[1], 4 * 336.0 * 2), "x1: %g", by[1]);
    cr_expect(poisson_ok(by[2], 4 * 168.0 * 2), "x2: %g", by[2]);
    /* m1 alone for 7 days (+1), with m2 for 7 days (+2 shared 1:0.5), with
     * m2 and m3 nothing extra (0.375). */
    cr_expect(poisson_ok(by[3], 4 * 24.0 * (7 * 1.0 + 7 * 2.0 * 1.0 / 1.5)), "m1: %g", by[3]);
    cr_expect(poisson_ok(by[4], 4 * 24.0 * (7 * 2.0 * 0.5 / 1.5 + 0.0)), "m2: %g", by[4]);
    cr_expect_eq(by[5], 0.0, "a multiplier below 1 brings no leads");
    cr_expect_eq(by[6], 0.0, "a disabled campaign brings leads");
}

/* The transient test's case: on a flat channel, multiplier 2 over two days
 * doubles the rate on exactly those 48 hours. */
Test(arrivals, multiplier_two_doubles_the_rate_for_two_days)
{
    struct scenario s;
    compile(&s, 14, "{\"kind\": \"poisson\", \"per_week\": 336, \"campaigns\": ["
                    "{\"name\": \"burst\", \"from\": 3, \"to\": 4, \"multiplier\": 2}]}");
    struct sim dummy;
    struct arrivals a;
    sim_init(&dummy, NULL);
    arrivals_init(&a, &s, 0, 4, &dummy, 0, 1);
    for (double t = 0.0; t < 14 * 24.0; t += 0.5) {
        double base, total;
        arrivals_rate(&a, 0, t, &base, &total);
        bool in = t >= 72.0 && t < 120.0;
        cr_expect_eq(total, in ? 4.0 : 2.0, "hour %g: rate %g", t, total);
    }
    arrivals_fini(&a);
    sim_fini(&dummy);
    cr_expect_float_eq(arrivals_expected(&s, 0, 0.0, 14 * 24.0), 2.0 * 336 + 2.0 * 48,
                       1e-9);
}

/* ---- batches ------------------------------------------------------------ */

Test(arrivals, batch_on_days)
{
    struct scenario only, both;
    compile(&only, 28, "{\"kind\": \"batch\", \"size\": 50, \"on\": [3, 10, 40]}");
    compile(&both, 28, "{\"kind\": \"batch\", \"size\": 20, \"every_days\": 7, "
                       "\"first_day\": 1, \"on\": [1, 5]}");
    struct run r;
    record(&only, 0, &r);
    cr_expect_eq(r.n, 100, "two batches of 50 within 28 days (day 40 is past it)");
    for (size_t i = 0; i < r.n; i++)
        cr_expect(r.lead[i].t == arrivals_batch_day_time(&only, i < 50 ? 3 : 10));
    run_free(&r);
    record(&both, 0, &r);
    /* Days 1, 8, 15, 22 of the series, and 1 and 5: day 1 twice. */
    cr_expect_eq(r.n, 6 * 20);
    size_t on_day1 = 0;
    for (size_t i = 0; i < r.n; i++)
        on_day1 += r.lead[i].t == arrivals_batch_day_time(&both, 1);
    cr_expect_eq(on_day1, 40);
    run_free(&r);
    cr_expect_float_eq(arrivals_expected(&both, 0, 0.0, 28 * 24.0), 120.0, 1e-12);
}

/* ---- the funnel and its nominal figures --------------------------------- */

Test(arrivals, nominal_inflow_averages_campaigns_over_the_window)
{
    struct scenario s;
    compile(&s, 182, "{\"kind\": \"poisson\", \"per_week\": 500, \"campaigns\": ["
                     "{\"name\": \"spring\", \"from\": 60, \"to\": 87, \"multiplier\": 2,"
                     " \"cost_per_lead\": 30}]}");
    s.warmup_days = 28;
    /* 22 weeks measured, 4 of them doubled. */
    cr_expect_float_eq(funnel_inflow_per_week(&s), (500.0 * 22 + 500.0 * 4) / 22, 1e-9);
    s.channels[0].campaigns[0].enabled = false;
    cr_expect_eq(funnel_inflow_per_week(&s), 500.0);
}

/* In the whole funnel, campaign leads cost the campaign's price. */
Test(arrivals, campaign_leads_cost_their_own_price)
{
    struct scenario s;
    compile(&s, 56, "{\"kind\": \"poisson\", \"per_week\": 100, \"campaigns\": ["
                    "{\"name\": \"fair\", \"from\": 7, \"to\": 13, \"per_week\": 300,"
                    " \"cost_per_lead\": 1000}]}");
    double x[METRIC_COUNT];
    struct sim_err err = {0};
    cr_assert_eq(funnel_replicate(&s, 0, NULL, x, &err), SIM_OK, "%s", err.msg);
    double spend = x[METRIC_MARKETING_SPEND], n = x[METRIC_LEADS_GENERATED];
    /* spend = 10 n_base + 1000 n_campaign, n = n_base + n_campaign */
    double campaign = (spend - 10.0 * n) / 990.0;
    fprintf(stderr, "arrivals: %g leads, %g of them the campaign's (mean 300)\n", n, campaign);
    cr_expect_float_eq(campaign, round(campaign), 1e-6, "not a whole number of leads");
    cr_expect(poisson_ok(campaign, 300.0));
}

/* ---- the keys' rules ---------------------------------------------------- */

Test(arrivals, bad_keys_are_refused_with_their_path)
{
    char m[512];
    static const struct {
        const char *arrivals, *want;
    } bad[] = {
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": [{\"name\": \"a\", "
         "\"from\": 9, \"to\": 3, \"per_week\": 5}]}",
         "channels[0].arrivals.campaigns[0].to: must be on or after from"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": [{\"name\": \"a\", "
         "\"from\": 1, \"to\": 3, \"per_week\": 5, \"multiplier\": 2}]}",
         "channels[0].arrivals.campaigns[0]: needs exactly one"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": [{\"name\": \"a\", "
         "\"from\": 1, \"to\": 3}]}", "needs exactly one"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": [{\"name\": \"a\", "
         "\"from\": 1, \"to\": 3, \"multiplier\": 0}]}",
         "campaigns[0].multiplier: must be > 0"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": [{\"name\": \"a\", "
         "\"from\": 1, \"to\": 3, \"per_week\": 5}, {\"name\": \"a\", \"from\": 1, "
         "\"to\": 3, \"per_week\": 5}]}", "campaigns[1].name: duplicate name"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"profile\": {\"weekday\": "
         "[0, 0, 0, 0, 0, 0, 0]}}", "profile.weekday: the weights must not all be 0"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"profile\": {\"hour\": [1, 2]}}",
         "profile.hour: must be a list of 24 weights"},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"profile\": {\"weekday\": "
         "[1, 1, 1, -1, 1, 1, 1]}}", "profile.weekday[3]: must be"},
        {"{\"kind\": \"batch\", \"size\": 5}", "needs every_days, on, or both"},
        {"{\"kind\": \"batch\", \"size\": 5, \"on\": [2.5]}", "arrivals.on[0]: must be a whole"},
        {"{\"kind\": \"batch\", \"size\": 5, \"every_days\": 7, \"campaigns\": []}",
         "campaigns: only with kind \"poisson\""},
        {"{\"kind\": \"poisson\", \"per_week\": 1, \"on\": [1]}", "on: only with kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = refused(bad[i].arrivals, m, sizeof m);
        cr_expect_not_null(msg, "accepted: %s", bad[i].arrivals);
        if (msg != NULL)
            cr_expect(strstr(msg, bad[i].want) != NULL, "%s\n  want: %s", msg, bad[i].want);
    }
    cr_expect_null(refused("{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": "
                           "[{\"name\": \"a\", \"from\": 3, \"to\": 3, \"multiplier\": 0.5}]}",
                           m, sizeof m), "a one-day campaign: %s", m);
}

/* A campaign's lead takes the channel's attributes where it sets none. */
Test(arrivals, campaigns_inherit_the_channels_attributes)
{
    struct scenario s;
    compile(&s, 28, "{\"kind\": \"poisson\", \"per_week\": 1, \"campaigns\": ["
                    "{\"name\": \"a\", \"from\": 1, \"to\": 2, \"per_week\": 5},"
                    "{\"name\": \"b\", \"from\": 1, \"to\": 2, \"per_week\": 5,"
                    " \"fit_share\": 0.25, \"cost_per_lead\": 7, \"temperature\": {\"cold\": 1}}]}");
    const struct scn_channel *ch = &s.channels[0];
    cr_expect_eq(arrivals_fit_share(&s, 0, 1), ch->fit_share);
    cr_expect_eq(scn_cost_per_lead(&s, 0, 1), 10.0);
    cr_expect_eq(ch->campaigns[0].temperature[SCN_HOT], 1.0);
    cr_expect_eq(arrivals_fit_share(&s, 0, 2), 0.25);
    cr_expect_eq(scn_cost_per_lead(&s, 0, 2), 7.0);
    cr_expect_eq(ch->campaigns[1].temperature[SCN_COLD], 1.0);
    cr_expect(ch->campaigns[0].enabled);
}

/* With a start_date the profile's weekdays are the real ones, and a
 * campaign's days may be dates. */
Test(arrivals, weekdays_and_days_follow_start_date)
{
    char text[1024];
    struct sim_err err = {0};
    struct scenario s;
    /* 2026-03-04 is a Wednesday: day 0. */
    snprintf(text, sizeof text,
             "{\"name\": \"a\", \"start_date\": \"2026-03-04\", \"horizon_days\": 28,"
             " \"warmup_days\": 0, \"channels\": [{\"name\": \"web\", \"arrivals\": {"
             "\"kind\": \"poisson\", \"per_week\": 700, \"profile\": {\"weekday\": "
             "[0, 0, 1, 0, 0, 0, 0]}, \"campaigns\": [{\"name\": \"c\", \"from\": "
             "\"2026-03-11\", \"to\": \"2026-03-11\", \"per_week\": 700}]}}],"
             " \"team\": [{\"name\": \"t\", \"count\": 3}]}");
    struct scn_doc *doc = scn_doc_parse(text, "dated.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    memset(&s, 0, sizeof s);
    cr_assert_eq(scn_doc_compile(doc, &s, &err), SIM_OK, "%s", err.msg);
    scn_doc_free(doc);
    cr_expect_eq(s.channels[0].campaigns[0].from_day, 7);
    struct run r;
    record(&s, 0, &r);
    size_t extra = 0;
    for (size_t i = 0; i < r.n; i++) {
        unsigned day = (unsigned)(r.lead[i].t / 24.0);
        cr_expect_eq(day % 7, 0, "a lead on day %u, not a Wednesday", day);
        extra += r.lead[i].k != 0;
        if (r.lead[i].k != 0)
            cr_expect_eq(day, 7);
    }
    cr_expect(poisson_ok((double)r.n - extra, 4 * 700.0));
    cr_expect(poisson_ok((double)extra, 700.0), "%zu campaign leads on one Wednesday", extra);
    run_free(&r);
}
