/*
 * test_leadlog_history.c - the lead log kept in memory as histories
 * (leadlog_sink_memory, what `fit` simulates) is the history the CSV log
 * reads back as (history_read_leadlog).
 *
 * Each scenario is run twice in this process, replication by
 * replication with the same seed: once into a CSV lead log, once into
 * memory.  For every replication the two histories must agree field by
 * field: the same leads in the same order, the same status, stated
 * reason, channel and owner names and indices, groups, attempts and
 * origin; the times and values within 1e-6 (the CSV writes them to 1e-9).
 * Their moments (moments.h, the fit's objective) must agree to 1e-9
 * relative.  Scenarios: a dated one with two channels and two groups, the
 * fit's test company (undated), one with every lever (filtered,
 * nurtured, held back: every status), and a flood that makes the CSV log
 * spill to its binary file.  Also: fit_simulate gives the same histories
 * on one thread and on two.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/fit.h"
#include "models/funnel.h"
#include "models/history.h"
#include "models/leadlog.h"
#include "models/moments.h"
#include "models/scn_doc.h"
#include "tests/cli_harness.h"

#define MAX_REPS 4
#define TIME_TOL 1e-6       /* hours (and deal values): the CSV's 1e-9, with room */
#define MOMENT_TOL 1e-9     /* relative */

/* Both NAN, or within tol. */
static bool near(double a, double b, double tol)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= tol;
}

static bool near_rel(double a, double b, double tol)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static void expect_same_history(const struct history *csv, const struct history *mem,
                                const struct history *other, const char *what)
{
    cr_assert_eq(mem->n, csv->n, "%s: leads", what);
    cr_expect_eq(mem->origin.dated, csv->origin.dated, "%s: origin dated", what);
    if (csv->origin.dated)
        cr_expect_eq(mem->origin.date, csv->origin.date, "%s: origin date", what);
    cr_expect_eq(mem->horizon_h, csv->horizon_h, "%s: horizon", what);
    cr_assert_eq(mem->n_channels, csv->n_channels, "%s: channels", what);
    for (size_t c = 0; c < csv->n_channels; c++)
        cr_expect_str_eq(mem->channel[c], csv->channel[c], "%s: channel %zu", what, c);
    cr_assert_eq(mem->n_owners, csv->n_owners, "%s: owners", what);
    for (size_t o = 0; o < csv->n_owners; o++) {
        const struct history_owner *a = &csv->owner[o], *b = &mem->owner[o];
        cr_expect_str_eq(b->name, a->name, "%s: owner %zu", what, o);
        cr_expect((a->group == NULL) == (b->group == NULL), "%s: owner %zu's group", what, o);
        if (a->group != NULL && b->group != NULL)
            cr_expect_str_eq(b->group, a->group, "%s: owner %zu's group", what, o);
        cr_expect(isnan(b->start_h) && isnan(b->end_h), "%s: no employment dates", what);
    }
    /* The CSV's ids are the lead numbers, which the memory's NULL means. */
    cr_expect_null(mem->id, "%s: ids", what);
    size_t bad = 0;
    for (size_t i = 0; i < csv->n && bad < 5; i++) {
        const struct history_lead *a = &csv->lead[i], *b = &mem->lead[i];
        char num[32];
        snprintf(num, sizeof num, "%zu", i);
        bool same = csv->id != NULL && strcmp(csv->id[i], num) == 0 &&
                    near(b->created_h, a->created_h, TIME_TOL) &&
                    near(b->first_contact_h, a->first_contact_h, TIME_TOL) &&
                    near(b->closed_h, a->closed_h, TIME_TOL) &&
                    near(b->value, a->value, TIME_TOL) && b->channel == a->channel &&
                    b->owner == a->owner && b->attempts == a->attempts &&
                    b->status == a->status && b->reason == a->reason;
        if (!same) {
            bad++;
            cr_expect_fail("%s: lead %zu differs: csv (id %s, %.9f %.9f %.9f %.9f ch %u own %u "
                           "att %u %s %s), memory (%.9f %.9f %.9f %.9f ch %u own %u att %u "
                           "%s %s)", what, i, csv->id ? csv->id[i] : "-", a->created_h,
                           a->first_contact_h, a->closed_h, a->value, a->channel, a->owner,
                           a->attempts, history_status_name(a->status),
                           history_reason_name(a->reason), b->created_h, b->first_contact_h,
                           b->closed_h, b->value, b->channel, b->owner, b->attempts,
                           history_status_name(b->status), history_reason_name(b->reason));
        }
    }
    /* The spec (its thirds of first contact) from another history, as the
     * fit takes it from the observed one: a spec from csv itself would
     * split exactly at some of its leads' times, where the 1e-9 of the
     * CSV decides the third. */
    struct moments_spec spec;
    moments_spec_init(&spec, other, 0, 0);
    struct moments *ma = calloc(2, sizeof *ma), *mb = ma + 1;
    cr_assert_not_null(ma);
    moments_compute(&spec, csv, ma);
    moments_compute(&spec, mem, mb);
    cr_assert_eq(mb->n, ma->n, "%s: moments", what);
    cr_expect_gt(ma->n, 0, "%s: some moments", what);
    for (size_t k = 0; k < ma->n; k++) {
        cr_expect_str_eq(mb->name[k], ma->name[k], "%s: moment %zu", what, k);
        cr_expect(near_rel(mb->value[k], ma->value[k], MOMENT_TOL), "%s: %s: %.17g vs %.17g",
                  what, ma->name[k], ma->value[k], mb->value[k]);
        cr_expect(near_rel(mb->var[k], ma->var[k], MOMENT_TOL), "%s: var %s: %.17g vs %.17g",
                  what, ma->name[k], ma->var[k], mb->var[k]);
    }
    free(ma);
}

/* Runs `reps` replications of file (with sets) into a CSV log and into
 * memory, compares each replication; counts the statuses met in
 * status_seen and returns the leads of the largest replication. */
static size_t compare(const char *file, const char *const *sets, unsigned reps,
                      size_t status_seen[HISTORY_STATUSES])
{
    cr_assert(reps >= 2 && reps <= MAX_REPS);
    const char *all[16];
    size_t n = 0;
    char reps_s[48];
    snprintf(reps_s, sizeof reps_s, "replications=%u", reps);
    all[n++] = reps_s;
    for (; sets && *sets; sets++)
        all[n++] = *sets;
    struct sim_err err = {0};
    struct scenario *scn = calloc(1, sizeof *scn);
    cr_assert_not_null(scn);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", FUNNELSIM_SRCDIR, file);
    cr_assert_eq(scn_load(path, all, n, scn, &err), SIM_OK, "%s", err.msg);

    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "leads.csv");
    struct leadlog_sink csv;
    cr_assert_eq(leadlog_sink_open(&csv, log, scn, &err), SIM_OK, "%s", err.msg);
    csv.direct = true;
    bool done[MAX_REPS] = {0};
    double metrics[METRIC_COUNT];
    for (unsigned r = 0; r < reps; r++) {
        struct funnel_opts fo = {.leads = &csv};
        cr_assert_eq(funnel_replicate(scn, r, &fo, metrics, &err), SIM_OK, "%s", err.msg);
        done[r] = true;
    }
    cr_assert_eq(leadlog_sink_commit(&csv, done, &err), SIM_OK, "%s", err.msg);

    struct history mem[MAX_REPS];
    struct leadlog_sink ms;
    leadlog_sink_memory(&ms, scn, mem);
    for (unsigned r = 0; r < reps; r++) {
        struct funnel_opts fo = {.leads = &ms};
        cr_assert_eq(funnel_replicate(scn, r, &fo, metrics, &err), SIM_OK, "%s", err.msg);
    }
    struct history h[MAX_REPS];
    for (unsigned r = 0; r < reps; r++)
        cr_assert_eq(history_read_leadlog(log, r, &h[r], &err), SIM_OK, "%s", err.msg);
    size_t most = 0;
    for (unsigned r = 0; r < reps; r++) {
        char what[256];
        snprintf(what, sizeof what, "%s replication %u", file, r);
        expect_same_history(&h[r], &mem[r], &h[(r + 1) % reps], what);
        if (h[r].origin.dated != scn->start_date.dated)
            cr_expect_fail("%s: dated %d, the scenario %d", what, h[r].origin.dated,
                           scn->start_date.dated);
        for (size_t i = 0; i < h[r].n && status_seen != NULL; i++)
            status_seen[h[r].lead[i].status]++;
        if (h[r].n > most)
            most = h[r].n;
    }
    for (unsigned r = 0; r < reps; r++) {
        history_free(&h[r]);
        history_free(&mem[r]);
    }
    harness_rmtree(dir);
    free(log);
    free(dir);
    free(scn);
    return most;
}

/* Dated, two channels, two groups. */
Test(leadlog_history, same_as_the_csv_dated)
{
    size_t seen[HISTORY_STATUSES] = {0};
    compare("scenarios/director-tradeshow.json", NULL, 3, seen);
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        if (s != HISTORY_DISQUALIFIED)
            cr_expect_gt(seen[s], 0, "some leads %s", history_status_name(s));
}

/* The fit's test company: undated, what `fit` simulates. */
Test(leadlog_history, same_as_the_csv_fit_company)
{
    compare("tests/fit/company.json", NULL, 3, NULL);
}

/* Every lever: filtered, nurtured, held back: every status. */
Test(leadlog_history, same_as_the_csv_every_lever)
{
    static const char *const sets[] = {"horizon_days=150", "warmup_days=20", NULL};
    size_t seen[HISTORY_STATUSES] = {0};
    compare("scenarios/bench-funnel.json", sets, 2, seen);
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        cr_expect_gt(seen[s], 0, "some leads %s", history_status_name(s));
}

/* A flood: the CSV log spills to its binary file (leadlog.h); the memory
 * has no spill, and must agree all the same. */
Test(leadlog_history, same_as_the_csv_after_a_spill)
{
    static const char *const sets[] = {"horizon_days=90", "warmup_days=14",
                                       "channels[0].arrivals.per_week=3000", NULL};
    size_t n = compare("scenarios/default.json", sets, 2, NULL);
    cr_expect_gt(n, 2 * LEADLOG_RING, "enough leads to spill");
}

/* fit_simulate: the same histories on one thread and on two. */
Test(leadlog_history, fit_simulate_whatever_jobs)
{
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_load(FUNNELSIM_SRCDIR "/scenarios/director-tradeshow.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    cr_assert_eq(scn_doc_set(doc, "replications=3", &err), SIM_OK, "%s", err.msg);
    struct history a[3], b[3];
    unsigned na, nb;
    cr_assert_eq(fit_simulate(doc, 1, NULL, a, &na, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(fit_simulate(doc, 2, NULL, b, &nb, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(na, 3);
    cr_assert_eq(nb, 3);
    for (unsigned r = 0; r < 3; r++) {
        cr_assert_eq(a[r].n, b[r].n, "replication %u", r);
        cr_expect_gt(a[r].n, 0);
        size_t differ = 0;
        for (size_t i = 0; i < a[r].n; i++) {
            const struct history_lead *x = &a[r].lead[i], *y = &b[r].lead[i];
            differ += !(near(x->created_h, y->created_h, 0) &&
                        near(x->first_contact_h, y->first_contact_h, 0) &&
                        near(x->closed_h, y->closed_h, 0) && near(x->value, y->value, 0) &&
                        x->channel == y->channel && x->owner == y->owner &&
                        x->attempts == y->attempts && x->status == y->status &&
                        x->reason == y->reason);
        }
        cr_expect_eq(differ, 0, "replication %u: %zu leads differ", r, differ);
        cr_expect_eq(a[r].horizon_h, b[r].horizon_h);
        cr_expect_eq(a[r].n_owners, b[r].n_owners);
        history_free(&a[r]);
        history_free(&b[r]);
    }
    scn_doc_free(doc);
}

/* Names as the CSV carries them: spaces around an unquoted name are lost
 * on the way back (libcsv), kept inside quotes (a comma, a quote); the
 * memory must name them the same. */
Test(leadlog_history, same_as_the_csv_odd_names)
{
    static const char *const sets[] = {"channels[0].name= web ", "channels[1].name= a, \"b\" ",
                                       "team[0].name=  ae", "horizon_days=60", NULL};
    compare("scenarios/default.json", sets, 2, NULL);
}
