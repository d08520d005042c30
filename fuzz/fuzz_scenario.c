/*
 * fuzz_scenario.c - libFuzzer target for the scenario loader and the
 * --set path parser (models/scenario.c).
 *
 * An input is a scenario document, optionally followed by a NUL byte and
 * overrides, one "PATH=VALUE" a line, as a user would write them after
 * --set:
 *
 *     {"name": "x", "channels": [...], ...}\0team[0].count=7\nrouting=pool
 *
 * The document goes through scn_doc_parse() and scn_doc_compile(); each
 * override through scn_doc_set(), and its path through
 * scn_doc_get_number(), scn_doc_set_number() and scn_doc_copy().  When the
 * document does not parse, the overrides are applied to a small valid
 * scenario instead, so that the path parser is exercised by every input.
 *
 * Besides "no crash, no leak, no undefined behaviour" (the sanitizers'
 * job), the target checks properties that must hold for any input, and
 * aborts when one breaks:
 *
 *   - every failure sets an error message, and every success leaves it
 *     unset;
 *   - a document and its clone compile alike (same code, same message)
 *     and scn_doc_diff() finds no difference between them;
 *   - scn_doc_print() gives JSON that parses again;
 *   - a compiled scenario obeys the ranges the loader promises (positive
 *     horizon, warm-up before it, temperatures adding up to 1, at most
 *     SCN_MAX_MANAGERS managers, finite numbers);
 *   - a compiled scenario runs: one short replication of it (horizon cut
 *     to FUZZ_RUN_DAYS, inflow to FUZZ_RUN_PER_WEEK a channel, a small
 *     lead limit, so that an input costs milliseconds) ends without an
 *     assertion, and its shares are in [0, 1] and its counts and money
 *     finite.  The loader's job is to refuse what the model cannot run,
 *     so this is where a range that is too wide shows.
 *
 * Inputs longer than FUZZ_MAX_INPUT are ignored: the loader's own cap is
 * 4 MiB, far more than a fuzzer needs to reach every branch, and long
 * inputs only slow it down (tmux's fuzzers cap their input the same way).
 *
 * Build and run: `make fuzz FUZZ_SECONDS=60` (clang-14, -fsanitize=fuzzer,
 * address,undefined); the seed corpus is made from the scenarios and
 * the broken files (scenarios/, tests/bad/) by fuzz/seed.sh.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_errno.h>

#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/series.h"
#include "sim/err.h"
#include "sim/mem.h"

#define FUZZ_MAX_INPUT (64u << 10)
#define FUZZ_MAX_SETS 16
#define FUZZ_LOADER_MAX (4u << 20)     /* SCN_FILE_MAX in scenario.c */

/* The model run of an accepted scenario is kept small (see run_model). */
#define FUZZ_RUN_DAYS 14.0
#define FUZZ_RUN_PER_WEEK 2000.0
#define FUZZ_RUN_BATCH 500u
#define FUZZ_RUN_MAX_LEADS 5000u

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fallback_doc[] =
    "{\"name\": \"fuzz\", \"horizon_days\": 30,"
    " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 10}},"
    "  {\"name\": \"webinar\", \"arrivals\": {\"kind\": \"batch\", \"size\": 20, \"every_days\": 14}}],"
    " \"team\": [{\"name\": \"all\", \"count\": 2}],"
    " \"contact\": {\"duration\": {\"dist\": \"lognormal\"}}}";

/* A broken property: print what and where, then abort so that libFuzzer
 * records the input. */
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_scenario: %s:%d: %s: ", __FILE__,        \
                    __LINE__, #cond);                                      \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* rc and err agree: an error code comes with a message, SIM_OK with none. */
static void check_err(int rc, const struct sim_err *err)
{
    CHECK(rc == SIM_OK || rc == SIM_ERR_INPUT || rc == SIM_ERR_RUNTIME,
          "unexpected code %d", rc);
    if (rc == SIM_OK) {
        CHECK(!sim_err_isset(err), "SIM_OK with message \"%s\"", err->msg);
    } else {
        CHECK(err->code == rc, "code %d but err says %d", rc, err->code);
        CHECK(err->msg[0] != '\0', "code %d without a message", rc);
    }
}

/* The promises scn_doc_compile() makes about a scenario it accepts. */
static void check_scenario(const struct scenario *s)
{
    CHECK(isfinite(s->horizon_days) && s->horizon_days > 0 && s->horizon_days <= 3650,
          "horizon_days %g", s->horizon_days);
    CHECK(s->warmup_days >= 0 && s->warmup_days < s->horizon_days,
          "warmup_days %g, horizon %g", s->warmup_days, s->horizon_days);
    CHECK(s->replications >= 1, "replications %u", s->replications);
    CHECK(s->n_channels >= 1 && s->n_channels <= SCN_MAX_CHANNELS,
          "n_channels %u", s->n_channels);
    CHECK(s->n_groups >= 1 && s->n_groups <= SCN_MAX_GROUPS,
          "n_groups %u", s->n_groups);
    CHECK(scn_managers(s) >= 1 && scn_managers(s) <= SCN_MAX_MANAGERS,
          "managers %u", scn_managers(s));
    CHECK((unsigned)s->routing < SCN_ROUTINGS, "routing %u", (unsigned)s->routing);
    for (unsigned i = 0; i < s->n_channels; i++) {
        const struct scn_channel *ch = &s->channels[i];
        double sum = 0;
        for (int t = 0; t < SCN_TEMPS; t++) {
            CHECK(ch->temperature[t] >= 0 && ch->temperature[t] <= 1,
                  "channels[%u].temperature[%d] = %g", i, t, ch->temperature[t]);
            sum += ch->temperature[t];
        }
        CHECK(fabs(sum - 1.0) <= 1e-6, "channels[%u] temperatures add to %g", i, sum);
        CHECK(ch->fit_share >= 0 && ch->fit_share <= 1, "fit_share %g", ch->fit_share);
        CHECK(ch->theorist_share >= 0 && ch->theorist_share <= 1,
              "theorist_share %g", ch->theorist_share);
        CHECK(isfinite(ch->cost_per_lead), "cost_per_lead %g", ch->cost_per_lead);
        if (ch->kind == SCN_ARRIVALS_POISSON)
            CHECK(isfinite(ch->per_week) && ch->per_week > 0, "per_week %g", ch->per_week);
        else if (ch->kind == SCN_ARRIVALS_BATCH)
            /* A batch channel repeats (every_days) or has its days (on: a
             * trade show), or both. */
            CHECK(ch->batch_size >= 1 && (ch->every_days >= 1 || ch->n_on >= 1),
                  "batch %u every %u on %u days", ch->batch_size, ch->every_days, ch->n_on);
    }
    for (unsigned g = 0; g < s->n_groups; g++)
        CHECK(s->team[g].new_lead_share > 0 && s->team[g].new_lead_share <= 1,
              "team[%u].new_lead_share %g", g, s->team[g].new_lead_share);
    CHECK(s->contact.max_attempts >= 1 && s->contact.max_attempts <= SCN_MAX_ATTEMPTS,
          "max_attempts %u", s->contact.max_attempts);
    CHECK(isfinite(s->contact.duration.mean) && s->contact.duration.mean > 0,
          "duration mean %g", s->contact.duration.mean);
    CHECK(s->contact.misjudge_base + s->contact.rush_penalty <= 1.0,
          "misjudgement %g + %g", s->contact.misjudge_base, s->contact.rush_penalty);
    CHECK(s->handoff.overflow == SCN_OVERFLOW_DROP || s->handoff.capped,
          "overflow %d without a cap", (int)s->handoff.overflow);
    CHECK(s->handoff.max_returns <= SCN_MAX_RETURNS, "max_returns %u", s->handoff.max_returns);
}

/* One short replication of an accepted scenario; see the header. */
static void run_model(const struct scenario *accepted)
{
    struct scenario *s = sim_malloc(sizeof *s);
    *s = *accepted;
    if (s->horizon_days > FUZZ_RUN_DAYS) {
        s->horizon_days = FUZZ_RUN_DAYS;
        if (s->warmup_days >= s->horizon_days)
            s->warmup_days = s->horizon_days / 2;
    }
    for (unsigned i = 0; i < s->n_channels; i++) {
        if (s->channels[i].per_week > FUZZ_RUN_PER_WEEK)
            s->channels[i].per_week = FUZZ_RUN_PER_WEEK;
        if (s->channels[i].batch_size > FUZZ_RUN_BATCH)
            s->channels[i].batch_size = FUZZ_RUN_BATCH;
    }
    double *store = sim_calloc(series_block_size(s), sizeof *store);
    struct funnel_series series;
    series_bind(&series, store, s);
    struct funnel_opts opts = {.max_leads = FUZZ_RUN_MAX_LEADS,
                               .series = &series};
    double x[METRIC_COUNT];
    struct sim_err err;
    sim_err_clear(&err);
    int rc = funnel_replicate(s, 0, &opts, x, &err);
    CHECK(rc == SIM_OK || rc == SIM_ERR_RUNTIME, "replication returned %d", rc);
    if (rc == SIM_OK) {
        CHECK(!sim_err_isset(&err), "SIM_OK with message \"%s\"", err.msg);
        for (unsigned m = METRIC_JUNK_RATE; m <= METRIC_PROB_WAIT; m++)
            CHECK(isnan(x[m]) || (x[m] >= 0.0 && x[m] <= 1.0 + 1e-9), "%s = %g",
                  metric_descs[m].key, x[m]);
        /* Counts and money are finite and never negative, unless the
         * metric's flags say otherwise (a slope, a profit; a cost per deal
         * without deals). */
        for (unsigned m = METRIC_QUALIFIED; m < METRIC_COUNT; m++) {
            unsigned fl = metric_descs[m].flags;
            if (isnan(x[m]))
                CHECK(fl & METRIC_MAY_BE_NAN, "%s = %g", metric_descs[m].key, x[m]);
            else
                CHECK(isfinite(x[m]) && (x[m] >= 0.0 || (fl & METRIC_SIGNED)), "%s = %g",
                      metric_descs[m].key, x[m]);
        }
        CHECK(x[METRIC_RESOLVED] <= x[METRIC_LEADS_HANDED] &&
              x[METRIC_JUNK] <= x[METRIC_RESOLVED],
              "handed %g, resolved %g, junk %g", x[METRIC_LEADS_HANDED],
              x[METRIC_RESOLVED], x[METRIC_JUNK]);
        for (unsigned m = METRIC_WAIT_MEAN; m <= METRIC_BACKLOG_MEAN; m++)
            CHECK(isnan(x[m]) || (isfinite(x[m]) && x[m] >= 0.0), "%s = %g",
                  metric_descs[m].key, x[m]);
        /* Every lead at sales' door counted once (metric.h): lost is junk
         * plus the held back and lost, who were held back and never
         * handed; without a warm-up the leads generated are the filtered,
         * the lost at the door, the handed and those still in marketing,
         * plus diverted theorists that do not return. */
        double held_lost = x[METRIC_LOST] - x[METRIC_JUNK];
        CHECK(held_lost >= 0.0 && held_lost <= x[METRIC_HELD_BACK] &&
              x[METRIC_HELD_BACK] <= x[METRIC_LEADS_HANDED] + held_lost,
              "lost %g, junk %g, held back %g, handed %g", x[METRIC_LOST], x[METRIC_JUNK],
              x[METRIC_HELD_BACK], x[METRIC_LEADS_HANDED]);
        CHECK(s->handoff.capped || x[METRIC_HELD_BACK] == 0.0, "held back %g without a cap",
              x[METRIC_HELD_BACK]);
        if (s->warmup_days == 0.0) {
            double rest = x[METRIC_LEADS_GENERATED] - x[METRIC_FILTERED] - held_lost -
                          x[METRIC_LEADS_HANDED] - x[METRIC_IN_MARKETING];
            CHECK(rest >= 0.0 && rest <= x[METRIC_DIVERTED],
                  "generated %g: filtered %g, held back and lost %g, handed %g, in "
                  "marketing %g leave %g, diverted %g", x[METRIC_LEADS_GENERATED],
                  x[METRIC_FILTERED], held_lost, x[METRIC_LEADS_HANDED],
                  x[METRIC_IN_MARKETING], rest, x[METRIC_DIVERTED]);
        }
        CHECK(x[METRIC_PROFIT] == x[METRIC_REVENUE] - x[METRIC_MARKETING_SPEND] -
                                      x[METRIC_TEAM_COST],
              "profit %g, revenue %g, spend %g, team %g", x[METRIC_PROFIT],
              x[METRIC_REVENUE], x[METRIC_MARKETING_SPEND], x[METRIC_TEAM_COST]);
    } else {
        CHECK(sim_err_isset(&err), "a failed replication without a message");
    }
    free(store);
    free(s);
}

/* Compiles doc and its clone: they must agree, and the clone must not
 * differ from doc. */
static void diff_count(void *user, const char *path)
{
    (void)path;
    ++*(size_t *)user;
}

static void compile_and_compare(const struct scn_doc *doc)
{
    struct scenario *a = sim_malloc(sizeof *a), *b = sim_malloc(sizeof *b);
    struct sim_err ea, eb;
    sim_err_clear(&ea);
    int ra = scn_doc_compile(doc, a, &ea);
    check_err(ra, &ea);
    if (ra == SIM_OK) {
        check_scenario(a);
        run_model(a);
    }

    struct scn_doc *copy = scn_doc_clone(doc);
    sim_err_clear(&eb);
    int rb = scn_doc_compile(copy, b, &eb);
    CHECK(ra == rb && strcmp(ea.msg, eb.msg) == 0,
          "the clone compiles differently: \"%s\" vs \"%s\"", ea.msg, eb.msg);
    size_t n = 0;
    scn_doc_diff(doc, copy, diff_count, &n);
    /* Only for documents the loader accepts: scn_doc_diff() reports
     * a root that is not an object as one difference whatever the
     * other is, and matches duplicate keys by their first occurrence;
     * the loader refuses both. */
    CHECK(n == 0 || ra != SIM_OK,
          "%zu differences between a document and its clone", n);
    scn_doc_free(copy);

    char *text = scn_doc_print(doc);
    sim_err_clear(&eb);
    struct scn_doc *again = scn_doc_parse(text, "printed.json", &eb);
    /* cJSON prints what it parsed.  Indentation can blow a deeply
     * nested input past the loader's 4 MiB cap, which then refuses it
     * with a message; anything else must parse. */
    if (strlen(text) <= FUZZ_LOADER_MAX)
        CHECK(again != NULL || eb.code == SIM_ERR_RUNTIME,
              "printed document does not parse: %s", eb.msg);
    else
        CHECK(again == NULL && eb.code == SIM_ERR_INPUT, "a %zu-byte text was accepted",
              strlen(text));
    scn_doc_free(again);
    free(text);
    free(a);
    free(b);
}

/* One override and the calls that walk the same path. */
static void apply_set(struct scn_doc *doc, const struct scn_doc *orig, const char *line)
{
    struct sim_err err;
    sim_err_clear(&err);
    int rc = scn_doc_set(doc, line, &err);
    check_err(rc, &err);

    const char *eq = strchr(line, '=');
    size_t n = eq != NULL ? (size_t)(eq - line) : strlen(line);
    char path[300];
    if (n >= sizeof path)
        n = sizeof path - 1;
    memcpy(path, line, n);
    path[n] = '\0';

    double x = 0.0;
    sim_err_clear(&err);
    rc = scn_doc_get_number(doc, path, &x, &err);
    check_err(rc, &err);
    if (rc == SIM_OK) {
        CHECK(!isnan(x), "%s reads back as NaN", path);
        /* Setting the number read must succeed where it is finite. */
        sim_err_clear(&err);
        rc = scn_doc_set_number(doc, path, x, &err);
        check_err(rc, &err);
        CHECK(rc == SIM_OK || !isfinite(x), "%s=%g cannot be set back: %s", path, x, err.msg);
    }
    /* The sweep's way in with a value the user cannot type. */
    sim_err_clear(&err);
    rc = scn_doc_set_number(doc, path, eq != NULL && eq[1] == 'n' ? NAN : INFINITY, &err);
    CHECK(rc == SIM_ERR_INPUT, "a non-finite number was accepted at %s", path);

    /* Copying the original value into a scratch copy (not into doc: the
     * override must reach the compile step). */
    struct scn_doc *scratch = scn_doc_clone(doc);
    sim_err_clear(&err);
    rc = scn_doc_copy(scratch, orig, path, &err);
    check_err(rc, &err);
    scn_doc_free(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* As main() does: one out-of-memory policy, GSL errors as codes. */
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = sim_malloc, .free_fn = free});
    gsl_set_error_handler_off();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    char *text = sim_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    /* Everything after the first NUL is overrides. */
    size_t doc_len = strlen(text);
    char *sets = doc_len < size ? text + doc_len + 1 : NULL;

    struct sim_err err;
    sim_err_clear(&err);
    struct scn_doc *doc = scn_doc_parse(text, "fuzz.json", &err);
    if (doc == NULL) {
        CHECK(sim_err_isset(&err), "parse failed without a message");
        sim_err_clear(&err);
        doc = scn_doc_parse(fallback_doc, "fuzz.json", &err);
        CHECK(doc != NULL, "the fallback document does not parse: %s", err.msg);
    }
    compile_and_compare(doc);

    if (sets != NULL) {
        struct scn_doc *orig = scn_doc_clone(doc);
        size_t k = 0;
        /* Interior NULs end an override like a newline. */
        for (size_t i = doc_len + 1; i < size; i++)
            if (text[i] == '\0')
                text[i] = '\n';
        for (char *line = sets; line != NULL && k < FUZZ_MAX_SETS; k++) {
            char *nl = strchr(line, '\n');
            if (nl != NULL)
                *nl = '\0';
            apply_set(doc, orig, line);
            line = nl != NULL ? nl + 1 : NULL;
        }
        compile_and_compare(doc);
        scn_doc_free(orig);
    }
    scn_doc_free(doc);
    free(text);
    return 0;
}
