/*
 * cmd_sensitivity.c - which assumptions matter: every key with a plausible
 * range moved to each end of it, one at a time, and the junk rate, deals
 * and profit it moves, ranked (a tornado chart).
 *
 * The keys and their ranges come from the key table (models/keytab.h):
 * every key with a `plausible` range, once per element of the array it is
 * in (a group's key once per group, labelled with the group's name by
 * scn_doc_label()).  A key is used by the scenario when the scenario
 * compiles with it at both ends of its range: a key of a kind the
 * scenario does not have (a two-phase half-life under an exponential
 * decay) is refused by the loader and left out; no path string is read
 * for its meaning.  The "[]" of a key's pattern (sim_schema_each()) is
 * replaced by each index in turn until the document has no such element.
 *
 * The points are the base, then each key at its low end and at its high
 * end, all in one experiment: replication r of every point runs on the
 * same random streams (sim/experiment.h), so a key's swing, high - low,
 * and each end's change from the base are estimated from per-replication
 * differences (sim/paired.h), and a key that changes nothing the
 * simulation reads swings by exactly 0.  A swing is within the noise when
 * the 95% interval of its paired difference contains 0.
 *
 * Cost: (1 + 2 x keys) x replications runs; a dozen keys at 20
 * replications are a few hundred runs.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "models/keytab.h"
#include "models/scn_doc.h"
#include "sim/csv.h"
#include "sim/mem.h"
#include "sim/paired.h"
#include "sim/text.h"

#define SENS_MAX_KEYS 128
#define SENS_MAX_TASKS 2000000u     /* runs in one experiment: sweep's limit */
#define SENS_LEVEL 0.95
#define SENS_MAX_INDEX 4096         /* array elements tried per "[]" */

/* The metrics of the tornado, in the order of the charts. */
static const enum metric_id sens_metrics[] = {METRIC_JUNK_RATE, METRIC_DEALS, METRIC_PROFIT};
#define SENS_METRICS (sizeof sens_metrics / sizeof sens_metrics[0])

/* What one key does to one metric. */
struct sens_effect {
    struct sim_ci low, high;        /* the metric at each end */
    struct sim_ci low_vs_base, high_vs_base;    /* paired: end - base */
    struct sim_ci swing;            /* paired: high - low */
    unsigned rank;                  /* 1: the largest |swing| */
    bool within;                    /* the swing's interval contains 0 */
};

struct sens_key {
    char path[SIM_SCHEMA_PATH_MAX];
    char label[256];
    const struct sim_schema_key *k;
    double base_value;              /* NAN: a computed default */
    struct sens_effect e[SENS_METRICS];
};

struct sens {
    const struct cli_opts *o;
    struct scn_doc *doc;
    struct scenario base;
    struct sens_key *keys;
    size_t n;
    struct scenario *scns;          /* 1 + 2n: base, then low and high of each */
    struct cli_results res;
    struct metric_summary base_summary;
    char skipped[1024];             /* default keys left out, for the table */
};

/* ---- the keys ---------------------------------------------------------------- */

static bool has_range(const struct sim_schema_key *k)
{
    return k != NULL && k->plausible.source != NULL && k->type <= SIM_SCHEMA_U64;
}

/* The scenario with `path` at `value` into *out.  SIM_ERR_INPUT with err
 * set when the document has no such element (set) or the value breaks a
 * rule or belongs to a kind the scenario does not have (compile). */
static int at_value(const struct sens *s, const char *path, double value,
                    struct scenario *out, struct sim_err *err)
{
    struct scn_doc *doc = scn_doc_clone(s->doc);
    int rc = scn_doc_set_number(doc, path, value, err);
    if (rc == SIM_OK)
        rc = scn_doc_compile(doc, out, err);
    scn_doc_free(doc);
    return rc;
}

/* The outcome of offering a concrete path. */
enum offer { OFFER_TAKEN, OFFER_ABSENT, OFFER_UNUSED, OFFER_FULL };

static enum offer offer(struct sens *s, const char *path, const struct sim_schema_key *k,
                        struct sim_err *why)
{
    struct scenario probe;
    struct sim_err e = {0};
    struct scn_doc *doc = scn_doc_clone(s->doc);
    int set = scn_doc_set_number(doc, path, k->plausible.lo, &e);
    scn_doc_free(doc);
    if (set != SIM_OK) {
        sim_err_set(why, SIM_ERR_INPUT, "%s", e.msg);
        return OFFER_ABSENT;
    }
    if (at_value(s, path, k->plausible.lo, &probe, &e) != SIM_OK ||
        at_value(s, path, k->plausible.hi, &probe, &e) != SIM_OK) {
        sim_err_set(why, SIM_ERR_INPUT, "%s", e.msg);
        return OFFER_UNUSED;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->keys[i].path, path) == 0)
            return OFFER_TAKEN;
    if (s->n == SENS_MAX_KEYS)
        return OFFER_FULL;
    struct sens_key *sk = &s->keys[s->n++];
    memset(sk, 0, sizeof *sk);
    snprintf(sk->path, sizeof sk->path, "%s", path);
    scn_doc_label(s->doc, path, sk->label, sizeof sk->label);
    sk->k = k;
    struct sim_err ignored = {0};
    if (scn_doc_get_number(s->doc, path, &sk->base_value, &ignored) != SIM_OK)
        sk->base_value = k->def_rule == NULL ? k->def : NAN;
    return OFFER_TAKEN;
}

/* Offers every concrete path of `pattern`: each "[]" replaced by the
 * indices the document has.  Counts what was taken and keeps the last
 * reason one was not.  false when the key list is full. */
struct expand {
    size_t taken;
    struct sim_err why;
};

static bool expand(struct sens *s, const char *pattern, const struct sim_schema_key *k,
                   struct expand *x)
{
    const char *hole = strstr(pattern, "[]");
    if (hole == NULL) {
        enum offer r = offer(s, pattern, k, &x->why);
        x->taken += r == OFFER_TAKEN;
        return r != OFFER_FULL;
    }
    char path[SIM_SCHEMA_PATH_MAX];
    for (unsigned i = 0; i < SENS_MAX_INDEX; i++) {
        int n = snprintf(path, sizeof path, "%.*s[%u]%s", (int)(hole - pattern), pattern, i,
                         hole + 2);
        if (n < 0 || (size_t)n >= sizeof path)
            return true;
        /* Element i exists when the rest of the path resolves in it (any
         * deeper "[]" at its first element); the first index that does
         * not ends the array. */
        char probe[SIM_SCHEMA_PATH_MAX];
        size_t j = 0;
        for (const char *c = path; *c != '\0' && j + 4 < sizeof probe; c++)
            if (c[0] == '[' && c[1] == ']') {
                memcpy(probe + j, "[0]", 3);
                j += 3;
                c++;
            } else {
                probe[j++] = *c;
            }
        probe[j] = '\0';
        struct sim_err e = {0};
        struct scn_doc *doc = scn_doc_clone(s->doc);
        bool there = scn_doc_set_number(doc, probe, k->plausible.lo, &e) == SIM_OK;
        scn_doc_free(doc);
        if (!there) {
            if (i == 0)
                sim_err_set(&x->why, SIM_ERR_INPUT, "%s", e.msg);
            break;
        }
        if (!expand(s, path, k, x))
            return false;
    }
    return true;
}

static void add_default(void *user, const char *pattern, const struct sim_schema_key *k,
                        const struct sim_schema_obj *parent)
{
    (void)parent;
    struct sens *s = user;
    if (!has_range(k))
        return;
    struct expand x = {0};
    expand(s, pattern, k, &x);
}

/* The patterns of the keys with a plausible range, for a hint. */
struct names {
    const char *list[64];
    char store[64][SIM_SCHEMA_PATH_MAX];
    size_t n;
};

static void add_name(void *user, const char *pattern, const struct sim_schema_key *k,
                     const struct sim_schema_obj *parent)
{
    (void)parent;
    struct names *nm = user;
    if (!has_range(k) || nm->n + 1 >= sizeof nm->list / sizeof nm->list[0])
        return;
    snprintf(nm->store[nm->n], sizeof nm->store[0], "%s", pattern);
    nm->list[nm->n] = nm->store[nm->n];
    nm->list[++nm->n] = NULL;
}

static int bad_key(const char *item, const char *rule, struct sim_err *err)
{
    struct names nm = {0};
    sim_schema_each(keytab_root(), add_name, &nm);
    char all[2048] = "";
    size_t len = 0;
    for (size_t i = 0; i < nm.n && len + 2 < sizeof all; i++)
        len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", i ? ", " : "",
                                nm.list[i]);
    if (len >= sizeof all)
        len = sizeof all - 1;
    const char *hint = sim_text_closest(item, nm.list);
    char clean[SIM_SCHEMA_ECHO_MAX + 4];
    sim_schema_clean(clean, sizeof clean, item, SIM_SCHEMA_ECHO_MAX);
    char h[SIM_SCHEMA_PATH_MAX + 32] = "";
    if (hint != NULL)
        snprintf(h, sizeof h, " (did you mean \"%s\"?)", hint);
    return sim_err_set(err, SIM_ERR_INPUT, "--keys: %s: %s%s; the keys with one: %s", clean,
                       rule, h, all);
}

/* --keys PATH,...: each a key with a plausible range (indices optional:
 * team[].new_lead_share is every group's), used by the scenario. */
static int add_listed(struct sens *s, const char *list, struct sim_err *err)
{
    char *copy = sim_strdup(list);
    int rc = SIM_OK;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item != NULL && rc == SIM_OK;
         item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        size_t n = strlen(item);
        while (n > 0 && item[n - 1] == ' ')
            item[--n] = '\0';
        if (n == 0)
            continue;
        const struct sim_schema_key *k = keytab_find(item);
        if (k == NULL) {
            rc = bad_key(item, "unknown key (every key must be one of the key table's "
                         "with a plausible range)", err);
        } else if (!has_range(k)) {
            rc = bad_key(item, "the key table gives this key no plausible range, so there is "
                         "nothing to move it over", err);
        } else {
            struct expand x = {0};
            if (!expand(s, item, k, &x))
                rc = sim_err_set(err, SIM_ERR_INPUT, "--keys: more than %d keys",
                                 SENS_MAX_KEYS);
            else if (x.taken == 0)
                rc = sim_err_set(err, SIM_ERR_INPUT, "--keys: %s: not used by %s (a key must "
                                 "name an element the scenario has, of a kind it has): %s",
                                 item, s->o->args[0], x.why.msg);
        }
    }
    free(copy);
    if (rc == SIM_OK && s->n == 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "--keys: names no key");
    return rc;
}

/* ---- the runs ---------------------------------------------------------------- */

static int build_points(struct sens *s, struct sim_err *err)
{
    s->scns = sim_calloc(1 + 2 * s->n, sizeof *s->scns);
    s->scns[0] = s->base;
    for (size_t i = 0; i < s->n; i++) {
        const struct sens_key *sk = &s->keys[i];
        for (int end = 0; end < 2; end++) {
            struct scenario *p = &s->scns[1 + 2 * i + (size_t)end];
            double v = end ? sk->k->plausible.hi : sk->k->plausible.lo;
            int rc = at_value(s, sk->path, v, p, err);
            if (rc != SIM_OK)
                return rc;
            p->replications = s->base.replications;
        }
    }
    return SIM_OK;
}

/* y[r] = metric `id` of point p in replication r; NaN when unfinished. */
static void metric_of(const struct cli_results *res, size_t p, enum metric_id id, double *y)
{
    for (unsigned r = 0; r < res->reps; r++) {
        size_t t = p * res->reps + r;
        y[r] = res->done[t] ? res->metrics[t * METRIC_COUNT + id] : NAN;
    }
}

static bool contains_zero(const struct sim_ci *ci)
{
    /* Without an interval (one replication) nothing is told apart. */
    if (isnan(ci->lo) || isnan(ci->hi))
        return true;
    return ci->lo <= 0 && ci->hi >= 0;
}

static double magnitude(const struct sim_ci *swing)
{
    return isfinite(swing->mean) ? fabs(swing->mean) : -1;
}

static void analyse(struct sens *s)
{
    unsigned reps = s->res.reps;
    double *base = sim_calloc(3 * (size_t)reps, sizeof *base);
    double *low = base + reps, *high = low + reps;
    struct metric_summary *sum = sim_calloc(1, sizeof *sum);
    cli_summarise(&s->res, 0, &s->base_summary);
    for (size_t m = 0; m < SENS_METRICS; m++) {
        enum metric_id id = sens_metrics[m];
        metric_of(&s->res, 0, id, base);
        for (size_t i = 0; i < s->n; i++) {
            struct sens_effect *e = &s->keys[i].e[m];
            metric_of(&s->res, 1 + 2 * i, id, low);
            metric_of(&s->res, 2 + 2 * i, id, high);
            cli_summarise(&s->res, 1 + 2 * i, sum);
            e->low = sum->ci[id];
            cli_summarise(&s->res, 2 + 2 * i, sum);
            e->high = sum->ci[id];
            sim_paired_diff(base, low, reps, SENS_LEVEL, &e->low_vs_base);
            sim_paired_diff(base, high, reps, SENS_LEVEL, &e->high_vs_base);
            sim_paired_diff(low, high, reps, SENS_LEVEL, &e->swing);
            e->within = contains_zero(&e->swing);
        }
        /* Rank: the largest |swing| first; ties keep the table's order. */
        for (size_t i = 0; i < s->n; i++) {
            unsigned rank = 1;
            double mi = magnitude(&s->keys[i].e[m].swing);
            for (size_t j = 0; j < s->n; j++) {
                double mj = magnitude(&s->keys[j].e[m].swing);
                rank += mj > mi || (mj == mi && j < i);
            }
            s->keys[i].e[m].rank = rank;
        }
    }
    free(sum);
    free(base);
}

/* ---- output ------------------------------------------------------------------- */

static cJSON *key_json(const struct sens *s, const struct sens_key *sk)
{
    (void)s;
    cJSON *o = cJSON_CreateObject();
    out_json_text(o, "key", sk->path);
    out_json_text(o, "label", sk->label);
    cJSON_AddStringToObject(o, "unit", sk->k->unit != NULL ? sk->k->unit : "");
    cJSON_AddNumberToObject(o, "low", sk->k->plausible.lo);
    cJSON_AddNumberToObject(o, "high", sk->k->plausible.hi);
    cJSON_AddItemToObject(o, "base_value", out_number_or_null(sk->base_value));
    cJSON_AddStringToObject(o, "source", sk->k->plausible.source);
    cJSON *res = cJSON_AddObjectToObject(o, "metrics");
    for (size_t m = 0; m < SENS_METRICS; m++) {
        const struct sens_effect *e = &sk->e[m];
        cJSON *x = cJSON_AddObjectToObject(res, metric_descs[sens_metrics[m]].key);
        cJSON_AddItemToObject(x, "at_low", out_ci_json(&e->low));
        cJSON_AddItemToObject(x, "at_high", out_ci_json(&e->high));
        cJSON_AddItemToObject(x, "low_vs_base", out_ci_json(&e->low_vs_base));
        cJSON_AddItemToObject(x, "high_vs_base", out_ci_json(&e->high_vs_base));
        cJSON_AddItemToObject(x, "swing", out_ci_json(&e->swing));
        cJSON_AddNumberToObject(x, "rank", e->rank);
        cJSON_AddBoolToObject(x, "within_noise", e->within);
    }
    return o;
}

static cJSON *to_json(const struct sens *s)
{
    cJSON *j = cJSON_CreateObject();
    out_json_text(j, "scenario", s->base.name);
    out_json_text(j, "file", s->o->args[0]);
    out_json_u64(j, "seed", (unsigned long long)s->base.seed);
    cJSON_AddNumberToObject(j, "replications", s->res.reps);
    cJSON_AddNumberToObject(j, "horizon_days", s->base.horizon_days);
    cJSON_AddNumberToObject(j, "warmup_days", s->base.warmup_days);
    cJSON_AddNumberToObject(j, "target_junk", s->base.report.target_junk);
    cJSON_AddNumberToObject(j, "level", SENS_LEVEL);
    cJSON_AddNumberToObject(j, "runs", (double)(1 + 2 * s->n) * s->res.reps);
    cJSON *ms = cJSON_AddArrayToObject(j, "metrics");
    for (size_t m = 0; m < SENS_METRICS; m++) {
        const struct metric_desc *d = &metric_descs[sens_metrics[m]];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", d->key);
        cJSON_AddStringToObject(x, "label", d->label);
        cJSON_AddStringToObject(x, "unit", d->unit);
        cJSON_AddItemToObject(x, "base", out_ci_json(&s->base_summary.ci[sens_metrics[m]]));
        cJSON_AddItemToArray(ms, x);
    }
    /* The keys with a range that the scenario does not use ("a, b"). */
    out_json_text(j, "left_out", s->skipped);
    cJSON *ks = cJSON_AddArrayToObject(j, "keys");
    for (size_t i = 0; i < s->n; i++)
        cJSON_AddItemToArray(ks, key_json(s, &s->keys[i]));
    return j;
}

static void sens_csv(FILE *fp, const void *self)
{
    const struct sens *s = self;
    struct sim_csv w = sim_csv_on(fp);
    static const char *const head[] = {
        "key", "label", "unit", "low", "high", "base_value", "metric", "base_mean",
        "base_lo", "base_hi", "at_low_mean", "at_low_lo", "at_low_hi", "at_high_mean",
        "at_high_lo", "at_high_hi", "low_vs_base_mean", "low_vs_base_lo", "low_vs_base_hi",
        "high_vs_base_mean", "high_vs_base_lo", "high_vs_base_hi", "swing", "swing_lo",
        "swing_hi", "rank", "within_noise"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        sim_csv_text(&w, head[i]);
    sim_csv_end(&w);
    for (size_t i = 0; i < s->n; i++) {
        const struct sens_key *sk = &s->keys[i];
        for (size_t m = 0; m < SENS_METRICS; m++) {
            const struct sens_effect *e = &sk->e[m];
            sim_csv_text(&w, sk->path);
            sim_csv_text(&w, sk->label);
            sim_csv_text(&w, sk->k->unit != NULL ? sk->k->unit : "");
            sim_csv_number(&w, sk->k->plausible.lo);
            sim_csv_number(&w, sk->k->plausible.hi);
            sim_csv_number(&w, sk->base_value);
            sim_csv_text(&w, metric_descs[sens_metrics[m]].key);
            out_csv_ci(&w, &s->base_summary.ci[sens_metrics[m]]);
            out_csv_ci(&w, &e->low);
            out_csv_ci(&w, &e->high);
            out_csv_ci(&w, &e->low_vs_base);
            out_csv_ci(&w, &e->high_vs_base);
            out_csv_ci(&w, &e->swing);
            sim_csv_uint(&w, e->rank);
            sim_csv_text(&w, e->within ? "true" : "false");
            sim_csv_end(&w);
        }
    }
}

/* A metric's value or change in its unit's style: "12.3%" and "+1.2 pts"
 * for shares, whole money, deals to a tenth. */
static void fmt(char *buf, size_t n, enum metric_id id, double x, bool change)
{
    const char *unit = metric_descs[id].unit;
    if (!isfinite(x))
        snprintf(buf, n, "-");
    else if (strcmp(unit, "share") == 0)
        snprintf(buf, n, change ? "%+.2f pts" : "%.2f%%", 100 * x);
    else if (strcmp(unit, "money") == 0)
        snprintf(buf, n, change ? "%+.0f" : "%.0f", x);
    else
        snprintf(buf, n, change ? "%+.1f" : "%.1f", x);
}

static void range_text(char *buf, size_t n, const struct sens_key *sk)
{
    const char *unit = sk->k->unit != NULL ? sk->k->unit : "";
    snprintf(buf, n, "%g to %g%s%s", sk->k->plausible.lo, sk->k->plausible.hi,
             unit[0] && strcmp(unit, "share") != 0 ? " " : "",
             strcmp(unit, "share") != 0 ? unit : "");
}

static void sens_table(FILE *fp, const void *self)
{
    const struct sens *s = self;
    fprintf(fp, "Sensitivity of %s (%s): %zu assumption%s, each moved over its plausible "
            "range\n", s->base.name, s->o->args[0], s->n, s->n == 1 ? "" : "s");
    fprintf(fp, "%u replications a point, seed %llu, the same random streams at every "
            "point; %zu runs\n", s->res.reps, (unsigned long long)s->base.seed,
            (1 + 2 * s->n) * s->res.reps);
    size_t *order = sim_calloc(s->n ? s->n : 1, sizeof *order);
    for (size_t m = 0; m < SENS_METRICS; m++) {
        enum metric_id id = sens_metrics[m];
        char base[48], lo[48], hi[48];
        fmt(base, sizeof base, id, s->base_summary.ci[id].mean, false);
        fprintf(fp, "\n%s (base %s), largest swing first:\n", metric_descs[id].label, base);
        fprintf(fp, "  %4s  %-40s %-30s %12s %12s %24s\n", "rank", "assumption", "range",
                "at low", "at high", "swing (95% CI)");
        for (size_t i = 0; i < s->n; i++)
            order[s->keys[i].e[m].rank - 1] = i;
        for (size_t r = 0; r < s->n; r++) {
            const struct sens_key *sk = &s->keys[order[r]];
            const struct sens_effect *e = &sk->e[m];
            char range[96], swing[48], sl[48], sh[48], cell[160];
            range_text(range, sizeof range, sk);
            fmt(lo, sizeof lo, id, e->low.mean, false);
            fmt(hi, sizeof hi, id, e->high.mean, false);
            fmt(swing, sizeof swing, id, e->swing.mean, true);
            fmt(sl, sizeof sl, id, e->swing.lo, true);
            fmt(sh, sizeof sh, id, e->swing.hi, true);
            if (isfinite(e->swing.lo))
                snprintf(cell, sizeof cell, "%s (%s to %s)", swing, sl, sh);
            else
                snprintf(cell, sizeof cell, "%s", swing);
            fprintf(fp, "  %4u  %-40.40s %-30.30s %12s %12s %24s%s\n", e->rank, sk->label,
                    range, lo, hi, cell, e->within ? "  within noise" : "");
        }
    }
    free(order);
    fputs("\nswing: the metric at the high end of the range minus at the low end, from "
          "paired replications; within noise: its 95% interval contains 0.\n", fp);
    if (s->skipped[0] != '\0')
        fprintf(fp, "Not used by this scenario, left out: %s.\n", s->skipped);
}

/* Notes which key patterns with a range give the scenario no key. */
struct skip_note {
    struct sens *s;
};

static void note_skipped(void *user, const char *pattern, const struct sim_schema_key *k,
                         const struct sim_schema_obj *parent)
{
    (void)parent;
    struct sens *s = user;
    if (!has_range(k))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->keys[i].k == k)
            return;
    size_t len = strlen(s->skipped);
    if (len + strlen(pattern) + 3 < sizeof s->skipped)
        snprintf(s->skipped + len, sizeof s->skipped - len, "%s%s", len ? ", " : "", pattern);
}

/* ---- the command --------------------------------------------------------------- */

static int setup(struct sens *s, struct sim_err *err)
{
    const struct cli_opts *o = s->o;
    if (o->n_args != 1)
        return sim_err_set(err, SIM_ERR_INPUT, "sensitivity: needs exactly one SCENARIO file "
                           "(got %zu)", o->n_args);
    int rc = cli_load(o, o->args[0], &s->doc, &s->base, err);
    if (rc != SIM_OK)
        return rc;
    s->keys = sim_calloc(SENS_MAX_KEYS, sizeof *s->keys);
    if (o->keys != NULL) {
        rc = add_listed(s, o->keys, err);
    } else {
        sim_schema_each(keytab_root(), add_default, s);
        sim_schema_each(keytab_root(), note_skipped, s);
        if (s->n == 0)
            rc = sim_err_set(err, SIM_ERR_INPUT, "sensitivity: %s uses no key with a "
                             "plausible range", o->args[0]);
    }
    if (rc != SIM_OK)
        return rc;
    size_t runs = (1 + 2 * s->n) * (size_t)s->base.replications;
    if (runs > SENS_MAX_TASKS)
        return sim_err_set(err, SIM_ERR_INPUT, "sensitivity: %zu keys x 2 ends + the base, "
                           "%u replications each: %zu runs, at most %u", s->n,
                           s->base.replications, runs, SENS_MAX_TASKS);
    if ((rc = build_points(s, err)) != SIM_OK)
        return rc;
    if (o->out != NULL)
        rc = out_prepare_dir(o, err);
    return rc;
}

static int sensitivity(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    struct sens s = {.o = o};
    cJSON *json = NULL;
    const struct scenario **scns = NULL;
    int rc = setup(&s, &err);
    if (rc != SIM_OK)
        goto done;
    size_t n_points = 1 + 2 * s.n;
    if (!o->quiet)
        fprintf(stderr, "funnelsim: sensitivity: %zu key%s x 2 ends + the base = %zu points "
                "x %u replications = %zu runs\n", s.n, s.n == 1 ? "" : "s", n_points,
                s.base.replications, n_points * s.base.replications);
    cli_signals();
    scns = sim_calloc(n_points, sizeof *scns);
    for (size_t p = 0; p < n_points; p++)
        scns[p] = &s.scns[p];
    rc = cli_simulate(o, scns, n_points, 0, &s.res, &err);
    if (rc != SIM_OK)
        goto done;
    cli_timing(o, &s.res);
    if (s.res.interrupted) {
        fprintf(stderr, "funnelsim: interrupted: nothing written\n");
        rc = CLI_EXIT_INTERRUPTED;
        goto done;
    }
    analyse(&s);
    json = to_json(&s);
    struct out_doc out = {
        .stem = "sensitivity", .json = json, .self = &s, .csv = sens_csv,
        .table = sens_table, .plot = o->out != NULL,
    };
    rc = out_emit(o, &out, &err);
done:
    free(scns);
    cJSON_Delete(json);
    free(s.scns);
    free(s.keys);
    scn_doc_free(s.doc);
    cli_results_free(&s.res);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_sensitivity = {
    .name = "sensitivity",
    .usage = "SCENARIO [--keys PATH,...] --out DIR [options]",
    .summary = "Which assumptions matter: each key moved over its plausible range,\n"
               "the junk rate, deals and profit it moves, ranked (a tornado chart).",
    .help = "Every key of the key table with a plausible range (funnelsim keys lists them)\n"
            "that the scenario uses is run at the low and at the high end of its range, one\n"
            "at a time, all else as in the scenario; a key of a channel or group runs once\n"
            "per channel or group.  Keys of a kind the scenario does not have (a two-phase\n"
            "half-life under an exponential decay) are left out.  --keys names the keys\n"
            "instead: paths as in --set, [] for every element (team[].new_lead_share).\n"
            "\n"
            "Every point runs the same replications on the same random streams, so each\n"
            "key's swing (the metric at the high end minus at the low end) and each end's\n"
            "change from the base come with 95% intervals of the paired differences; a\n"
            "swing whose interval contains 0 is within the noise, and a key the\n"
            "simulation does not read swings by exactly 0.  Keys are ranked by the size\n"
            "of their swing, for each of junk rate, deals won and profit.  The work is\n"
            "(1 + 2 x keys) x replications runs; the count is printed before they start.\n"
            "\n"
            "With --out DIR it writes sensitivity.json, sensitivity.csv (one row per key\n"
            "and metric) and the tornado chart sensitivity_tornado.png and .svg (gnuplot)\n"
            "with report.html, as 'funnelsim plot DIR' does.\n"
            "\nExamples:\n"
            "  funnelsim sensitivity scenarios/default.json --out out/sensitivity\n"
            "  funnelsim sensitivity scenarios/default.json --keys sales.win_rate,\\\n"
            "      contact.p_reach --reps 40 --out out/sens\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_KEYS),
    .run = sensitivity,
};
