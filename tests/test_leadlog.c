/*
 * test_leadlog.c - `run --leads FILE.csv`: the lead log agrees with the
 * results.
 *
 * The counts, each junk reason's rate, the deals, the revenue and the mean
 * wait are recomputed from the log over the measured window, with
 * result.json's definitions (metric.h: a lead is measured when handed at
 * or after the warm-up; generated and filtered leads when created then;
 * a held-back lead when lost then), per replication, and must equal
 * `run`'s JSON to 1e-9 (relative); the median and the 90th percentile of
 * the wait, read from a histogram by the program (sim/hist.h: a bin is
 * 1/64 of its power of two), within one bin of the log's sample
 * quantiles.  Every row's status and stated_reason follow from its
 * outcome and deal, and with start_date each date-time column is
 * start_date plus the hours of its _h column, to the second.  Also: every
 * row is in order (replication, then lead 0, 1, ...), the log is the same file whatever --jobs, and a bad path exits 2
 * naming the file and leaves nothing behind.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "models/leadlog.h"
#include "sim/date.h"
#include "tests/cli_harness.h"

enum col {
    C_REP, C_LEAD, C_CHANNEL, C_CREATED, C_HANDED, C_FIRST, C_RESOLVED, C_GROUP,
    C_MANAGER, C_ATTEMPTS, C_OUTCOME, C_DEAL, C_VALUE, C_WAITED, C_STATUS, C_STATED,
    C_COLS,
    /* only with start_date: the four times of C_CREATED.. as date-times */
    C_CREATED_AT = C_COLS, C_DATED_COLS = C_COLS + 4
};

/* One replication's figures, recomputed from the log. */
struct ll_rep {
    double generated, handed, resolved, junk, reason[JUNK_REASONS], qualified;
    double deals, revenue, wait_sum, unresolved, in_marketing, filtered, held_lost;
    double *waits;
    size_t n_waits, cap_waits;
};

/* Splits one CSV line (RFC 4180, no embedded newlines here) in place. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        cr_assert_lt(n, max, "too many fields");
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (p[0] == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (p[0] == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            *w = '\0';
        } else {
            f[n++] = p;
            p += strcspn(p, ",");
        }
        if (*p != ',') {
            *p = '\0';
            return n;
        }
        *p++ = '\0';
    }
}

static double num(const char *s)
{
    return *s ? strtod(s, NULL) : NAN;
}

static int outcome_of(const char *s)
{
    for (unsigned o = 0; o < LEADLOG_OUTCOMES; o++)
        if (strcmp(s, leadlog_outcome_name(o)) == 0)
            return (int)o;
    cr_assert_fail("unknown outcome %s", s);
    return -1;
}

/* What a CRM shows for outcome o with deal field `deal`, by the rules of
 * docs/model.md ("The lead log"), and that the row says so. */
static void check_status(const char *const *f, int o)
{
    const char *status, *stated = "";
    if (o < JUNK_REASONS) {
        status = "lost";
        stated = o == JUNK_MISJUDGED ? "went_cold" : leadlog_outcome_name((unsigned)o);
    } else if (o == LEADLOG_QUALIFIED) {
        status = strcmp(f[C_DEAL], "1") == 0 ? "won" : "qualified";
    } else if (o == LEADLOG_UNRESOLVED) {
        status = "open";
    } else {
        status = "disqualified";
        cr_assert_str_empty(f[C_FIRST], "a %s lead never met sales", f[C_OUTCOME]);
    }
    cr_assert_str_eq(f[C_STATUS], status, "lead %s (%s, deal '%s')", f[C_LEAD], f[C_OUTCOME],
                     f[C_DEAL]);
    cr_assert_str_eq(f[C_STATED], stated, "lead %s (%s)", f[C_LEAD], f[C_OUTCOME]);
}

/* The date-time columns say the same as the hours: date0 + hours, to the
 * nearest second (the hours are written to 1e-9: 3.6 us). */
static void check_dated(const char *const *f, int32_t date0)
{
    for (int i = 0; i < 4; i++) {
        const char *h = f[C_CREATED + i], *at = f[C_CREATED_AT + i];
        if (*h == '\0') {
            cr_assert_str_empty(at, "lead %s: no time, no date-time", f[C_LEAD]);
            continue;
        }
        int y, mo, d, hh, mm, ss, used = 0;
        cr_assert_eq(sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &hh, &mm, &ss, &used),
                     6, "lead %s: '%s'", f[C_LEAD], at);
        cr_assert(used == 19 && at[used] == '\0' && sim_date_valid(y, mo, d) && hh < 24 &&
                  mm < 60 && ss < 60, "lead %s: '%s' is YYYY-MM-DDTHH:MM:SS", f[C_LEAD], at);
        double sec = (double)(sim_date_from_ymd(y, mo, d) - date0) * 86400.0 + hh * 3600.0 +
                     mm * 60.0 + ss;
        cr_assert(fabs(sec - num(h) * 3600.0) <= 0.5 + 1e-5, "lead %s: %s h is not %s", f[C_LEAD],
                  h, at);
    }
}

/* Reads the log into per-replication figures; checks the order, the
 * status columns and, with a start date (dated), the date-times. */
static struct ll_rep *read_log(const char *path, unsigned reps, double warmup_h, bool dated,
                               int32_t date0)
{
    size_t len;
    char *text = harness_read_file(path, &len);
    cr_assert_not_null(text, "%s: no lead log", path);
    struct ll_rep *r = calloc(reps, sizeof *r);
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    cr_assert(line && strncmp(line, "replication,lead,channel,created_h", 34) == 0,
              "header: %s", line ? line : "(none)");
    const char *tail = dated ? ",status,stated_reason,created_at,handed_at,first_contact_at,"
                               "resolved_at"
                             : ",waited_h,status,stated_reason";
    cr_assert(strlen(line) > strlen(tail) &&
              strcmp(line + strlen(line) - strlen(tail), tail) == 0, "header: %s", line);
    int cols = dated ? C_DATED_COLS : C_COLS;
    long prev_rep = -1, prev_lead = -1;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[C_DATED_COLS + 4];
        cr_assert_eq(split(line, f, C_DATED_COLS + 4), cols, "a row of %d fields", cols);
        long rep = atol(f[C_REP]), lead = atol(f[C_LEAD]);
        if (rep != prev_rep) {
            cr_assert_gt(rep, prev_rep, "replications in order");
            prev_lead = -1;
        }
        cr_assert_eq(lead, prev_lead + 1, "replication %ld: lead %ld after %ld", rep, lead,
                     prev_lead);
        prev_rep = rep;
        prev_lead = lead;
        cr_assert_lt(rep, (long)reps);
        struct ll_rep *x = &r[rep];
        int o = outcome_of(f[C_OUTCOME]);
        check_status((const char *const *)f, o);
        if (dated)
            check_dated((const char *const *)f, date0);
        double created = num(f[C_CREATED]), handed = num(f[C_HANDED]);
        double resolved = num(f[C_RESOLVED]);
        bool measured = handed >= warmup_h;     /* false for NaN */
        x->generated += created >= warmup_h;
        x->handed += measured;
        if (o == LEADLOG_FILTERED)
            x->filtered += created >= warmup_h;
        if (o == LEADLOG_HELD_BACK)
            x->held_lost += resolved >= warmup_h;
        if (o == LEADLOG_UNRESOLVED) {
            x->unresolved += measured;
            x->in_marketing += isnan(handed);
        }
        if (!measured || o > LEADLOG_QUALIFIED)
            continue;
        double w = num(f[C_WAITED]);
        cr_assert(w >= 0.0, "a resolved lead's wait: %s", f[C_WAITED]);
        x->resolved++;
        x->wait_sum += w;
        if (x->n_waits == x->cap_waits) {
            x->cap_waits = x->cap_waits ? 2 * x->cap_waits : 1024;
            x->waits = realloc(x->waits, x->cap_waits * sizeof *x->waits);
        }
        x->waits[x->n_waits++] = w;
        if (o == LEADLOG_QUALIFIED) {
            x->qualified++;
            cr_assert(*f[C_DEAL], "a measured qualified lead has its deal drawn");
            if (atoi(f[C_DEAL]) == 1) {
                x->deals++;
                x->revenue += num(f[C_VALUE]);
            }
        } else {
            x->junk++;
            x->reason[o]++;
        }
    }
    free(text);
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The sample quantile q of sorted v (linear between order statistics). */
static double quantile(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t i = (size_t)h;
    return i + 1 < n ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* The width of the histogram bin of x (sim/hist.h). */
static double bin_width(double x)
{
    return x > 0.0 ? ldexp(1.0, ilogb(x)) / 64.0 : 1e-9;
}

static double json_at(const cJSON *root, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, a);
    if (b != NULL)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    cr_assert_not_null(x, "result has %s%s%s", a, b ? "." : "", b ? b : "");
    if (cJSON_IsObject(x))
        x = cJSON_GetObjectItemCaseSensitive(x, "mean");
    cr_assert(cJSON_IsNumber(x), "%s is a number", a);
    return x->valuedouble;
}

static void expect_equal(const char *what, double log, double json)
{
    double tol = 1e-9 * fmax(1.0, fabs(json));
    cr_expect(fabs(log - json) <= tol, "%s: from the log %.17g, result %.17g", what, log,
              json);
}

/* expr of each replication x, summed (a count's total) or averaged, against
 * the result's key a[.b]. */
#define CHECK_OVER(name, div, expr, a, b)                                        \
    do {                                                                         \
        double s_ = 0.0;                                                         \
        for (unsigned i_ = 0; i_ < reps; i_++) {                                 \
            const struct ll_rep *x = &r[i_];                                     \
            s_ += (expr);                                                        \
        }                                                                        \
        expect_equal(name, s_ / (div), json_at(root, a, b));                     \
    } while (0)
#define CHECK_SUM(key, expr) CHECK_OVER(key, 1.0, expr, key, NULL)
#define CHECK_MEAN(key, expr) CHECK_OVER(key, reps, expr, key, NULL)

/* Runs scenario `file` with `sets` (NULL-terminated) and, unless NULL,
 * start_date `start`, and checks the log. */
static void check_agreement(const char *file, unsigned reps, double warmup_days,
                            const char *const *sets, const char *start)
{
    int32_t date0 = 0;
    char start_s[64];
    if (start != NULL) {
        char why[128];
        cr_assert(sim_date_parse(start, &date0, why, sizeof why), "%s", why);
        snprintf(start_s, sizeof start_s, "start_date=%s", start);
    }
    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "leads.csv");
    char reps_s[16], warm_s[48];
    snprintf(reps_s, sizeof reps_s, "%u", reps);
    snprintf(warm_s, sizeof warm_s, "warmup_days=%g", warmup_days);
    const char *args[40] = {"run", file, "--reps", reps_s, "--set", warm_s, "--quiet",
                            "--format", "json", "--leads", log};
    size_t n = 11;
    for (; sets && *sets; sets++) {
        args[n++] = "--set";
        args[n++] = *sets;
    }
    if (start != NULL) {
        args[n++] = "--set";
        args[n++] = start_s;
    }
    args[n] = NULL;
    struct harness_result res;
    harness_runv(&res, args);
    harness_assert_exit(&res, 0);
    cJSON *root = cJSON_Parse(res.out);
    cr_assert_not_null(root);
    struct ll_rep *r = read_log(log, reps, warmup_days * 24.0, start != NULL, date0);

    CHECK_SUM("leads_generated", x->generated);
    CHECK_SUM("leads_handed", x->handed);
    CHECK_SUM("resolved", x->resolved);
    CHECK_SUM("junk", x->junk);
    CHECK_SUM("unresolved", x->unresolved);
    CHECK_SUM("in_marketing", x->in_marketing);
    CHECK_MEAN("filtered", x->filtered);
    CHECK_MEAN("lost", x->junk + x->held_lost);
    CHECK_MEAN("qualified", x->qualified);
    CHECK_MEAN("deals", x->deals);
    CHECK_MEAN("revenue", x->revenue);
    CHECK_MEAN("junk_rate", x->junk / x->resolved);
    static const char *const reasons[JUNK_REASONS] = {
        "bad_fit", "theorist", "unreachable", "went_cold", "misjudged", "abandoned"};
    for (unsigned k = 0; k < JUNK_REASONS; k++)
        CHECK_OVER(reasons[k], reps, x->reason[k] / x->resolved, "junk_by_reason", reasons[k]);
    CHECK_OVER("wait mean", reps, x->wait_sum / x->resolved, "wait_hours", "mean");
    /* Quantiles: each replication's histogram value is within a bin of
     * its sample quantile, so the means are within the mean bin width. */
    static const struct { const char *key; double q; } qs[] = {{"p50", 0.5}, {"p90", 0.9}};
    for (unsigned k = 0; k < 2; k++) {
        double mean = 0.0, tol = 0.0;
        for (unsigned i = 0; i < reps; i++) {
            qsort(r[i].waits, r[i].n_waits, sizeof *r[i].waits, cmp_double);
            double v = quantile(r[i].waits, r[i].n_waits, qs[k].q);
            mean += v / reps;
            tol += 2.0 * bin_width(v) / reps;
        }
        double h = json_at(root, "wait_hours", qs[k].key);
        cr_expect(fabs(mean - h) <= tol, "wait %s: log %g, result %g, one bin %g", qs[k].key,
                  mean, h, tol);
    }
    for (unsigned i = 0; i < reps; i++)
        free(r[i].waits);
    free(r);
    cJSON_Delete(root);
    harness_free(&res);
    char hidden[256];
    harness_entries(dir, hidden, sizeof hidden);
    cr_expect_str_empty(hidden, "no temporary left: %s", hidden);
    harness_rmtree(dir);
    free(log);
    free(dir);
}

Test(leadlog, agrees_with_the_results_default)
{
    check_agreement("scenarios/default.json", 4, 28, NULL, NULL);
}

/* With a start date: the date-time columns, and the same agreement (a
 * date moves the week, not the figures' definitions). */
Test(leadlog, agrees_with_the_results_dated)
{
    check_agreement("scenarios/default.json", 3, 28, NULL, "2024-02-26");
}

/* Every lever: filtered, nurtured, held back and lost, batches, audits. */
Test(leadlog, agrees_with_the_results_every_lever)
{
    static const char *const sets[] = {"horizon_days=150", NULL};
    check_agreement("scenarios/bench-funnel.json", 3, 20, sets, NULL);
}

/* A flood: the first waiting leads stay open past LEADLOG_RING newer
 * leads, so the records spill to the binary file (leadlog.h); the rows
 * must come out the same, in order, on one thread and on two. */
Test(leadlog, agrees_after_a_spill)
{
    static const char *const sets[] = {"horizon_days=90", "channels[0].arrivals.per_week=3000",
                                       NULL};
    check_agreement("scenarios/default.json", 2, 14, sets, NULL);
    char *dir = harness_tmpdir();
    char *a = harness_path(dir, "a.csv"), *b = harness_path(dir, "b.csv");
    struct harness_result one, two;
    HARNESS_RUN(&one, "run", "scenarios/default.json", "--reps", "2", "--set", sets[0], "--set",
                sets[1], "--quiet", "--jobs", "1", "--leads", a);
    HARNESS_RUN(&two, "run", "scenarios/default.json", "--reps", "2", "--set", sets[0], "--set",
                sets[1], "--quiet", "--jobs", "2", "--leads", b);
    harness_assert_exit(&one, 0);
    harness_assert_exit(&two, 0);
    size_t la, lb;
    char *ta = harness_read_file(a, &la), *tb = harness_read_file(b, &lb);
    cr_assert(ta && tb);
    cr_assert_gt(harness_count_lines(ta), 2 * LEADLOG_RING, "enough leads to spill");
    cr_assert(la == lb && memcmp(ta, tb, la) == 0, "the logs differ at %s",
              harness_first_difference(ta, tb));
    free(ta);
    free(tb);
    harness_free(&one);
    harness_free(&two);
    harness_rmtree(dir);
    free(a);
    free(b);
    free(dir);
}

Test(leadlog, same_log_whatever_jobs)
{
    char *dir = harness_tmpdir();
    char *a = harness_path(dir, "a.csv"), *b = harness_path(dir, "b.csv");
    struct harness_result one, two;
    HARNESS_RUN(&one, "run", "scenarios/default.json", "--reps", "5", "--quiet", "--jobs", "1",
                "--leads", a);
    HARNESS_RUN(&two, "run", "scenarios/default.json", "--reps", "5", "--quiet", "--jobs", "3",
                "--leads", b);
    harness_assert_exit(&one, 0);
    harness_assert_exit(&two, 0);
    size_t la, lb;
    char *ta = harness_read_file(a, &la), *tb = harness_read_file(b, &lb);
    cr_assert(ta && tb);
    cr_assert_gt(la, 1000);
    cr_assert(la == lb && memcmp(ta, tb, la) == 0, "the logs differ at %s",
              harness_first_difference(ta, tb));
    free(ta);
    free(tb);
    harness_free(&one);
    harness_free(&two);
    harness_rmtree(dir);
    free(a);
    free(b);
    free(dir);
}

Test(leadlog, bad_path_exits_2_and_names_it)
{
    char *dir = harness_tmpdir();
    char *bad = harness_path(dir, "no-such-dir/leads.csv");
    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--reps", "1", "--quiet", "--leads", bad);
    harness_assert_exit(&r, 2);
    cr_expect(harness_contains(r.err, bad), "the message names the file: %s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--reps", "1", "--quiet", "--leads", dir);
    harness_assert_exit(&r, 2);
    cr_expect(harness_contains(r.err, "directory"), "%s", r.err);
    harness_free(&r);
    cr_expect_eq(harness_entries(dir, NULL, 0), 0, "nothing written");
    /* Only run takes it. */
    HARNESS_RUN(&r, "sweep", "scenarios/default.json", "--vary", "seed", "--from", "1",
                "--to", "2", "--steps", "2", "--leads", bad);
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_rmtree(dir);
    free(bad);
    free(dir);
}

/* On one thread the rows go into the log as the run goes; an interrupted
 * replication's rows are cut off again.  The log of an interrupted run is 
 * then exactly the log of a run of the replications it kept (the same
 * seed gives each replication the same leads). */
Test(leadlog, an_interrupted_run_keeps_whole_replications, .timeout = 60)
{
    char *dir = harness_tmpdir();
    char *a = harness_path(dir, "a.csv"), *b = harness_path(dir, "b.csv");
    /* A loaded machine may finish no replication by the first signal:
     * then again, later. */
    struct harness_result r;
    unsigned kept = 0, total = 0;
    for (long delay_ms = 300; kept == 0 && delay_ms <= 4800; delay_ms *= 4) {
        struct harness_proc run;
        cr_assert_eq(harness_start(&run, NULL,
                                   HARNESS_ARGS("run", "scenarios/default.json", "--reps", "500",
                                                "--set", "horizon_days=730", "--jobs", "1",
                                                "--quiet", "--format", "json", "--leads", a)),
                     0, "cannot start: %s", strerror(errno));
        struct timespec ts = {.tv_sec = delay_ms / 1000, .tv_nsec = delay_ms % 1000 * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        cr_assert(harness_running(&run), "the run ended before the signal");
        cr_assert_eq(kill(run.pid, SIGINT), 0);
        cr_assert_eq(harness_wait(&run, 30.0, &r), 0);
        cr_assert_eq(r.exit_code, 130, "exit %d: %s", r.exit_code, r.err);
        const char *msg = strstr(r.err, "results cover ");
        if (msg != NULL)
            cr_assert_eq(sscanf(msg, "results cover %u of %u", &kept, &total), 2, "%s", r.err);
        if (kept > 0)
            break;
        harness_free(&r);
    }
    cr_assert(kept >= 1 && kept < total, "no replication finished before the signal, even "
              "after 4.8 s (kept %u of %u)", kept, total);
    harness_free(&r);
    char reps[16];
    snprintf(reps, sizeof reps, "%u", kept);
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--reps", reps, "--set", "horizon_days=730",
                "--jobs", "1", "--quiet", "--format", "json", "--leads", b);
    harness_assert_exit(&r, 0);
    size_t la, lb;
    char *ta = harness_read_file(a, &la), *tb = harness_read_file(b, &lb);
    cr_assert(ta && tb, "both logs written");
    cr_assert(la == lb && memcmp(ta, tb, la) == 0, "%u replications kept: the logs differ at %s",
              kept, harness_first_difference(ta, tb));
    free(ta);
    free(tb);
    harness_free(&r);
    harness_rmtree(dir);
    free(a);
    free(b);
    free(dir);
}
