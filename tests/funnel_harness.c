/* SPDX-License-Identifier: MIT */
#include "models/scn_doc.h"
#include "tests/funnel_harness.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/funnel.h"
#include "sim/experiment.h"

static void scenario_path(char *buf, size_t n, const char *file)
{
    int len = snprintf(buf, n, "%s/scenarios/%s", FUNNELSIM_SRCDIR, file);
    cr_assert(len > 0 && (size_t)len < n, "path too long: %s", file);
}

struct scn_doc *fh_load(const char *file)
{
    char path[1024];
    scenario_path(path, sizeof path, file);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_load(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

void fh_set(struct scn_doc *doc, const char *fmt, ...)
{
    char assignment[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(assignment, sizeof assignment, fmt, ap);
    va_end(ap);
    cr_assert(len > 0 && (size_t)len < sizeof assignment, "override too long");
    struct sim_err err = {0};
    cr_assert_eq(scn_doc_set(doc, assignment, &err), SIM_OK, "--set %s: %s",
                 assignment, err.msg);
}

void fh_window(struct scn_doc *doc, double horizon_days, double warmup_days,
               unsigned reps)
{
    if (horizon_days > 0)
        fh_set(doc, "horizon_days=%.17g", horizon_days);
    if (warmup_days > 0)
        fh_set(doc, "warmup_days=%.17g", warmup_days);
    if (reps > 0)
        fh_set(doc, "replications=%u", reps);
}

void fh_compile(const struct scn_doc *doc, struct scenario *out)
{
    struct sim_err err = {0};
    cr_assert_eq(scn_doc_compile(doc, out, &err), SIM_OK, "%s", err.msg);
}

void fh_short(const char *file, unsigned reps, const char *const *sets,
              struct scenario *out)
{
    struct scn_doc *doc = fh_load(file);
    fh_window(doc, 70, 14, reps);
    for (const char *const *s = sets; s != NULL && *s != NULL; s++)
        fh_set(doc, "%s", *s);
    fh_compile(doc, out);
    scn_doc_free(doc);
}

cJSON *fh_json_load(const char *file)
{
    char path[1024];
    scenario_path(path, sizeof path, file);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    cr_assert(size >= 0);
    rewind(fp);
    char *text = malloc((size_t)size + 1);
    cr_assert_not_null(text);
    cr_assert_eq(fread(text, 1, (size_t)size, fp), (size_t)size, "cannot read %s", path);
    text[size] = '\0';
    fclose(fp);
    cJSON *json = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(json, "%s: not JSON", path);
    return json;
}

struct scn_doc *fh_doc_from_json(const cJSON *json, const char *name)
{
    char *text = cJSON_PrintUnformatted(json);
    cr_assert_not_null(text);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(text, name, &err);
    cJSON_free(text);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

void fh_check_reasons(const double *m, const char *where)
{
    double resolved = m[METRIC_RESOLVED];
    cr_expect(resolved > 0, "%s: no lead resolved", where);
    if (!(resolved > 0))
        return;
    double share_sum = 0.0, count_sum = 0.0;
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        double share = m[metric_of_reason(r)];
        const char *name = metric_descs[metric_of_reason(r)].label;
        share_sum += share;
        /* share = count / resolved: times resolved it must be a whole
         * count, up to the rounding of one division and one product. */
        double count = share * resolved;
        double whole = nearbyint(count);
        cr_expect(fabs(count - whole) <= 1e-9 * resolved,
                  "%s: %s share %.17g x resolved %.0f = %.17g is not a count", where,
                  name, share, resolved, count);
        cr_expect(share >= 0.0 && share <= 1.0, "%s: %s share %g", where, name,
                  share);
        count_sum += whole;
    }
    cr_expect(fabs(share_sum - m[METRIC_JUNK_RATE]) <= FH_SUM_TOL,
              "%s: the reasons add up to %.17g, junk_rate is %.17g (gap %.3g)", where,
              share_sum, m[METRIC_JUNK_RATE], share_sum - m[METRIC_JUNK_RATE]);
    cr_expect(count_sum == m[METRIC_JUNK],
              "%s: the reasons count %.0f junk leads, junk is %.0f", where, count_sum,
              m[METRIC_JUNK]);
}

void fh_run(const struct scenario *pts, size_t n, unsigned reps,
            struct fh_results *out)
{
    cr_assert(n >= 1 && n <= FH_MAX_POINTS && reps >= 2);
    const void *configs[FH_MAX_POINTS];
    for (size_t i = 0; i < n; i++)
        configs[i] = &pts[i];
    out->n_points = n;
    out->reps = reps;
    out->x = calloc(n * reps * METRIC_COUNT, sizeof *out->x);
    bool *done = calloc(n * reps, sizeof *done);
    cr_assert(out->x != NULL && done != NULL);
    struct sim_experiment x = {
        .model = &funnel_model,
        .configs = configs,
        .n_points = n,
        .reps = reps,
        .run = {.jobs = FH_JOBS},
    };
    struct sim_err err = {0};
    cr_assert_eq(sim_experiment_run(&x, out->x, done, &err), SIM_OK, "%s", err.msg);
    for (size_t t = 0; t < n * reps; t++)
        cr_assert(done[t], "replication %zu did not finish", t);
    free(done);

    for (size_t p = 0; p < n; p++)
        for (unsigned r = 0; r < reps; r++) {
            char where[160];
            snprintf(where, sizeof where, "%s point %zu replication %u", pts[p].name, p, r);
            fh_check_reasons(fh_rep(out, p, r), where);
        }
}

void fh_free(struct fh_results *r)
{
    free(r->x);
    r->x = NULL;
}

struct sim_ci fh_ci(const struct fh_results *r, size_t point, enum metric_id m,
                    double level)
{
    struct sim_ci ci;
    sim_stats_ci(fh_rep(r, point, 0) + m, METRIC_COUNT, r->reps, level, &ci);
    return ci;
}

struct sim_ci fh_ci_of(const struct fh_results *r, size_t point,
                       fh_derive_fn f, double level)
{
    double *v = calloc(r->reps, sizeof *v);
    cr_assert_not_null(v);
    for (unsigned k = 0; k < r->reps; k++)
        v[k] = f(fh_rep(r, point, k));
    struct sim_ci ci;
    sim_stats_ci(v, 1, r->reps, level, &ci);
    free(v);
    return ci;
}

struct sim_ci fh_ci_pair(const struct fh_results *r, size_t pa, size_t pb,
                         fh_pair_fn f, double level)
{
    double *v = calloc(r->reps, sizeof *v);
    cr_assert_not_null(v);
    for (unsigned k = 0; k < r->reps; k++)
        v[k] = f(fh_rep(r, pa, k), fh_rep(r, pb, k));
    struct sim_ci ci;
    sim_stats_ci(v, 1, r->reps, level, &ci);
    free(v);
    return ci;
}

void fh_show(const char *test, const char *what, struct sim_ci ci)
{
    fprintf(stderr, "%s: %-34s mean %.6g  [%.6g, %.6g]  (n %zu)\n", test, what,
            ci.mean, ci.lo, ci.hi, ci.n);
}

void fh_expect_inside(const char *test, const char *what, double exact,
                      struct sim_ci ci, double max_half)
{
    double half = (ci.hi - ci.lo) / 2.0;
    bool inside = ci.lo <= exact && exact <= ci.hi;
    bool narrow = !(max_half > 0) || half <= max_half;
    fprintf(stderr, "%s: %-34s expected %.6g  sim %.6g  [%.6g, %.6g]  half %.3g%s%s\n",
            test, what, exact, ci.mean, ci.lo, ci.hi, half, inside ? "" : "  OUTSIDE",
            narrow ? "" : "  TOO WIDE");
    cr_expect(inside, "%s: %s: expected %.6g outside the interval [%.6g, %.6g]", test,
              what, exact, ci.lo, ci.hi);
    cr_expect(narrow, "%s: %s: half-width %.3g over %.3g: the interval could not see "
              "an error", test, what, half, max_half);
}

void fh_expect_above(const char *test, const char *what, struct sim_ci upper,
                     struct sim_ci lower)
{
    bool above = upper.lo > lower.hi;
    fprintf(stderr, "%s: %-34s [%.6g, %.6g] above [%.6g, %.6g]%s\n", test, what,
            upper.lo, upper.hi, lower.lo, lower.hi, above ? "" : "  NOT ABOVE");
    cr_expect(above, "%s: %s: [%.6g, %.6g] is not above [%.6g, %.6g]", test, what,
              upper.lo, upper.hi, lower.lo, lower.hi);
}

void fh_expect_all_equal(const char *test, const struct fh_results *r,
                         size_t point, enum metric_id m, double value)
{
    unsigned bad = 0;
    double first_bad = 0.0;
    for (unsigned k = 0; k < r->reps; k++) {
        double v = fh_rep(r, point, k)[m];
        if (v != value) {
            if (bad == 0)
                first_bad = v;
            bad++;
        }
    }
    fprintf(stderr, "%s: %-34s == %g in %u of %u replications%s\n", test,
            metric_descs[m].key, value, r->reps - bad, r->reps, bad ? "  DIFFERS" : "");
    cr_expect(bad == 0, "%s: %s is not %g in %u of %u replications (e.g. %.17g)", test,
              metric_descs[m].key, value, bad, r->reps, first_bad);
}
