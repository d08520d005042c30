/*
 * funnel_harness.h - running the whole funnel from a test.
 *
 * The lever tests all do the same thing: load a shipped
 * scenario, override a few values (exactly as `--set` would, so the loader
 * checks them), compile one scenario per point, run every point's
 * replications at once on FH_JOBS threads through the experiment runner,
 * and compare Student-t intervals over the replications with each other or
 * with a formula.  This module is that common path; the tests keep only
 * the property they assert.
 *
 * Every run also checks the bookkeeping of junk reasons (the reasons
 * add up to the junk rate exactly) in every replication of every point:
 * the six junk_by_reason shares add up to junk_rate within FH_SUM_TOL, each
 * share times `resolved` is a whole count, and those counts add up to
 * `junk` exactly.  So no test can run the funnel without that property
 * being checked on its configuration.
 *
 * Failures are reported through Criterion (cr_assert for setup errors,
 * which abort the test; cr_expect for properties, so one test reports every
 * broken property at once).  Every comparison also prints one line to
 * standard error with the figures, so a run documents the intervals.
 *
 * Ownership: fh_load() and fh_doc_from_json() return documents the caller
 * frees with scn_doc_free(); fh_json_load() a tree freed with cJSON_Delete();
 * fh_run() fills a result freed with fh_free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_FUNNEL_HARNESS_H
#define TESTS_FUNNEL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "sim/stats.h"

/* Threads of the experiment runner: the test machine has two cores. */
#define FH_JOBS 2u

/* Most points one fh_run() takes. */
#define FH_MAX_POINTS 16u

/* The junk shares must add up to junk_rate this closely. */
#define FH_SUM_TOL 1e-12

/* ---- scenarios ---------------------------------------------------------- */

/* Loads scenarios/<file> from the source tree. */
struct scn_doc *fh_load(const char *file);

/* Applies one override "PATH=VALUE", written printf-style. */
void fh_set(struct scn_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets horizon, warm-up and replications; 0 keeps the scenario's value. */
void fh_window(struct scn_doc *doc, double horizon_days, double warmup_days,
               unsigned reps);

void fh_compile(const struct scn_doc *doc, struct scenario *out);

/* scenarios/<file> over a 70-day window with a 14-day warm-up and `reps`
 * replications, with the overrides "PATH=VALUE" of `sets` (NULL-ended, or
 * NULL), compiled into *out. */
void fh_short(const char *file, unsigned reps, const char *const *sets,
              struct scenario *out);

/* The parsed JSON of scenarios/<file>, for edits --set cannot make (such as
 * removing a key) and for comparing two files. */
cJSON *fh_json_load(const char *file);

/* A document from an edited tree, named `name` in messages. */
struct scn_doc *fh_doc_from_json(const cJSON *json, const char *name);

/* ---- running ------------------------------------------------------------ */

struct fh_results {
    size_t n_points;
    unsigned reps;
    double *x;          /* point-major: x[(p * reps + r) * METRIC_COUNT + i] */
};

/* Runs `reps` replications of each of the n scenarios (the scenarios' seeds;
 * replication r sees the same streams at every point) and checks the
 * reasons' bookkeeping in every replication. */
void fh_run(const struct scenario *pts, size_t n, unsigned reps,
            struct fh_results *out);

void fh_free(struct fh_results *r);

static inline const double *fh_rep(const struct fh_results *r, size_t point,
                                   unsigned rep)
{
    return r->x + ((size_t)point * r->reps + rep) * METRIC_COUNT;
}

/* The interval of metric m at `point`. */
struct sim_ci fh_ci(const struct fh_results *r, size_t point, enum metric_id m,
                    double level);

/* The interval of a quantity derived from each replication's metrics. */
typedef double (*fh_derive_fn)(const double *m);
struct sim_ci fh_ci_of(const struct fh_results *r, size_t point,
                       fh_derive_fn f, double level);

/* The interval of a per-replication quantity comparing two points of the
 * same run (replication r of both shares its random streams). */
typedef double (*fh_pair_fn)(const double *a, const double *b);
struct sim_ci fh_ci_pair(const struct fh_results *r, size_t pa, size_t pb,
                         fh_pair_fn f, double level);

/* ---- checks --------------------------------------------------------------- */

/* The reasons' bookkeeping of one replication (see above); `where` names it
 * in messages.  fh_run() calls it on every replication. */
void fh_check_reasons(const double *m, const char *where);

/* Prints "<test>: <what> <interval>" to standard error. */
void fh_show(const char *test, const char *what, struct sim_ci ci);

/* Expects `exact` inside ci and, when max_half > 0, a half-width of at most
 * max_half (an interval too wide to see an error proves nothing).  Prints
 * the figures either way. */
void fh_expect_inside(const char *test, const char *what, double exact,
                      struct sim_ci ci, double max_half);

/* Expects `upper` strictly above `lower`: upper.lo > lower.hi. */
void fh_expect_above(const char *test, const char *what, struct sim_ci upper,
                     struct sim_ci lower);

/* Expects metric m to equal `value` exactly in every replication of `point`. */
void fh_expect_all_equal(const char *test, const struct fh_results *r,
                         size_t point, enum metric_id m, double value);

#endif
