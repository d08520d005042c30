/* SPDX-License-Identifier: MIT */
/*
 * funnelsim sweep: one scenario at a row (or a grid) of values of one (or
 * two) numeric fields.
 *
 * Every point is compiled from the scenario document with the value set,
 * so it meets the same checks as the file.  All points times all
 * replications run as ONE experiment (cli_simulate with an array of
 * scenarios): the runner keeps every core busy across point boundaries,
 * and replication r uses the same streams at every point (common random
 * numbers), so the curve is smooth.  Tasks are point-major and handed out
 * in order, so when Ctrl-C stops the run the points whose replications all
 * finished form a prefix: those are written, whole, and nothing else.
 *
 * Memory: one struct scenario (about 10 KiB) and one summary per point,
 * and the runner's METRIC_COUNT doubles per replication.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/keytab.h"
#include "models/scn_doc.h"
#include "cli/cli.h"
#include "cli/manifest.h"
#include "cli/output.h"
#include "sim/mem.h"

#define SWEEP_MAX_POINTS 10000u
#define SWEEP_MAX_TASKS 2000000u

struct axis {
    const char *path;
    const char *opt_from, *opt_to, *opt_steps;  /* option names, for messages */
    double from, to;
    unsigned steps;
};

struct sweep {
    const struct cli_opts *o;
    struct axis axis[2];
    unsigned n_axes;
    size_t n_points;            /* planned */
    size_t n_done;              /* finished points: a prefix */
    struct scn_doc *doc;
    struct scenario base;       /* with --set, before any point's value */
    struct scenario *scns;      /* one per point */
    const struct scenario **ptrs;
    double *values;             /* n_points x 2 */
    double base_value[2];       /* each axis's value in the scenario as
                                   run (--set applied); NAN if absent */
    struct metric_summary *sums;/* n_done, once run */
    struct sim_ci *target;      /* n_done: the --target-on junk rate, or NULL */
    struct cli_results res;
};

/* ---- points ---------------------------------------------------------------- */

/* Step i of an axis: from + i (to - from) / (steps - 1), the ends exact.
 * A value within rounding noise of a whole number is snapped to it, so
 * that 3 x (1/3) lands on a whole head count. */
static double axis_value(const struct axis *a, unsigned i)
{
    if (a->steps == 1 || i == 0)
        return a->from;
    if (i == a->steps - 1)
        return a->to;
    double v = a->from + (a->to - a->from) * (double)i / (double)(a->steps - 1);
    double r = round(v);
    if (fabs(v - r) <= 1e-9 * fmax(1.0, fabs(v)))
        v = r;
    return v;
}

/* The step counts near `steps` that land on whole numbers from `from` to
 * `to`, written into buf ("5 or 9"), or "" when from or to is not whole. */
static void whole_steps_hint(const struct axis *a, char *buf, size_t size)
{
    buf[0] = '\0';
    if (a->from != floor(a->from) || a->to != floor(a->to))
        return;
    double span = fabs(a->to - a->from);
    if (span < 1 || span > 1e6)
        return;
    unsigned long d = (unsigned long)span, below = 0, above = 0;
    for (unsigned long s = 2; s <= d + 1; s++) {
        if (d % (s - 1) != 0)
            continue;
        if (s <= a->steps)
            below = s;
        else if (above == 0)
            above = s;
    }
    if (below && above)
        snprintf(buf, size, "%lu or %lu", below, above);
    else if (below || above)
        snprintf(buf, size, "%lu", below ? below : above);
}

/* Explains a point that does not compile.  A whole-number field at a
 * fractional step gets its own message: the steps must land on whole
 * numbers. */
static int point_error(const struct sweep *sw, unsigned ax, double v,
                       const struct sim_err *cause, struct sim_err *err)
{
    const struct axis *a = &sw->axis[ax];
    if (strstr(cause->msg, "must be a whole number (got") != NULL && v != floor(v)) {
        char hint[64];
        whole_steps_hint(a, hint, sizeof hint);
        if (a->from != floor(a->from) || a->to != floor(a->to))
            return sim_err_set(err, SIM_ERR_INPUT,
                               "sweep: %s takes whole numbers: %s and %s must be whole "
                               "numbers (got %.10g and %.10g)",
                               a->path, a->opt_from, a->opt_to, a->from, a->to);
        return sim_err_set(err, SIM_ERR_INPUT,
                           "sweep: %s takes whole numbers, but %s %.10g %s %.10g %s %u "
                           "steps through %.10g: choose %s so that every step is whole%s%s%s",
                           a->path, a->opt_from, a->from, a->opt_to, a->to, a->opt_steps,
                           a->steps, v, a->opt_steps, hint[0] ? " (" : "",
                           hint[0] ? hint : "", hint[0] ? ")" : "");
    }
    return sim_err_set(err, cause->code, "sweep: at %s = %.10g: %s", a->path, v, cause->msg);
}

static int check_axis(const struct cli_opts *o, struct axis *a, bool second,
                      struct sim_err *err)
{
    a->opt_from = second ? "--from2" : "--from";
    a->opt_to = second ? "--to2" : "--to";
    a->opt_steps = second ? "--steps2" : "--steps";
    const char *opt_vary = second ? "--vary2" : "--vary";
    bool has_from = o->given[second ? OPT_FROM2 : OPT_FROM];
    bool has_to = o->given[second ? OPT_TO2 : OPT_TO];
    bool has_steps = o->given[second ? OPT_STEPS2 : OPT_STEPS];
    if (a->path == NULL || !has_from || !has_to || !has_steps)
        return sim_err_set(err, SIM_ERR_INPUT,
                           "sweep: %s needs %s PATH, %s A, %s B and %s N together",
                           second ? "a grid" : "a sweep", opt_vary, a->opt_from, a->opt_to,
                           a->opt_steps);
    a->from = second ? o->from2 : o->from;
    a->to = second ? o->to2 : o->to;
    a->steps = second ? o->steps2 : o->steps;
    return SIM_OK;
}

/* Compiles every point from the document: the first axis outer, the
 * second inner, so that point p = i * steps2 + j. */
static int build_points(struct sweep *sw, struct sim_err *err)
{
    size_t n = sw->n_points;
    sw->scns = sim_reallocarray(NULL, n, sizeof *sw->scns);
    sw->ptrs = sim_reallocarray(NULL, n, sizeof *sw->ptrs);
    sw->values = sim_reallocarray(NULL, 2 * n, sizeof *sw->values);
    unsigned inner = sw->n_axes == 2 ? sw->axis[1].steps : 1;
    for (size_t p = 0; p < n; p++) {
        double v[2] = {axis_value(&sw->axis[0], (unsigned)(p / inner)),
                       sw->n_axes == 2 ? axis_value(&sw->axis[1], (unsigned)(p % inner)) : NAN};
        for (unsigned ax = 0; ax < sw->n_axes; ax++) {
            struct sim_err cause = {0};
            if (scn_doc_set_number(sw->doc, sw->axis[ax].path, v[ax], &cause) != SIM_OK)
                return sim_err_set(err, cause.code, "sweep: %s %s: %s",
                                   ax ? "--vary2" : "--vary", sw->axis[ax].path, cause.msg);
        }
        struct sim_err cause = {0};
        if (scn_doc_compile(sw->doc, &sw->scns[p], &cause) != SIM_OK) {
            /* Which axis broke it: the message names the path. */
            unsigned ax = sw->n_axes == 2 && strstr(cause.msg, sw->axis[1].path) != NULL;
            return point_error(sw, ax, v[ax], &cause, err);
        }
        if (sw->scns[p].replications != sw->base.replications)
            return sim_err_set(err, SIM_ERR_INPUT,
                               "sweep: the number of replications cannot be varied "
                               "(use --reps N)");
        sw->ptrs[p] = &sw->scns[p];
        sw->values[2 * p] = v[0];
        sw->values[2 * p + 1] = v[1];
    }
    return SIM_OK;
}

/* The points whose replications all finished: a prefix, since tasks are
 * handed out in order. */
static size_t finished_points(const struct cli_results *res)
{
    size_t p = 0;
    for (; p < res->n_points; p++)
        for (unsigned r = 0; r < res->reps; r++)
            if (!res->done[p * res->reps + r])
                return p;
    return p;
}

/* ---- per-point figures ------------------------------------------------------- */

/* Point p's load, `over` from its results once it has run. */
static struct capacity_load point_load(const struct sweep *sw, size_t p)
{
    return capacity_load_of(&sw->scns[p], p < sw->n_done ? &sw->sums[p] : NULL);
}

static cJSON *axis_json(const struct sweep *sw, const struct axis *a, double base_value)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "path", a->path);
    cJSON_AddNumberToObject(obj, "from", a->from);
    cJSON_AddNumberToObject(obj, "to", a->to);
    cJSON_AddNumberToObject(obj, "steps", a->steps);
    /* For the charts and report (plots/): "today's" value, and the key
     * as the key table names it, with its channel's or group's name
     * ("web leads a week"), so that plot needs no scenario. */
    cJSON_AddItemToObject(obj, "base_value", out_number_or_null(base_value));
    char label[512];
    cJSON_AddStringToObject(obj, "label", scn_doc_label(sw->doc, a->path, label, sizeof label));
    const struct sim_schema_key *k = keytab_find(a->path);
    if (k != NULL && k->unit != NULL)
        cJSON_AddStringToObject(obj, "unit", k->unit);
    else
        cJSON_AddNullToObject(obj, "unit");
    const char *tag = k == NULL ? NULL : (k->tags & KEYTAB_INFLOW) ? "inflow"
                                     : (k->tags & KEYTAB_HEADCOUNT) ? "headcount" : NULL;
    if (tag != NULL)
        cJSON_AddStringToObject(obj, "tag", tag);
    else
        cJSON_AddNullToObject(obj, "tag");
    return obj;
}

/* The names of the base scenario's channels and groups, for the charts. */
static void names_json(cJSON *doc, const struct scenario *b)
{
    cJSON *ch = cJSON_AddArrayToObject(doc, "channel_names");
    for (unsigned i = 0; i < b->n_channels; i++)
        cJSON_AddItemToArray(ch, cJSON_CreateString(b->channels[i].name));
    cJSON *gr = cJSON_AddArrayToObject(doc, "group_names");
    for (unsigned i = 0; i < b->n_groups; i++)
        cJSON_AddItemToArray(gr, cJSON_CreateString(b->team[i].name));
}

/* sweep.json: the sweep's facts, then one object per finished point with
 * every metric as run's JSON has it. */
static cJSON *sweep_json(const struct sweep *sw)
{
    cJSON *doc = cJSON_CreateObject();
    struct capacity_load base = capacity_load_of(&sw->base, NULL);
    cJSON_AddStringToObject(doc, "scenario", sw->base.name);
    out_json_text(doc, "file", sw->base.source);
    cJSON_AddItemToObject(doc, "vary", axis_json(sw, &sw->axis[0], sw->base_value[0]));
    cJSON_AddItemToObject(doc, "vary2", sw->n_axes == 2
                                            ? axis_json(sw, &sw->axis[1], sw->base_value[1])
                                            : cJSON_CreateNull());
    cJSON_AddNumberToObject(doc, "replications", sw->base.replications);
    out_json_u64(doc, "seed", sw->base.seed);
    cJSON_AddNumberToObject(doc, "horizon_days", sw->base.horizon_days);
    cJSON_AddNumberToObject(doc, "warmup_days", sw->base.warmup_days);
    out_load_json(doc, &base);
    /* For the report's "With 10 managers". */
    cJSON_AddNumberToObject(doc, "managers", scn_managers(&sw->base));
    names_json(doc, &sw->base);
    manifest_settings_json(doc, sw->doc, sw->base.report.target_junk, sw->o->sets,
                           sw->o->n_sets);
    cJSON_AddBoolToObject(doc, "interrupted", sw->n_done < sw->n_points);
    char on[48];
    cJSON_AddStringToObject(doc, "target_on", cli_target_on_name(&sw->o->target_on, on,
                                                                 sizeof on));
    cJSON *points = cJSON_AddArrayToObject(doc, "points");
    for (size_t p = 0; p < sw->n_done; p++) {
        cJSON *pt = cJSON_CreateObject();
        cJSON_AddItemToArray(points, pt);
        struct capacity_load load = point_load(sw, p);
        cJSON_AddNumberToObject(pt, "value", sw->values[2 * p]);
        if (sw->n_axes == 2)
            cJSON_AddNumberToObject(pt, "value2", sw->values[2 * p + 1]);
        out_load_json(pt, &load);
        cJSON_AddNumberToObject(pt, "managers", scn_managers(&sw->scns[p]));
        out_metrics_json(pt, &sw->sums[p]);
        /* The junk rate the target is tested on (--target-on). */
        if (sw->target != NULL)
            cJSON_AddItemToObject(pt, "target_junk_rate", out_ci_json(&sw->target[p]));
        cJSON_AddBoolToObject(pt, "over_capacity", load.over);
    }
    return doc;
}

/* sweep.csv: one row per finished point. */
static void sweep_csv(FILE *fp, const void *self)
{
    const struct sweep *sw = self;
    struct sim_csv w = sim_csv_on(fp);
    static const char *const head[] = {"value", "value2", "inflow_per_week",
                                       "offered_per_week", "capacity_per_week", "load_ratio"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        if (k != 1 || sw->n_axes == 2)
            sim_csv_text(&w, head[k]);
    out_metric_csv_header(&w);
    sim_csv_end(&w);
    for (size_t p = 0; p < sw->n_done; p++) {
        struct capacity_load load = point_load(sw, p);
        sim_csv_number(&w, sw->values[2 * p]);
        if (sw->n_axes == 2)
            sim_csv_number(&w, sw->values[2 * p + 1]);
        const double fixed[] = {load.inflow, load.offered, load.capacity, load.ratio};
        for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
            sim_csv_number(&w, fixed[k]);
        out_metric_csv_values(&w, &sw->sums[p]);
        sim_csv_end(&w);
    }
}

/* ---- the table ---------------------------------------------------------------- */

/* The point of [first, end) nearest a load ratio of 1, when the loads of
 * the block reach both sides of 1; SIZE_MAX otherwise. */
static size_t capacity_point(const struct sweep *sw, size_t first, size_t end)
{
    double lo = INFINITY, hi = -INFINITY, best_gap = INFINITY;
    size_t best = SIZE_MAX;
    for (size_t p = first; p < end; p++) {
        double load = point_load(sw, p).ratio;
        if (!isfinite(load))
            continue;
        lo = fmin(lo, load);
        hi = fmax(hi, load);
        if (fabs(load - 1.0) < best_gap) {
            best_gap = fabs(load - 1.0);
            best = p;
        }
    }
    return lo <= 1.0 && hi >= 1.0 ? best : SIZE_MAX;
}

static void sweep_table(FILE *fp, const void *self)
{
    const struct sweep *sw = self;
    const struct scenario *b = &sw->base;
    struct capacity_load base = capacity_load_of(b, NULL);
    fprintf(fp, "%s: sweep of %s from %.10g to %.10g (%u points)", b->name,
            sw->axis[0].path, sw->axis[0].from, sw->axis[0].to, sw->axis[0].steps);
    if (sw->n_axes == 2)
        fprintf(fp, "\n  x %s from %.10g to %.10g (%u points)", sw->axis[1].path,
                sw->axis[1].from, sw->axis[1].to, sw->axis[1].steps);
    char days[2][32];
    fprintf(fp, "\n%u replications per point, seed %llu, %s days (first %s warm-up), "
                "%s calendar\n",
            b->replications, (unsigned long long)b->seed, out_days(days[0], b->horizon_days),
            out_days(days[1], b->warmup_days),
            b->calendar.business ? "business" : "24x7");
    fprintf(fp, "Base scenario: %.0f leads a week to sales, team capacity %.0f a week "
                "(nominal), load %.2f\n\n",
            base.offered, base.capacity, base.ratio);

    bool held = false;
    for (size_t p = 0; p < sw->n_done; p++)
        held = held || sw->sums[p].ci[METRIC_HELD_BACK_RATE].mean > 0;
    fprintf(fp, "%12s", out_path_leaf(sw->axis[0].path));
    if (sw->n_axes == 2)
        fprintf(fp, " %12s", out_path_leaf(sw->axis[1].path));
    fprintf(fp, " %9s %9s %6s  %-26s %6s %6s %6s %6s%s %7s %6s %7s %11s\n", "offered",
            "capacity", "load", "junk rate (95% CI)", "lost", "cold", "misjdg", "aband",
            held ? "  held" : "", "wait h", "util", "deals", "profit");
    fprintf(fp, "%12s", "");
    if (sw->n_axes == 2)
        fprintf(fp, " %12s", "");
    fprintf(fp, " %9s %9s %6s  %-26s %6s %6s %6s %6s%s %7s %6s %7s %11s\n", "per week",
            "per week", "", "", "", "", "", "", held ? "  back" : "", "mean", "", "", "");

    unsigned inner = sw->n_axes == 2 ? sw->axis[1].steps : (unsigned)sw->n_points;
    bool any_over = false;
    for (size_t first = 0; first < sw->n_done; first += inner) {
        size_t end = first + inner < sw->n_done ? first + inner : sw->n_done;
        size_t mark = capacity_point(sw, first, end);
        if (first > 0)
            fputc('\n', fp);
        for (size_t p = first; p < end; p++) {
            const struct metric_summary *s = &sw->sums[p];
            struct capacity_load load = point_load(sw, p);
            any_over = any_over || load.over;
            char junk[64], m[16], lo[16], hi[16], c[16], mj[16], ab[16], hb[16], ut[16];
            char lost[16];
            metric_fmt_share(m, sizeof m, s->ci[METRIC_JUNK_RATE].mean);
            metric_fmt_share(lo, sizeof lo, s->ci[METRIC_JUNK_RATE].lo);
            metric_fmt_share(hi, sizeof hi, s->ci[METRIC_JUNK_RATE].hi);
            if (isfinite(s->ci[METRIC_JUNK_RATE].lo))
                snprintf(junk, sizeof junk, "%6s (%s to %s)", m, lo, hi);
            else
                snprintf(junk, sizeof junk, "%6s", m);
            metric_fmt_share(lost, sizeof lost, s->ci[METRIC_LOST_RATE].mean);
            metric_fmt_share(c, sizeof c, s->ci[METRIC_JUNK_WENT_COLD].mean);
            metric_fmt_share(mj, sizeof mj, s->ci[METRIC_JUNK_MISJUDGED].mean);
            metric_fmt_share(ab, sizeof ab, s->ci[METRIC_JUNK_ABANDONED].mean);
            metric_fmt_share(hb, sizeof hb, s->ci[METRIC_HELD_BACK_RATE].mean);
            metric_fmt_share(ut, sizeof ut, s->ci[METRIC_UTILIZATION].mean);
            fprintf(fp, "%12.6g", sw->values[2 * p]);
            if (sw->n_axes == 2)
                fprintf(fp, " %12.6g", sw->values[2 * p + 1]);
            fprintf(fp, " %9.0f %9.0f %5.2f%c  %-26s %6s %6s %6s %6s", load.offered,
                    load.capacity, load.ratio, load.over ? '*' : ' ', junk, lost, c, mj, ab);
            if (held)
                fprintf(fp, " %6s", hb);
            fprintf(fp, " %7.1f %6s %7.0f %11.0f%s\n", s->ci[METRIC_WAIT_MEAN].mean, ut,
                    s->ci[METRIC_DEALS].mean, s->ci[METRIC_PROFIT].mean,
                    p == mark ? "  <- capacity" : "");
        }
    }
    fputs("\ncold, misjdg, aband: junk that went cold while waiting, was rejected by a\n"
          "careless judgement (more often in a rush), or abandoned unserved (shares of\n"
          "resolved leads); lost: junk or held back and lost, a share of the leads that\n"
          "reached sales; deals and profit per replication (profit = revenue - marketing\n"
          "spend - team cost, over the measured days); load = offered / nominal capacity.\n",
          fp);
    if (any_over)
        fputs(out_over_capacity_note, fp);
}

/* ---- the command ----------------------------------------------------------------- */

static int setup(struct sweep *sw, struct cli_opts *o, struct sim_err *err)
{
    if (o->n_args != 1)
        return sim_err_set(err, SIM_ERR_INPUT, "sweep: needs exactly one SCENARIO file (got %zu)",
                           o->n_args);
    sw->axis[0].path = o->vary;
    int rc = check_axis(o, &sw->axis[0], false, err);
    if (rc != SIM_OK)
        return rc;
    sw->n_axes = 1;
    if (o->vary2 != NULL || o->given[OPT_FROM2] || o->given[OPT_TO2] || o->given[OPT_STEPS2]) {
        sw->axis[1].path = o->vary2;
        if ((rc = check_axis(o, &sw->axis[1], true, err)) != SIM_OK)
            return rc;
        if (strcmp(sw->axis[0].path, sw->axis[1].path) == 0)
            return sim_err_set(err, SIM_ERR_INPUT, "sweep: --vary and --vary2 name the same "
                               "field (%s)", o->vary);
        sw->n_axes = 2;
    }
    sw->n_points = sw->axis[0].steps;
    if (sw->n_axes == 2)
        sw->n_points *= sw->axis[1].steps;
    if (sw->n_points > SWEEP_MAX_POINTS)
        return sim_err_set(err, SIM_ERR_INPUT, "sweep: %zu points: at most %u (steps x steps2)",
                           sw->n_points, SWEEP_MAX_POINTS);
    if ((rc = cli_load(o, o->args[0], &sw->doc, &sw->base, err)) != SIM_OK)
        return rc;
    /* Read before build_points() sets the axes in the document. */
    for (unsigned ax = 0; ax < 2; ax++) {
        struct sim_err ignored = {0};
        sw->base_value[ax] = NAN;
        if (ax < sw->n_axes &&
            scn_doc_get_number(sw->doc, sw->axis[ax].path, &sw->base_value[ax], &ignored) != SIM_OK)
            sw->base_value[ax] = NAN;
    }
    if (sw->n_points * sw->base.replications > SWEEP_MAX_TASKS)
        return sim_err_set(err, SIM_ERR_INPUT,
                           "sweep: %zu points x %u replications: at most %u runs in one sweep",
                           sw->n_points, sw->base.replications, SWEEP_MAX_TASKS);
    if ((rc = build_points(sw, err)) != SIM_OK)
        return rc;
    if (o->out != NULL)
        rc = out_prepare_dir(o, err);
    return rc;
}

static int sweep(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    struct sweep sw = {.o = o};
    cJSON *json = NULL;
    int rc = setup(&sw, o, &err);
    if (rc != SIM_OK)
        goto done;

    cli_signals();
    bool by_week = o->target_on.kind != SERIES_TARGET_AVERAGE;
    if (by_week && (rc = cli_target_on_check("sweep", &o->target_on, sw.ptrs, sw.n_points,
                                             &err)) != SIM_OK)
        goto done;
    rc = cli_simulate(o, sw.ptrs, sw.n_points, by_week ? CLI_WANT_SERIES : 0, &sw.res, &err);
    if (rc != SIM_OK)
        goto done;
    cli_timing(o, &sw.res);
    sw.n_done = finished_points(&sw.res);
    if (sw.n_done == 0) {
        fprintf(stderr, "funnelsim: sweep: interrupted before any point finished; "
                        "nothing written\n");
        rc = CLI_EXIT_INTERRUPTED;
        goto done;
    }
    sw.sums = sim_reallocarray(NULL, sw.n_done, sizeof *sw.sums);
    for (size_t p = 0; p < sw.n_done; p++)
        cli_summarise(&sw.res, p, &sw.sums[p]);
    if (by_week) {
        sw.target = sim_reallocarray(NULL, sw.n_done, sizeof *sw.target);
        for (size_t p = 0; p < sw.n_done; p++)
            free(cli_target_on_reps(o, &sw.res, p, &sw.scns[p], &sw.target[p]));
    }
    json = sweep_json(&sw);
    /* An interrupted sweep's finished points are written and charted. */
    struct out_doc out = {
        .stem = "sweep", .json = json, .self = &sw, .csv = sweep_csv,
        .table = sweep_table, .plot = o->plot, .partial = sw.n_done < sw.n_points,
    };
    if ((rc = out_emit(o, &out, &err)) != SIM_OK)
        goto done;
    if (sw.n_done < sw.n_points) {
        fprintf(stderr, "funnelsim: sweep: interrupted: kept the %zu of %zu points whose "
                        "replications all finished%s\n", sw.n_done, sw.n_points,
                o->out != NULL ? " (sweep.csv and sweep.json hold those only)" : "");
        rc = CLI_EXIT_INTERRUPTED;
    }
done:
    cJSON_Delete(json);
    cli_results_free(&sw.res);
    free(sw.sums);
    free(sw.target);
    free(sw.values);
    free(sw.ptrs);
    free(sw.scns);
    scn_doc_free(sw.doc);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_sweep = {
    .name = "sweep",
    .usage = "SCENARIO --vary PATH --from A --to B --steps N\n"
             "                       [--vary2 PATH --from2 A --to2 B --steps2 M] [options]",
    .summary = "Run a scenario at a row (or grid) of values of a numeric field and show how\n"
               "the junk rate and its causes move, against the team's capacity.",
    .help = "PATH names any numeric field as in --set: channels[0].arrivals.per_week,\n"
            "team[1].count, contact.rush_penalty, ...  The N values run evenly from A to B,\n"
            "both included (N = 1: A alone); with --vary2 every pair of values is a point\n"
            "(N x M points, the first field outer).  A field that takes whole numbers\n"
            "(team[1].count) must be stepped on whole numbers: the sweep stops with an error\n"
            "that suggests a --steps that lands on them, rather than rounding in silence.\n"
            "\n"
            "All points and replications run as one experiment on the --jobs threads, and\n"
            "replication r uses the same random streams at every point (common random\n"
            "numbers), so the curve is smooth and the same seed gives the same files\n"
            "whatever --jobs is.\n"
            "\n"
            "The table shows per point the leads offered to sales per week, the team's\n"
            "nominal capacity and their ratio (load), the junk rate with its 95% CI, the\n"
            "overload causes (went cold, misjudged, abandoned), the mean wait and the\n"
            "utilization; '<- capacity' marks the point nearest a load of 1.\n"
            "\n"
            "With --out DIR it writes sweep.csv (one row per point: value[,value2],\n"
            "inflow_per_week, offered_per_week, capacity_per_week, load_ratio, then every\n"
            "metric of 'run' as KEY_mean,KEY_lo,KEY_hi, counts as KEY) and sweep.json\n"
            "(the sweep's facts and one object per point with every metric as in 'run\n"
            "--format json'), and run.json (the run's manifest).  --format json|csv prints\n"
            "those documents instead of the table.\n"
            "With --plot it then draws the charts of DIR and writes DIR/report.html, as\n"
            "'funnelsim plot DIR' does; --target-junk SHARE sets their target line\n"
            "(report.target_junk), and sweep.json records it, the varied keys' labels\n"
            "and every override.\n"
            "\n"
            "Ctrl-C stops a long sweep cleanly: the points whose replications all finished\n"
            "are printed and written, whole, and the program exits with 130.\n"
            "\nExamples:\n"
            "  funnelsim sweep scenarios/article-baseline.json \\\n"
            "      --vary channels[0].arrivals.per_week --from 100 --to 500 --steps 9 --out sweep\n"
            "  funnelsim sweep scenarios/validation-erlang-c.json --vary team[0].count --from 2 \\\n"
            "      --to 6 --steps 5 --vary2 channels[0].arrivals.per_week --from2 400 --to2 1600 \\\n"
            "      --steps2 7 --format csv\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_PLOT) | OPT_BIT(OPT_TARGET_JUNK) |
               OPT_BIT(OPT_TARGET_ON) | OPT_BIT(OPT_VARY) | OPT_BIT(OPT_FROM) |
               OPT_BIT(OPT_TO) | OPT_BIT(OPT_STEPS) | OPT_BIT(OPT_VARY2) |
               OPT_BIT(OPT_FROM2) | OPT_BIT(OPT_TO2) | OPT_BIT(OPT_STEPS2),
    .run = sweep,
};
