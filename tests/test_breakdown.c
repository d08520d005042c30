/*
 * test_breakdown.c - results by channel and by group (models/breakdown.h).
 *
 * The breakdown must account for every lead the totals count: in every
 * replication the counts of the channels, and of the groups with
 * "unassigned", add up exactly to the totals, and every total rate is the
 * resolved-weighted mean of the channels' (and the groups') rates.  The
 * attribution must be right, not only complete: a channel whose leads never
 * fit (fit_share 0, theorist_share 0) has only bad_fit junk among its
 * reached leads (besides unreachable and abandoned, which come before any
 * conversation) and wins no deal, while the other channel keeps every
 * reason; leads never attempted are "unassigned" and are exactly the
 * abandoned ones.  Collecting the breakdown changes no result.  Then the
 * program: `run --out` writes by_channel.csv and by_group.csv in long form
 * and the JSON carries by_channel and by_group with every number of the
 * descriptor tables.
 *
 * The replications run through funnel_replicate() itself, on shortened
 * horizons of the shipped scenarios with their fixed seeds; the checks
 * are exact (counts are whole numbers held in doubles) or to 1e-12
 * relative for the weighted means and money.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "models/breakdown.h"
#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "tests/cli_harness.h"
#include "tests/funnel_harness.h"

#define REPS 3u
#define TOL 1e-12

/* One replication's totals and breakdown. */
struct one {
    double x[METRIC_COUNT];
    struct breakdown b;
};

static void replicate(const struct scenario *scn, unsigned rep, struct one *o)
{
    struct funnel_opts opts = {.breakdown = &o->b};
    struct sim_err err = {0};
    int rc = funnel_replicate(scn, rep, &opts, o->x, &err);
    cr_assert_eq(rc, SIM_OK, "%s replication %u: %s", scn->name, rep, err.msg);
}

static bool close_to(double a, double b)
{
    return fabs(a - b) <= TOL * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* A count behind a share: share x base, which must be a whole number. */
static double count_of(double share, double base)
{
    if (base == 0.0)
        return 0.0;
    double c = share * base;
    cr_expect(fabs(c - round(c)) < 1e-6, "share %.17g of %.0f is no whole count", share, base);
    return round(c);
}

/* The exact sums of one replication, channels and groups against totals. */
static void check_sums(const struct scenario *scn, const struct one *o, const char *where)
{
    static const struct {
        enum breakdown_channel_metric bc;
        enum metric_id total;
    } channel_counts[] = {
        {BC_GENERATED, METRIC_LEADS_GENERATED}, {BC_HANDED, METRIC_LEADS_HANDED},
        {BC_HELD_BACK, METRIC_HELD_BACK},       {BC_LOST, METRIC_LOST},
        {BC_RESOLVED, METRIC_RESOLVED},         {BC_JUNK, METRIC_JUNK},
        {BC_DEALS, METRIC_DEALS},
    };
    for (size_t k = 0; k < sizeof channel_counts / sizeof channel_counts[0]; k++) {
        double sum = 0.0;
        for (unsigned c = 0; c < scn->n_channels; c++)
            sum += o->b.channel[c][channel_counts[k].bc];
        cr_expect_eq(sum, o->x[channel_counts[k].total],
                     "%s: channels' %s add up to %.17g, total %.17g", where,
                     breakdown_channel_descs[channel_counts[k].bc].key, sum,
                     o->x[channel_counts[k].total]);
    }
    double resolved = o->x[METRIC_RESOLVED];
    /* Junk by reason, as counts: channels and groups. */
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        double total = count_of(o->x[metric_of_reason(r)], resolved);
        double by_channel = 0.0, by_group = 0.0;
        for (unsigned c = 0; c < scn->n_channels; c++)
            by_channel += count_of(o->b.channel[c][breakdown_channel_of_reason(r)],
                                   o->b.channel[c][BC_RESOLVED]);
        for (unsigned g = 0; g < breakdown_group_rows(scn); g++)
            by_group += count_of(o->b.group[g][breakdown_group_of_reason(r)],
                                 o->b.group[g][BG_WORKED]);
        cr_expect_eq(by_channel, total, "%s: %s junk by channel %.0f, total %.0f", where,
                     metric_descs[metric_of_reason(r)].key, by_channel, total);
        cr_expect_eq(by_group, total, "%s: %s junk by group %.0f, total %.0f", where,
                     metric_descs[metric_of_reason(r)].key, by_group, total);
    }
    static const struct {
        enum breakdown_group_metric bg;
        enum metric_id total;
    } group_counts[] = {
        {BG_WORKED, METRIC_RESOLVED}, {BG_JUNK, METRIC_JUNK}, {BG_DEALS, METRIC_DEALS},
    };
    for (size_t k = 0; k < sizeof group_counts / sizeof group_counts[0]; k++) {
        double sum = 0.0;
        for (unsigned g = 0; g < breakdown_group_rows(scn); g++)
            sum += o->b.group[g][group_counts[k].bg];
        cr_expect_eq(sum, o->x[group_counts[k].total], "%s: groups' %s add up to %.17g, total %.17g",
                     where, breakdown_group_descs[group_counts[k].bg].key, sum,
                     o->x[group_counts[k].total]);
    }
    /* Money adds up too (sums of doubles in another order: to 1e-12). */
    static const struct {
        enum breakdown_channel_metric bc;
        enum metric_id total;
    } money[] = {
        {BC_REVENUE, METRIC_REVENUE}, {BC_SPEND, METRIC_MARKETING_SPEND},
        {BC_WASTED, METRIC_WASTED_SPEND}, {BC_TEAM_COST, METRIC_TEAM_COST},
        {BC_PROFIT, METRIC_PROFIT},
    };
    for (size_t k = 0; k < sizeof money / sizeof money[0]; k++) {
        double sum = 0.0;
        for (unsigned c = 0; c < scn->n_channels; c++)
            sum += o->b.channel[c][money[k].bc];
        cr_expect(close_to(sum, o->x[money[k].total]), "%s: channels' %s %.17g, total %.17g",
                  where, breakdown_channel_descs[money[k].bc].key, sum, o->x[money[k].total]);
    }
    double revenue = 0.0, cost = 0.0;
    for (unsigned g = 0; g < breakdown_group_rows(scn); g++) {
        revenue += o->b.group[g][BG_REVENUE];
        cost += o->b.group[g][BG_TEAM_COST];
    }
    cr_expect(close_to(revenue, o->x[METRIC_REVENUE]), "%s: groups' revenue %.17g, total %.17g",
              where, revenue, o->x[METRIC_REVENUE]);
    cr_expect(close_to(cost, o->x[METRIC_TEAM_COST]), "%s: groups' team cost %.17g, total %.17g",
              where, cost, o->x[METRIC_TEAM_COST]);
}

/* The total rates as weighted means of the rows' rates. */
static void check_means(const struct scenario *scn, const struct one *o, const char *where)
{
    double resolved = o->x[METRIC_RESOLVED];
    double junk_c = 0.0, junk_g = 0.0, wait_g = 0.0, reason_c[JUNK_REASONS] = {0};
    double lost = 0.0, door = 0.0;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const double *b = o->b.channel[c];
        if (b[BC_RESOLVED] > 0.0) {
            junk_c += b[BC_JUNK_RATE] * b[BC_RESOLVED];
            for (unsigned r = 0; r < JUNK_REASONS; r++)
                reason_c[r] += b[breakdown_channel_of_reason(r)] * b[BC_RESOLVED];
        }
        double at_door = b[BC_HANDED] + b[BC_HELD_BACK];
        if (at_door > 0.0) {
            lost += b[BC_LOST_RATE] * at_door;
            door += at_door;
        }
    }
    for (unsigned g = 0; g < breakdown_group_rows(scn); g++) {
        const double *b = o->b.group[g];
        if (b[BG_WORKED] > 0.0) {
            junk_g += b[BG_JUNK_RATE] * b[BG_WORKED];
            wait_g += b[BG_WAIT_MEAN] * b[BG_WORKED];
        }
    }
    cr_expect(close_to(junk_c / resolved, o->x[METRIC_JUNK_RATE]),
              "%s: resolved-weighted junk rate of the channels %.17g, total %.17g", where,
              junk_c / resolved, o->x[METRIC_JUNK_RATE]);
    cr_expect(close_to(junk_g / resolved, o->x[METRIC_JUNK_RATE]),
              "%s: resolved-weighted junk rate of the groups %.17g, total %.17g", where,
              junk_g / resolved, o->x[METRIC_JUNK_RATE]);
    cr_expect(close_to(wait_g / resolved, o->x[METRIC_WAIT_MEAN]),
              "%s: resolved-weighted mean wait of the groups %.17g, total %.17g", where,
              wait_g / resolved, o->x[METRIC_WAIT_MEAN]);
    cr_expect(close_to(lost / door, o->x[METRIC_LOST_RATE]),
              "%s: weighted lost rate of the channels %.17g, total %.17g", where, lost / door,
              o->x[METRIC_LOST_RATE]);
    for (unsigned r = 0; r < JUNK_REASONS; r++)
        cr_expect(close_to(reason_c[r] / resolved, o->x[metric_of_reason(r)]),
                  "%s: weighted %s of the channels %.17g, total %.17g", where,
                  metric_descs[metric_of_reason(r)].key, reason_c[r] / resolved,
                  o->x[metric_of_reason(r)]);
    /* Utilization: weighted by each group's hours for new leads. */
    double weight = 0.0, util = 0.0;
    for (unsigned g = 0; g < scn->n_groups; g++) {
        double w = scn->team[g].count * scn->team[g].new_lead_share;
        util += o->b.group[g][BG_UTILIZATION] * w;
        weight += w;
    }
    cr_expect(close_to(util / weight, o->x[METRIC_UTILIZATION]),
              "%s: weighted utilization of the groups %.17g, total %.17g", where,
              util / weight, o->x[METRIC_UTILIZATION]);
    /* Leads never attempted are the abandoned ones, and only they. */
    const double *u = o->b.group[scn->n_groups];
    cr_expect_eq(u[BG_JUNK], u[BG_WORKED], "%s: an unassigned lead that is not junk", where);
    cr_expect_eq(count_of(u[BG_JUNK_ABANDONED], u[BG_WORKED]),
                 count_of(o->x[METRIC_JUNK_ABANDONED], resolved),
                 "%s: unassigned leads are not the abandoned ones", where);
    cr_expect_eq(u[BG_DEALS], 0.0, "%s: a deal without an attempt", where);
}

/* Scenarios that reach every counter: two channels and two groups each,
 * per-manager and pool routing, a cap that holds leads back,
 * pre-qualification, audits, abandonment, team cost. */
static const char *const capped[] = {
    "handoff.max_backlog=30", "team[0].cost_per_month=9000", "team[1].cost_per_month=5000",
    NULL,
};
static const char *const pooled[] = {"routing=pool", "handoff.max_backlog=10", NULL};

Test(breakdown, counts_add_up_and_rates_are_weighted_means)
{
    static const struct {
        const char *file;
        const char *const *sets;
    } cases[] = {
        {"article-baseline.json", capped},
        {"article-baseline.json", pooled},
        {"article-seven-measures.json", NULL},
        {"default.json", NULL},
    };
    struct one *o = malloc(sizeof *o);
    cr_assert_not_null(o);
    double held_back = 0.0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct scenario scn;
        fh_short(cases[k].file, REPS, cases[k].sets, &scn);
        cr_assert_geq(scn.n_channels, 2u, "%s: needs two channels", cases[k].file);
        for (unsigned r = 0; r < REPS; r++) {
            char where[128];
            snprintf(where, sizeof where, "%s case %zu replication %u", cases[k].file, k, r);
            replicate(&scn, r, o);
            check_sums(&scn, o, where);
            check_means(&scn, o, where);
            held_back += o->x[METRIC_HELD_BACK];
        }
    }
    cr_expect_gt(held_back, 0.0, "no case held a lead back: the cap is not tested");
    free(o);
}

Test(breakdown, a_channel_that_never_fits_has_only_bad_fit_junk_when_reached)
{
    static const char *const sets[] = {
        "channels[1].fit_share=0", "channels[1].theorist_share=0", NULL,
    };
    struct scenario scn;
    fh_short("article-baseline.json", REPS, sets, &scn);
    struct one *o = malloc(sizeof *o);
    cr_assert_not_null(o);
    double other_reached_reasons = 0.0;
    for (unsigned r = 0; r < REPS; r++) {
        replicate(&scn, r, o);
        const double *w = o->b.channel[1];
        cr_assert_gt(w[BC_RESOLVED], 0.0, "the webinar channel resolved nothing");
        cr_expect_gt(w[BC_JUNK_BAD_FIT], 0.0, "replication %u: no bad_fit junk", r);
        static const enum breakdown_channel_metric never[] = {
            BC_JUNK_THEORIST, BC_JUNK_WENT_COLD, BC_JUNK_MISJUDGED,
        };
        for (size_t k = 0; k < sizeof never / sizeof never[0]; k++)
            cr_expect_eq(w[never[k]], 0.0, "replication %u: a lead that never fits is %s",
                         r, breakdown_channel_descs[never[k]].key);
        /* Every resolved lead is junk: bad fit once reached, unreachable
         * or abandoned otherwise. */
        cr_expect_eq(w[BC_JUNK_RATE], 1.0, "replication %u: junk rate %.17g", r,
                     w[BC_JUNK_RATE]);
        double parts = w[BC_JUNK_BAD_FIT] + w[BC_JUNK_UNREACHABLE] + w[BC_JUNK_ABANDONED];
        cr_expect(close_to(parts, 1.0), "replication %u: bad fit, unreachable and abandoned "
                  "make %.17g of the junk", r, parts);
        cr_expect_eq(w[BC_DEALS], 0.0, "replication %u: a deal from a lead that never fits", r);
        cr_expect_eq(w[BC_REVENUE], 0.0, "replication %u: revenue from that channel", r);
        /* The other channel, worked by the same team, shows the other
         * reasons: the attribution is by channel, not an artefact. */
        const double *web = o->b.channel[0];
        other_reached_reasons += web[BC_JUNK_THEORIST] + web[BC_JUNK_WENT_COLD] +
                                 web[BC_JUNK_MISJUDGED];
        check_sums(&scn, o, "fit_share 0");
    }
    cr_expect_gt(other_reached_reasons, 0.0, "the web channel has no theorist, cold or "
                 "misjudged junk either: the test cannot tell channels apart");
    free(o);
}

Test(breakdown, collecting_it_changes_no_result)
{
    struct scenario scn;
    fh_short("article-baseline.json", REPS, capped, &scn);
    struct one *o = malloc(sizeof *o);
    cr_assert_not_null(o);
    double plain[METRIC_COUNT];
    struct sim_err err = {0};
    for (unsigned r = 0; r < 2; r++) {
        replicate(&scn, r, o);
        cr_assert_eq(funnel_replicate(&scn, r, NULL, plain, &err), SIM_OK, "%s", err.msg);
        for (unsigned i = 0; i < METRIC_COUNT; i++)
            cr_expect(memcmp(&plain[i], &o->x[i], sizeof plain[i]) == 0,
                      "replication %u: %s is %.17g with the breakdown, %.17g without", r,
                      metric_descs[i].key, o->x[i], plain[i]);
    }
    free(o);
}

/* ---- the program's files ---------------------------------------------------- */

static const char *const short_run[] = {
    "run", "scenarios/article-baseline.json", "--reps", "3", "--jobs", "2", "--quiet",
    "--set", "horizon_days=42", "--set", "warmup_days=7", NULL,
};

/* The member of obj at a dotted key ("junk_by_reason.bad_fit"), or NULL. */
static const cJSON *dotted(const cJSON *obj, const char *key)
{
    char part[128];
    while (obj != NULL) {
        const char *dot = strchr(key, '.');
        if (dot == NULL)
            return cJSON_GetObjectItemCaseSensitive(obj, key);
        snprintf(part, sizeof part, "%.*s", (int)(dot - key), key);
        obj = cJSON_GetObjectItemCaseSensitive(obj, part);
        key = dot + 1;
    }
    return NULL;
}

/* Rows of a long-form breakdown CSV against the JSON's array `rows`. */
static void check_long_csv(const char *dir, const char *file, const char *first,
                           const cJSON *rows, const struct metric_desc *descs, unsigned n)
{
    char *path = harness_path(dir, file);
    size_t len;
    char *text = harness_read_file(path, &len);
    cr_assert_not_null(text, "run --out did not write %s", file);
    char *lines[4096];
    size_t n_lines = harness_split_lines(text, lines, 4096);
    char head[64];
    snprintf(head, sizeof head, "%s,metric,mean,lo,hi", first);
    cr_assert_str_eq(lines[0], head, "%s: header", file);
    int n_rows = cJSON_GetArraySize(rows);
    cr_assert_eq(n_lines, 1 + (size_t)n_rows * n, "%s: %zu lines for %d rows of %u numbers",
                 file, n_lines, n_rows, n);
    for (int row = 0; row < n_rows; row++) {
        const cJSON *item = cJSON_GetArrayItem(rows, row);
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
        cr_assert_not_null(name, "%s: row %d has no name", file, row);
        for (unsigned i = 0; i < n; i++) {
            const char *line = lines[1 + (size_t)row * n + i];
            char expect[256];
            snprintf(expect, sizeof expect, "%s,%s,", name, descs[i].key);
            cr_expect(strncmp(line, expect, strlen(expect)) == 0, "%s: line '%s', expected "
                      "'%s...'", file, line, expect);
            const cJSON *ci = dotted(item, descs[i].key);
            cr_assert_not_null(ci, "JSON %s[%d] has no %s", first, row, descs[i].key);
            const cJSON *mean = cJSON_GetObjectItem(ci, "mean");
            const cJSON *bounds = cJSON_GetObjectItem(ci, "ci95");
            cr_assert(mean != NULL && cJSON_GetArraySize(bounds) == 2,
                      "JSON %s[%d].%s is not {mean, ci95}", first, row, descs[i].key);
            if (cJSON_IsNumber(mean)) {
                double m = strtod(line + strlen(expect), NULL);
                cr_expect(fabs(m - mean->valuedouble) <= 1e-9 * fmax(1.0, fabs(m)),
                          "%s: %s of %s is %.17g in the CSV, %.17g in the JSON", file,
                          descs[i].key, name, m, mean->valuedouble);
            }
        }
    }
    free(text);
    free(path);
}

Test(breakdown, run_writes_it_as_json_and_long_csv)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *dir = harness_path(tmp, "out");
    const char *args[32];
    size_t n = 0;
    for (const char *const *a = short_run; *a != NULL; a++)
        args[n++] = *a;
    args[n++] = "--format";
    args[n++] = "json";
    args[n++] = "--out";
    args[n++] = dir;
    args[n] = NULL;
    struct harness_result r;
    harness_runv(&r, args);
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "stdout is not JSON");
    const cJSON *channels = cJSON_GetObjectItem(root, "by_channel");
    const cJSON *groups = cJSON_GetObjectItem(root, "by_group");
    cr_assert(cJSON_IsArray(channels) && cJSON_IsArray(groups), "no by_channel or by_group");
    cr_expect_eq(cJSON_GetArraySize(channels), 2, "article-baseline has two channels");
    cr_expect_eq(cJSON_GetArraySize(groups), 3, "two groups and unassigned");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(channels, 1),
                                                              "name")), "webinar");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(groups, 2),
                                                              "name")), BREAKDOWN_UNASSIGNED);
    check_long_csv(dir, "by_channel.csv", "channel", channels, breakdown_channel_descs,
                   BC_COUNT);
    check_long_csv(dir, "by_group.csv", "group", groups, breakdown_group_descs, BG_COUNT);

    /* The means of the channels' counts add up to the totals' means. */
    double generated = 0.0;
    for (int c = 0; c < cJSON_GetArraySize(channels); c++)
        generated += harness_number(harness_item(cJSON_GetArrayItem(channels, c),
                                                 "leads_generated"), "mean");
    double total = harness_number(root, "leads_generated");
    double reps = harness_number(root, "replications");
    cr_expect(fabs(generated - total / reps) <= 1e-9 * total, "channels generate %.17g a "
              "replication, the total is %.17g", generated, total / reps);

    /* The manifest lists both files, so that plot accepts the folder. */
    cJSON *manifest = harness_read_json(dir, "run.json");
    cr_assert_not_null(manifest);
    char *listed = cJSON_PrintUnformatted(cJSON_GetObjectItem(manifest, "files"));
    cr_expect(harness_contains(listed, "\"by_channel.csv\"") &&
              harness_contains(listed, "\"by_group.csv\""), "run.json lists %s", listed);
    free(listed);
    cJSON_Delete(manifest);
    cJSON_Delete(root);
    harness_free(&r);

    /* The table for people names the channels and groups. */
    harness_runv(&r, short_run);
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "By channel") && harness_contains(r.out, "webinar") &&
              harness_contains(r.out, "By group") && harness_contains(r.out, "novices"),
              "the table has no breakdown:\n%s", r.out);
    harness_free(&r);
    harness_rmtree(tmp);
    free(dir);
    free(tmp);
}

/* ---- the chart and the report (the plot suite: it may run gnuplot) ---------- */

/* junk_by_channel.dat holds a row per channel, named, whose reasons add up
 * to its junk rate; its .vars names the reasons by the descriptors'
 * labels; report.html has both tables.  Drawing needs gnuplot, the data
 * does not: without it `plot` exits 1 and the files are still written. */
Test(plot, junk_by_channel_and_the_report_tables)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *dir = harness_path(tmp, "out");
    const char *args[32];
    size_t n = 0;
    for (const char *const *a = short_run; *a != NULL; a++)
        args[n++] = *a;
    args[n++] = "--out";
    args[n++] = dir;
    args[n] = NULL;
    struct harness_result r;
    harness_runv(&r, args);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "plot", dir);
    cr_assert(r.exit_code == 0 || r.exit_code == 1, "%s", harness_describe(&r));
    harness_free(&r);

    char *path = harness_path(dir, "junk_by_channel.dat");
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "no junk_by_channel.dat");
    char *lines[64];
    size_t n_lines = harness_split_lines(text, lines, 64);
    size_t rows = 0;
    static const char *const names[] = {"web", "webinar"};
    for (size_t i = 0; i < n_lines; i++) {
        if (lines[i][0] == '#')
            continue;
        unsigned idx;
        char name[64];
        double v[9];
        int got = sscanf(lines[i], "%u \"%63[^\"]\" %lf %lf %lf %lf %lf %lf %lf %lf %lf", &idx,
                         name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]);
        cr_assert_eq(got, 11, "junk_by_channel.dat: row '%s'", lines[i]);
        cr_assert_lt(rows, 2u, "more rows than channels");
        cr_expect_eq(idx, rows, "row index %u", idx);
        cr_expect_str_eq(name, names[rows]);
        double sum = v[0] + v[1] + v[2] + v[3] + v[4] + v[5];
        cr_expect(fabs(sum - v[6]) < 1e-5 * fmax(1.0, v[6]), "%s: reasons add up to %.8g%%, "
                  "junk rate %.8g%%", name, sum, v[6]);
        cr_expect(v[7] <= v[6] && v[6] <= v[8], "%s: interval [%g, %g] misses %g", name, v[7],
                  v[8], v[6]);
        rows++;
    }
    cr_expect_eq(rows, 2u, "junk_by_channel.dat: %zu rows for two channels", rows);
    free(text);
    free(path);

    path = harness_path(dir, "junk_by_channel.vars");
    text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "no junk_by_channel.vars");
    for (unsigned k = 0; k < JUNK_REASONS; k++) {
        char want[128];
        const struct metric_desc *d = &breakdown_channel_descs[breakdown_channel_of_reason(k)];
        snprintf(want, sizeof want, "= '%s'\n", d->label);
        cr_expect(harness_contains(text, want), "the .vars do not name %s '%s':\n%s", d->key,
                  d->label, text);
    }
    cr_expect(!harness_contains(text, "channels["), "a JSON path in the chart:\n%s", text);
    free(text);
    free(path);

    path = harness_path(dir, "report.html");
    text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "no report.html");
    cr_expect(harness_contains(text, "<table id=\"by-channel\">") &&
              harness_contains(text, "<table id=\"by-group\">") &&
              harness_contains(text, "<th scope=\"row\">webinar</th>") &&
              harness_contains(text, "<th scope=\"row\">novices</th>") &&
              harness_contains(text, "<th scope=\"row\">" BREAKDOWN_UNASSIGNED "</th>"),
              "report.html lacks the breakdown's tables");
    cr_expect(harness_contains(text, "chart-junk_by_channel"), "report.html lacks the chart");
    free(text);
    free(path);
    harness_rmtree(tmp);
    free(dir);
    free(tmp);
}
