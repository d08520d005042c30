/*
 * test_scenario.c - the scenario loader: defaults, the reference example,
 * every broken file in tests/bad/, overrides, and documents.
 *
 * Each tests/bad/NN-what.json has a sidecar NN-what.expect of two lines:
 * the JSON path the message must name and a fragment of the rule.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"
#include "models/scn_doc.h"
#include "sim/date.h"
#include "sim/schema.h"

#define BAD_DIR FUNNELSIM_SRCDIR "/tests/bad"

/* The format's reference example (version 1), verbatim. */
static const char design_example[] =
    "{\n"
    "  \"name\": \"article-baseline\",\n"
    "  \"description\": \"one line\",\n"
    "  \"seed\": 1, \"replications\": 20,\n"
    "  \"horizon_days\": 182, \"warmup_days\": 28,\n"
    "  \"calendar\": {\"mode\": \"business\", \"hours_per_day\": 8, \"days_per_week\": 5},\n"
    "  \"channels\": [\n"
    "    {\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 120},\n"
    "     \"fit_share\": 0.7, \"theorist_share\": 0.1,\n"
    "     \"temperature\": {\"hot\": 0.2, \"warm\": 0.5, \"cold\": 0.3},\n"
    "     \"cost_per_lead\": 40, \"deal_value\": 6000},\n"
    "    {\"name\": \"webinar\", \"arrivals\": {\"kind\": \"batch\", \"size\": 150, \"every_days\": 14, \"first_day\": 2},\n"
    "     \"fit_share\": 0.5, \"theorist_share\": 0.4}\n"
    "  ],\n"
    "  \"prequalification\": {\"enabled\": false, \"indicators\": 7, \"min_true\": 5,\n"
    "                       \"p_true_fit\": 0.85, \"p_true_unfit\": 0.35,\n"
    "                       \"theorist_detection\": 0.0, \"nurture_return_share\": 0.1,\n"
    "                       \"nurture_return_days\": 90},\n"
    "  \"handoff\": {\"max_backlog\": null, \"delay_hours\": 0},\n"
    "  \"interest\": {\"warm\": 0.7, \"cold\": 0.4},\n"
    "  \"team\": [\n"
    "    {\"name\": \"seniors\", \"count\": 3, \"skill\": 0.8, \"new_lead_share\": 0.5, \"favourite\": true},\n"
    "    {\"name\": \"novices\", \"count\": 5, \"skill\": 0.4, \"new_lead_share\": 1.0}\n"
    "  ],\n"
    "  \"routing\": \"pool\",\n"
    "  \"queue_discipline\": \"fifo\",\n"
    "  \"contact\": {\"duration\": {\"dist\": \"lognormal\", \"mean_hours\": 0.5, \"cv\": 0.6},\n"
    "              \"contactable\": 0.7, \"max_attempts\": 3, \"p_reach\": 0.6, \"retry_gap_hours\": 4,\n"
    "              \"comfortable_backlog\": 15, \"misjudge_base\": 0.15, \"rush_penalty\": 0.3},\n"
    "  \"decay\": {\"kind\": \"exponential\", \"half_life_hours\": 48},\n"
    "  \"abandon\": {\"kind\": \"none\"},\n"
    "  \"control\": {\"audit_share\": 0.0, \"recovery\": 0.8, \"deterrence\": 0.5}\n"
    "}\n";

static const char minimal[] =
    "{\"name\": \"m\","
    " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 10}}],"
    " \"team\": [{\"name\": \"all\", \"count\": 2}]}";

/* Parses and compiles text; the error message when it fails. */
static int compile_text(const char *text, struct scenario *s, struct sim_err *err)
{
    sim_err_clear(err);
    struct scn_doc *doc = scn_doc_parse(text, "web.json", err);
    if (doc == NULL)
        return err->code;
    int rc = scn_doc_compile(doc, s, err);
    scn_doc_free(doc);
    return rc;
}

/* The exact message compiling text gives ("" when it compiles). */
static const char *message_of(const char *text)
{
    static struct sim_err err;
    struct scenario s;
    if (compile_text(text, &s, &err) == SIM_OK)
        return "";
    return err.msg;
}

/* The minimal scenario with one more top-level member, `extra`. */
static const char *with(const char *extra)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "{%s, %s", extra, minimal + 1);
    return buf;
}

static struct scn_doc *parse_ok(const char *text)
{
    struct sim_err err;
    sim_err_clear(&err);
    struct scn_doc *doc = scn_doc_parse(text, "web.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

static void compile_ok(const struct scn_doc *doc, struct scenario *s)
{
    struct sim_err err;
    sim_err_clear(&err);
    cr_assert_eq(scn_doc_compile(doc, s, &err), SIM_OK, "%s", err.msg);
}

/* ------------------------------------------------------------------ */

Test(scenario, defaults)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(minimal, &s, &err), SIM_OK, "%s", err.msg);
    cr_expect_str_eq(s.source, "web.json");
    cr_expect_str_eq(s.name, "m");
    cr_expect_str_eq(s.description, "");
    cr_expect_eq(s.seed, 1);
    cr_expect_eq(s.replications, 20);
    cr_expect_eq(s.horizon_days, 182.0);
    cr_expect_eq(s.warmup_days, 28.0);
    cr_expect(!s.calendar.business);
    cr_expect_eq(s.calendar.start_hour, 9.0);

    cr_assert_eq(s.n_channels, 1);
    const struct scn_channel *ch = &s.channels[0];
    cr_expect_str_eq(ch->name, "web");
    cr_expect_eq(ch->kind, SCN_ARRIVALS_POISSON);
    cr_expect_eq(ch->per_week, 10.0);
    cr_expect_eq(ch->fit_share, 1.0);
    cr_expect_eq(ch->theorist_share, 0.0);
    cr_expect_eq(ch->temperature[SCN_HOT], 1.0);
    cr_expect_eq(ch->temperature[SCN_WARM], 0.0);
    cr_expect_eq(ch->temperature[SCN_COLD], 0.0);
    cr_expect_eq(ch->cost_per_lead, 0.0);
    cr_expect_eq(ch->deal_value.type, &dist_fixed);
    cr_expect_eq(ch->deal_value.mean, 0.0);

    cr_expect(!s.prequal.enabled);
    cr_expect_eq(s.prequal.indicators, 7);
    cr_expect_eq(s.prequal.min_true, 5);
    cr_expect_eq(s.prequal.p_true_fit, 0.85);
    cr_expect_eq(s.prequal.p_true_unfit, 0.35);
    cr_expect_eq(s.prequal.theorist_detection, 0.0);
    cr_expect_eq(s.prequal.nurture_return_share, 0.1);
    cr_expect_eq(s.prequal.nurture_return_days, 90.0);

    cr_expect(!s.handoff.capped);
    cr_expect_eq(s.handoff.delay_hours, 0.0);
    cr_expect_eq(s.interest[SCN_HOT], 1.0);
    cr_expect_eq(s.interest[SCN_WARM], 0.7);
    cr_expect_eq(s.interest[SCN_COLD], 0.4);

    cr_assert_eq(s.n_groups, 1);
    cr_expect_str_eq(s.team[0].name, "all");
    cr_expect_eq(s.team[0].count, 2);
    cr_expect_eq(s.team[0].skill, 0.5);
    cr_expect_eq(s.team[0].new_lead_share, 1.0);
    cr_expect(!s.team[0].favourite);
    cr_expect_eq(scn_managers(&s), 2);
    cr_expect_eq(s.routing, SCN_ROUTING_POOL);
    cr_expect(!s.hottest_first);

    cr_expect_eq(s.contact.duration.type, &dist_lognormal);
    cr_expect_eq(s.contact.duration.mean, 0.5);
    cr_expect_eq(s.contact.duration.cv, 0.6);
    cr_expect_eq(s.contact.attempt_hours, 0.05);
    cr_expect_eq(s.contact.contactable, 1.0);
    cr_expect_eq(s.contact.max_attempts, 1);
    cr_expect_eq(s.contact.p_reach, 1.0);
    cr_expect_eq(s.contact.retry_gap_hours, 4.0);
    cr_expect_eq(s.contact.comfortable_backlog, 15.0);
    cr_expect_eq(s.contact.misjudge_base, 0.0);
    cr_expect_eq(s.contact.rush_penalty, 0.0);
    cr_expect_eq(s.contact.rush_speedup, 0.0);

    cr_expect_eq(s.decay.type, &decay_none);
    cr_expect(!s.abandon.enabled);
    cr_expect_eq(s.control.audit_share, 0.0);
    cr_expect_eq(s.control.recovery, 0.8);
    cr_expect_eq(s.control.deterrence, 0.5);
    cr_expect_eq(s.sales.win_rate, 0.25);
    cr_expect_eq(s.sales.skill_effect, 0.5);
}

Test(scenario, warmup_default_follows_short_horizon)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(with("\"horizon_days\": 40"), &s, &err), SIM_OK,
                 "%s", err.msg);
    cr_expect_eq(s.warmup_days, 10.0);
}

Test(scenario, design_example)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(design_example, &s, &err), SIM_OK, "%s", err.msg);
    cr_expect_str_eq(s.name, "article-baseline");
    cr_expect_str_eq(s.description, "one line");
    cr_expect_eq(s.replications, 20);
    cr_expect_eq(s.warmup_days, 28.0);
    cr_expect(s.calendar.business);
    cr_expect_eq(s.calendar.hours_per_day, 8.0);
    cr_expect_eq(s.calendar.days_per_week, 5);
    cr_expect_eq(s.calendar.start_hour, 9.0);

    cr_assert_eq(s.n_channels, 2);
    const struct scn_channel *web = &s.channels[0], *wb = &s.channels[1];
    cr_expect_eq(web->kind, SCN_ARRIVALS_POISSON);
    cr_expect_eq(web->per_week, 120.0);
    cr_expect_eq(web->fit_share, 0.7);
    cr_expect_eq(web->theorist_share, 0.1);
    cr_expect_eq(web->temperature[SCN_HOT], 0.2);
    cr_expect_eq(web->temperature[SCN_WARM], 0.5);
    cr_expect_eq(web->temperature[SCN_COLD], 0.3);
    cr_expect_eq(web->cost_per_lead, 40.0);
    cr_expect_eq(web->deal_value.type, &dist_fixed);
    cr_expect_eq(web->deal_value.mean, 6000.0);
    cr_expect_str_eq(wb->name, "webinar");
    cr_expect_eq(wb->kind, SCN_ARRIVALS_BATCH);
    cr_expect_eq(wb->batch_size, 150);
    cr_expect_eq(wb->every_days, 14);
    cr_expect_eq(wb->first_day, 2);
    cr_expect_eq(wb->theorist_share, 0.4);
    cr_expect_eq(wb->temperature[SCN_HOT], 1.0);

    cr_expect(!s.handoff.capped);
    cr_assert_eq(s.n_groups, 2);
    cr_expect_eq(s.team[0].count, 3);
    cr_expect_eq(s.team[0].skill, 0.8);
    cr_expect_eq(s.team[0].new_lead_share, 0.5);
    cr_expect(s.team[0].favourite);
    cr_expect_str_eq(s.team[1].name, "novices");
    cr_expect(!s.team[1].favourite);
    cr_expect_eq(scn_managers(&s), 8);

    cr_expect_eq(s.contact.contactable, 0.7);
    cr_expect_eq(s.contact.max_attempts, 3);
    cr_expect_eq(s.contact.p_reach, 0.6);
    cr_expect_eq(s.contact.misjudge_base, 0.15);
    cr_expect_eq(s.contact.rush_penalty, 0.3);
    cr_expect_eq(s.decay.type, &decay_exponential);
    cr_expect_eq(s.decay.half_life_hours, 48.0);
    cr_expect_float_eq(s.decay.k, log(2.0) / 48.0, 1e-15);
    cr_expect(!s.abandon.enabled);
}

Test(scenario, kinds)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(with(
        "\"decay\": {\"kind\": \"two_phase\", \"fast_half_life_hours\": 0.5,"
        " \"slow_half_life_hours\": 24, \"fast_weight\": 0.6, \"floor\": 0.02},"
        " \"abandon\": {\"kind\": \"exponential\", \"mean_hours\": 72},"
        " \"handoff\": {\"max_backlog\": 40},"
        " \"routing\": \"least_loaded\", \"queue_discipline\": \"hottest_first\","
        " \"contact\": {\"duration\": {\"dist\": \"fixed\", \"mean_hours\": 0.25, \"cv\": 0}},"
        " \"notes\": {\"anything\": [1, {\"goes\": null}]}"), &s, &err), SIM_OK,
        "%s", err.msg);
    cr_expect_eq(s.decay.type, &decay_two_phase);
    cr_expect_eq(s.decay.fast_weight, 0.6);
    cr_expect_eq(s.decay.floor, 0.02);
    cr_expect_float_eq(s.decay.k_slow, log(2.0) / 24.0, 1e-15);
    cr_expect(s.abandon.enabled);
    cr_expect_eq(s.abandon.patience.type, &dist_exponential);
    cr_expect_eq(s.abandon.patience.mean, 72.0);
    cr_expect(s.handoff.capped);
    cr_expect_eq(s.handoff.max_backlog, 40);
    cr_expect_eq(s.routing, SCN_ROUTING_LEAST_LOADED);
    cr_expect(s.hottest_first);
    cr_expect_eq(s.contact.duration.type, &dist_fixed);

    cr_assert_eq(compile_text(with(
        "\"abandon\": {\"kind\": \"fixed\", \"after_hours\": 36},"
        " \"contact\": {\"duration\": {\"dist\": \"exponential\", \"mean_hours\": 0.25}}"),
        &s, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(s.abandon.patience.type, &dist_fixed);
    cr_expect_eq(s.abandon.patience.mean, 36.0);
    cr_expect_eq(s.contact.duration.type, &dist_exponential);
    cr_expect_eq(s.contact.duration.cv, 1.0);

    cr_assert_eq(compile_text(
        "{\"name\": \"d\", \"channels\": [{\"name\": \"w\", \"arrivals\": {\"kind\": \"batch\","
        " \"size\": 10, \"every_days\": 7}, \"deal_value\": {\"mean\": 5000, \"cv\": 0.5}}],"
        " \"team\": [{\"name\": \"t\", \"count\": 1}]}", &s, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(s.channels[0].first_day, 0);
    cr_expect_eq(s.channels[0].deal_value.type, &dist_lognormal);
    cr_expect_eq(s.channels[0].deal_value.mean, 5000.0);
    cr_expect_eq(s.channels[0].deal_value.cv, 0.5);
}

/* The messages of the brief, word for word. */
Test(scenario, exact_messages)
{
    cr_expect_str_eq(message_of("[1]"), "web.json: (root): must be a JSON object");
    cr_expect_str_eq(message_of("{\"name\": \"m\", \"channels\": [{\"name\": \"a\", "
                                "\"arrivals\": {\"kind\": \"poisson\", \"per_week\": 1}}], "
                                "\"team\": []}"),
                     "web.json: team: must have at least one group");
    cr_expect_str_eq(
        message_of("{\"name\": \"m\", \"channels\": [{\"name\": \"a\", \"arrivals\": "
                   "{\"kind\": \"poisson\", \"per_week\": 1}}, {\"name\": \"b\", "
                   "\"arrivals\": {\"kind\": \"poisson\", \"per_week\": 1}, "
                   "\"fit_share\": 1.4}], \"team\": [{\"name\": \"t\", \"count\": 1}]}"),
        "web.json: channels[1].fit_share: must be between 0 and 1 (got 1.4)");
    cr_expect_str_eq(
        message_of("{\"name\": \"m\", \"channels\": [{\"name\": \"a\", \"arrivals\": "
                   "{\"kind\": \"poisson\", \"per_week\": 1}}], "
                   "\"team\": [{\"name\": \"t\", \"cuont\": 1}]}"),
        "web.json: team[0].cuont: unknown key (did you mean \"count\"?)");
    cr_expect_str_eq(message_of("{\n  \"name\": \"m\",\n  \"seed\" 1\n}"),
                     "web.json: line 3, column 10: JSON syntax error");
    cr_expect_str_eq(message_of("{\n\n  \"a\": ]"),
                     "web.json: line 3, column 8: JSON syntax error");
}

Test(scenario, hostile_input)
{
    /* nesting beyond cJSON's limit, in the ignored "notes" */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 64);
    cr_assert_not_null(deep);
    strcpy(deep, "{\"notes\": ");
    size_t n = strlen(deep);
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    strcpy(deep + n + 2 * depth, "}");
    cr_expect(strstr(message_of(deep), "JSON syntax error") != NULL);
    free(deep);

    /* more than 4 MiB */
    size_t big = (4u << 20) + 10;
    char *text = malloc(big + 1);
    cr_assert_not_null(text);
    memset(text, ' ', big);
    text[0] = '{';
    text[big - 1] = '}';
    text[big] = '\0';
    cr_expect(strstr(message_of(text), "too large") != NULL);
    free(text);

    /* control characters are not echoed */
    const char *msg = message_of(with("\"routing\": \"\\u001b[31mred\""));
    cr_expect(strchr(msg, 0x1b) == NULL, "%s", msg);
    /* a very long unknown key */
    char longkey[3000];
    memset(longkey, 'k', sizeof longkey);
    longkey[0] = '"';
    strcpy(longkey + sizeof longkey - 6, "\": 1");
    msg = message_of(with(longkey));
    cr_expect(strstr(msg, "unknown key") != NULL, "%s", msg);
}

/* ------------------------------------------------------------------ */

static void read_expect(const char *path, char *want_path, char *want_rule,
                        size_t size)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_not_null(fgets(want_path, (int)size, f), "%s: no path line", path);
    cr_assert_not_null(fgets(want_rule, (int)size, f), "%s: no rule line", path);
    fclose(f);
    want_path[strcspn(want_path, "\n")] = '\0';
    want_rule[strcspn(want_rule, "\n")] = '\0';
}

Test(scenario, bad_files)
{
    DIR *dir = opendir(BAD_DIR);
    cr_assert_not_null(dir, "cannot open %s", BAD_DIR);
    unsigned checked = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char json[1024], expect[1024], want_path[256], want_rule[256];
        snprintf(json, sizeof json, "%s/%s", BAD_DIR, e->d_name);
        snprintf(expect, sizeof expect, "%s/%.*s.expect", BAD_DIR,
                 (int)(len - 5), e->d_name);
        read_expect(expect, want_path, want_rule, sizeof want_path);

        struct scenario s;
        struct sim_err err;
        sim_err_clear(&err);
        int rc = scn_load(json, NULL, 0, &s, &err);
        cr_expect_eq(rc, SIM_ERR_INPUT, "%s: loaded (rc %d)", e->d_name, rc);
        cr_expect_eq(err.code, SIM_ERR_INPUT, "%s", e->d_name);
        cr_expect(strstr(err.msg, json) == err.msg, "%s: no file name: %s",
                  e->d_name, err.msg);
        char where[300];
        snprintf(where, sizeof where, ": %s", want_path);
        cr_expect(strstr(err.msg, where) != NULL, "%s: path \"%s\" not in: %s",
                  e->d_name, want_path, err.msg);
        cr_expect(strstr(err.msg, want_rule) != NULL, "%s: rule \"%s\" not in: %s",
                  e->d_name, want_rule, err.msg);
        checked++;
    }
    closedir(dir);
    cr_expect_geq(checked, 20, "only %u bad files", checked);
}

Test(scenario, missing_file)
{
    struct scenario s;
    struct sim_err err;
    sim_err_clear(&err);
    cr_expect_eq(scn_load(BAD_DIR "/no-such-file.json", NULL, 0, &s, &err),
                 SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "no-such-file.json: cannot open: No such file "
                              "or directory") != NULL, "%s", err.msg);
    sim_err_clear(&err);
    cr_expect_null(scn_doc_load(BAD_DIR, &err));
    cr_expect_eq(err.code, SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "directory") != NULL, "%s", err.msg);
}

/* ------------------------------------------------------------------ */

/* Applies one assignment and returns the message ("" on success). */
static const char *set_msg(struct scn_doc *doc, const char *assignment)
{
    static struct sim_err err;
    sim_err_clear(&err);
    if (scn_doc_set(doc, assignment, &err) == SIM_OK)
        return "";
    cr_expect_eq(err.code, SIM_ERR_INPUT, "%s", err.msg);
    return err.msg;
}

Test(scenario, set_values)
{
    struct scn_doc *doc = parse_ok(design_example);
    struct scenario s;
    cr_expect_str_eq(set_msg(doc, "team[1].count=7"), "");
    cr_expect_str_eq(set_msg(doc, "channels[0].arrivals.per_week=300"), "");
    cr_expect_str_eq(set_msg(doc, "routing=favourites"), "");
    cr_expect_str_eq(set_msg(doc, "description=\"quoted \\\"text\\\"\""), "");
    cr_expect_str_eq(set_msg(doc, "handoff.max_backlog=25"), "");
    cr_expect_str_eq(set_msg(doc, "team[0].favourite=false"), "");
    cr_expect_str_eq(set_msg(doc, "team[1].favourite=true"), "");
    cr_expect_str_eq(set_msg(doc, "name=what if"), "");
    compile_ok(doc, &s);
    cr_expect_eq(s.team[1].count, 7);
    cr_expect_eq(s.channels[0].per_week, 300.0);
    cr_expect_eq(s.routing, SCN_ROUTING_FAVOURITES);
    cr_expect_str_eq(s.description, "quoted \"text\"");
    cr_expect(s.handoff.capped);
    cr_expect_eq(s.handoff.max_backlog, 25);
    cr_expect(s.team[1].favourite);
    cr_expect_str_eq(s.name, "what if");

    /* null lifts the cap again; a bare word where a number belongs is
     * caught by the compile step, with the path */
    cr_expect_str_eq(set_msg(doc, "handoff.max_backlog=null"), "");
    cr_expect_str_eq(set_msg(doc, "seed=abc"), "");
    struct sim_err err;
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_compile(doc, &s, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "--set seed=abc: must be a whole number from 0 to "
                     "18446744073709551615, as a number or a string of decimal digits "
                     "(got \"abc\")");
    /* a sweep point (scn_doc_set_number) takes the key over: the file's
     * name again */
    cr_expect_eq(scn_doc_set_number(doc, "seed", 1.5, &err), SIM_OK);
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_compile(doc, &s, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: seed: must be a whole number from 0 to "
                     "18446744073709551615 (got 1.5)");
    scn_doc_free(doc);
}

Test(scenario, set_creates_known_objects)
{
    struct scn_doc *doc = parse_ok(minimal);
    struct scenario s;
    cr_expect_str_eq(set_msg(doc, "decay.kind=exponential"), "");
    cr_expect_str_eq(set_msg(doc, "decay.half_life_hours=12"), "");
    cr_expect_str_eq(set_msg(doc, "contact.duration.mean_hours=0.75"), "");
    cr_expect_str_eq(set_msg(doc, "channels[0].temperature.hot=0.5"), "");
    cr_expect_str_eq(set_msg(doc, "channels[0].temperature.cold=0.5"), "");
    compile_ok(doc, &s);
    cr_expect_eq(s.decay.type, &decay_exponential);
    cr_expect_eq(s.decay.half_life_hours, 12.0);
    cr_expect_eq(s.contact.duration.mean, 0.75);
    cr_expect_eq(s.channels[0].temperature[SCN_COLD], 0.5);
    scn_doc_free(doc);
}

Test(scenario, set_errors)
{
    struct scn_doc *doc = parse_ok(design_example);
    cr_expect_str_eq(set_msg(doc, "team[0].cuont=3"),
                     "--set team[0].cuont: unknown key (did you mean \"count\"?)");
    cr_expect_str_eq(set_msg(doc, "team[5].count=3"),
                     "--set team[5]: no such element (team has 2)");
    cr_expect_str_eq(set_msg(doc, "decay.half_lfe_hours=3"),
                     "--set decay.half_lfe_hours: unknown key (did you "
                     "mean \"half_life_hours\"?)");
    cr_expect(strstr(set_msg(doc, "team[x].count=3"),
                     "--set team[x].count: malformed path") != NULL);
    cr_expect(strstr(set_msg(doc, "=3"), "malformed") != NULL);
    cr_expect(strstr(set_msg(doc, "count"), "--set count: malformed (expected "
                                            "PATH=VALUE)") != NULL);
    cr_expect(strstr(set_msg(doc, "team..count=3"), "malformed path") != NULL);
    cr_expect(strstr(set_msg(doc, "team[0]=3"), "must end with a key") != NULL);
    cr_expect(strstr(set_msg(doc, "team[1"), "malformed") != NULL);
    cr_expect(strstr(set_msg(doc, "seed.x=3"), "--set seed: is not an object") != NULL);
    cr_expect(strstr(set_msg(doc, "channels[0].deal_value.mean=3"),
                     "--set channels[0].deal_value: is not an object in the file "
                     "(got 6000)") != NULL);
    cr_expect(strstr(set_msg(doc, "name[0].x=1"), "--set name: is not an array") != NULL);
    scn_doc_free(doc);

    /* a failed assignment leaves the document as it was */
    doc = parse_ok(minimal);
    cr_expect(strstr(set_msg(doc, "decay.kinde=none"), "did you mean \"kind\"") != NULL);
    struct sim_err err;
    double x;
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_get_number(doc, "decay.half_life_hours", &x, &err),
                 SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: decay: not in the file");
    scn_doc_free(doc);
}

Test(scenario, set_and_get_number)
{
    struct scn_doc *doc = parse_ok(design_example);
    struct sim_err err;
    double x = 0.0;
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_get_number(doc, "team[1].count", &x, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(x, 5.0);
    cr_expect_eq(scn_doc_set_number(doc, "team[1].count", 9, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(scn_doc_get_number(doc, "team[1].count", &x, &err), SIM_OK, "%s", err.msg);
    cr_expect_eq(x, 9.0);

    cr_expect_eq(scn_doc_set_number(doc, "horizon_days", NAN, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: horizon_days: must be a finite number (got nan)");
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_set_number(doc, "horizon_days", INFINITY, &err), SIM_ERR_INPUT);
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_get_number(doc, "name", &x, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: name: is not a number (got \"article-baseline\")");
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_get_number(doc, "sales.win_rate", &x, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: sales: not in the file");
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_set_number(doc, "team[2].count", 1, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: team[2]: no such element (team has 2)");

    /* set_number writes exactly what --set would check */
    sim_err_clear(&err);
    cr_expect_eq(scn_doc_set_number(doc, "channels[1].fit_share", 1.4, &err), SIM_OK);
    struct scenario s;
    cr_expect_eq(scn_doc_compile(doc, &s, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "web.json: channels[1].fit_share: must be between 0 and 1 (got 1.4)");
    scn_doc_free(doc);
}

Test(scenario, clone_is_independent)
{
    struct scn_doc *doc = parse_ok(design_example);
    struct scn_doc *copy = scn_doc_clone(doc);
    cr_assert_not_null(copy);
    cr_expect_str_eq(scn_doc_name(copy), "web.json");
    struct sim_err err;
    sim_err_clear(&err);
    cr_assert_eq(scn_doc_set_number(copy, "team[0].count", 11, &err), SIM_OK);
    double a, b;
    cr_assert_eq(scn_doc_get_number(doc, "team[0].count", &a, &err), SIM_OK);
    cr_assert_eq(scn_doc_get_number(copy, "team[0].count", &b, &err), SIM_OK);
    cr_expect_eq(a, 3.0);
    cr_expect_eq(b, 11.0);
    scn_doc_free(doc);
    struct scenario s;
    compile_ok(copy, &s);
    cr_expect_eq(s.team[0].count, 11);
    scn_doc_free(copy);
}

Test(scenario, load_with_sets)
{
    char path[] = "/tmp/funnelsim-scn-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(design_example, f);
    fclose(f);
    const char *sets[] = {"replications=5", "contact.max_attempts=2"};
    struct scenario s;
    struct sim_err err;
    sim_err_clear(&err);
    int rc = scn_load(path, sets, 2, &s, &err);
    cr_expect_eq(rc, SIM_OK, "%s", err.msg);
    cr_expect_str_eq(s.source, path);
    cr_expect_eq(s.replications, 5);
    cr_expect_eq(s.contact.max_attempts, 2);

    const char *bad[] = {"contact.max_attempts=21"};
    sim_err_clear(&err);
    cr_expect_eq(scn_load(path, bad, 1, &s, &err), SIM_ERR_INPUT);
    cr_expect_str_eq(err.msg, "--set contact.max_attempts=21: must be a whole number "
                              "from 1 to 20 (got 21)");
    remove(path);
}

/* Every ```json block of docs/scenario.md is a valid scenario. */
Test(scenario, reference_examples)
{
    FILE *f = fopen(FUNNELSIM_SRCDIR "/docs/scenario.md", "r");
    cr_assert_not_null(f);
    static char doc[1 << 16];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    unsigned blocks = 0;
    for (char *p = strstr(doc, "```json\n"); p != NULL; p = strstr(p, "```json\n")) {
        p += strlen("```json\n");
        char *end = strstr(p, "```");
        cr_assert_not_null(end);
        *end = '\0';
        struct scenario s;
        struct sim_err err;
        cr_expect_eq(compile_text(p, &s, &err), SIM_OK, "example %u: %s", blocks,
                     err.msg);
        blocks++;
        p = end + 3;
    }
    cr_expect_geq(blocks, 2);
}

/* ---- days and dates ---------------------------------------------------------- */

static const char dated[] =
    "{\"name\": \"m\", \"start_date\": \"2026-03-04\","
    " \"calendar\": {\"mode\": \"business\","
    "  \"holidays\": [\"2026-04-06\", 1, \"2026-03-09\", \"2026-03-07\", 5, \"2026-03-09\"]},"
    " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 10}},"
    "  {\"name\": \"show\", \"arrivals\": {\"kind\": \"batch\", \"size\": 40, \"every_days\": 7,"
    "   \"first_day\": \"2026-03-16\"}}],"
    " \"team\": [{\"name\": \"all\", \"count\": 2}]}";

/* A date becomes its day number from start_date (the difference computed
 * by sim/date.h); the calendar's week starts on start_date's weekday; the
 * holidays, numbers and dates mixed, come out sorted, once each, without
 * the Saturday (2026-03-07). */
Test(scenario, dates_become_day_numbers)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(dated, &s, &err), SIM_OK, "%s", err.msg);
    int32_t day0 = sim_date_from_ymd(2026, 3, 4);
    cr_expect(s.start_date.dated);
    cr_expect_eq(s.start_date.date, day0);
    cr_expect_eq(s.calendar.day0_weekday, sim_date_weekday(day0));
    cr_expect_eq(s.calendar.day0_weekday, 2, "2026-03-04 is a Wednesday");
    cr_expect_eq(s.channels[1].first_day, (unsigned)(sim_date_from_ymd(2026, 3, 16) - day0));
    unsigned want[] = {1, (unsigned)(sim_date_from_ymd(2026, 3, 9) - day0),
                       (unsigned)(sim_date_from_ymd(2026, 4, 6) - day0)};
    cr_assert_eq(s.calendar.n_holidays, 3, "day 5, 2026-03-09, a Monday, twice; "
                 "2026-03-07 a Saturday; got %u", s.calendar.n_holidays);
    for (unsigned i = 0; i < 3; i++)
        cr_expect_eq(s.calendar.holidays[i], want[i], "holiday %u", i);
    /* Day 5 is the Monday 2026-03-09: the same day as the date. */
    cr_expect_eq(want[1], 5);
}

/* Without start_date: undated, day 0 a Monday, no holidays. */
Test(scenario, undated_by_default)
{
    struct scenario s;
    struct sim_err err;
    cr_assert_eq(compile_text(minimal, &s, &err), SIM_OK, "%s", err.msg);
    cr_expect_not(s.start_date.dated);
    cr_expect_eq(s.calendar.day0_weekday, 0);
    cr_expect_eq(s.calendar.n_holidays, 0);
}

Test(scenario, date_messages)
{
    cr_expect_str_eq(message_of(with("\"start_date\": \"2026-02-29\"")),
                     "web.json: start_date: must be a date YYYY-MM-DD: February 2026 has 28 "
                     "days (got \"2026-02-29\")");
    cr_expect_str_eq(message_of(with("\"start_date\": 20260302")),
                     "web.json: start_date: must be a date written YYYY-MM-DD, as in "
                     "\"2026-03-02\" (got 20260302)");
    cr_expect_str_eq(message_of(with("\"calendar\": {\"mode\": \"business\", \"holidays\": "
                                     "[\"2026-03-09\"]}")),
                     "web.json: calendar.holidays[0]: a date needs start_date (the date of "
                     "day 0); without it, write the day number (got \"2026-03-09\")");
    cr_expect_str_eq(message_of(with("\"start_date\": \"2026-03-02\", \"calendar\": {\"mode\": "
                                     "\"business\", \"holidays\": [1, \"2026-03-01\"]}")),
                     "web.json: calendar.holidays[1]: 2026-03-01 is before start_date "
                     "2026-03-02 (day 0)");
    cr_expect_str_eq(message_of(with("\"start_date\": \"2026-03-02\", \"calendar\": {\"mode\": "
                                     "\"business\", \"holidays\": [1.5]}")),
                     "web.json: calendar.holidays[0]: must be a whole number (got 1.5)");
    cr_expect_str_eq(message_of(with("\"calendar\": {\"mode\": \"business\", \"holidays\": "
                                     "\"2026-03-09\"}")),
                     "web.json: calendar.holidays: must be an array of day numbers or dates "
                     "(got \"2026-03-09\")");
    /* The origin is read first wherever the table lists it: a date before
     * start_date in the file is still converted. */
    cr_expect_str_eq(message_of("{\"name\": \"m\", \"calendar\": {\"mode\": \"business\", "
                                "\"holidays\": [\"2026-03-10\"]}, \"start_date\": \"2026-03-02\","
                                " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": "
                                "\"poisson\", \"per_week\": 10}}], \"team\": [{\"name\": \"all\","
                                " \"count\": 2}]}"), "");
}

/* --set takes a date like any day, and start_date itself. */
Test(scenario, set_dates)
{
    struct scn_doc *doc = parse_ok(dated);
    struct sim_err err;
    sim_err_clear(&err);
    cr_assert_eq(scn_doc_set(doc, "channels[1].arrivals.first_day=2026-03-05", &err), SIM_OK,
                 "%s", err.msg);
    cr_assert_eq(scn_doc_set(doc, "start_date=2026-03-02", &err), SIM_OK, "%s", err.msg);
    struct scenario s;
    compile_ok(doc, &s);
    cr_expect_eq(s.channels[1].first_day, 3);
    cr_expect_eq(s.calendar.day0_weekday, 0);
    scn_doc_free(doc);
}

/* The schema reads a DATE key before the others even when the table lists
 * it last (a toy table: the scenario's lists start_date early). */
struct toy_days {
    unsigned day;
    unsigned n;
    unsigned list[3];
    struct sim_date_origin origin;
};

static const struct sim_schema_key toy_keys[] = {
    {.name = "day", .type = SIM_SCHEMA_DAY, .lo = 0, .hi = 10, .def = 7,
     .off = offsetof(struct toy_days, day), .help = "a day"},
    {.name = "list", .type = SIM_SCHEMA_DAYS, .lo = 0, .hi = 100, .def_rule = "none",
     .off = offsetof(struct toy_days, list), .count_off = offsetof(struct toy_days, n),
     .max_items = 3, .noun = "day", .help = "days"},
    {.name = "origin", .type = SIM_SCHEMA_DATE, .def_rule = "none",
     .off = offsetof(struct toy_days, origin), .help = "day 0"},
    {.name = NULL}};
static const struct sim_schema_obj toy_obj = {"toy", toy_keys, NULL, 0, NULL, NULL};

static const char *toy_fill(const char *text, struct toy_days *out)
{
    static struct sim_err err;
    struct sim_schema_ctx c;
    sim_err_clear(&err);
    sim_schema_ctx_init(&c, "toy.json", "", &err);
    cJSON *json = cJSON_Parse(text);
    cr_assert_not_null(json, "%s", text);
    memset(out, 0, sizeof *out);
    int rc = sim_schema_fill(&c, json, &toy_obj, out);
    cJSON_Delete(json);
    return rc == SIM_OK ? "" : err.msg;
}

Test(schema_days, origin_first_whatever_the_table_order)
{
    struct toy_days t;
    cr_assert_str_eq(toy_fill("{\"day\": \"2026-03-05\", \"list\": [\"2026-03-12\", 1, "
                              "\"2026-03-02\"], \"origin\": \"2026-03-02\"}", &t), "");
    cr_expect_eq(t.day, 3);
    cr_expect_eq(t.n, 3);
    cr_expect(t.list[0] == 10 && t.list[1] == 1 && t.list[2] == 0, "in the file's order");
    cr_expect(t.origin.dated);
    cr_expect_eq(t.origin.date, sim_date_from_ymd(2026, 3, 2));
    /* Absent: the default day, an empty list, undated. */
    cr_assert_str_eq(toy_fill("{}", &t), "");
    cr_expect(t.day == 7 && t.n == 0 && !t.origin.dated);
    cr_expect_str_eq(toy_fill("{\"day\": \"2026-03-13\", \"origin\": \"2026-03-02\"}", &t),
                     "toy.json: day: must be a whole number from 0 to 10 (got \"2026-03-13\", "
                     "day 11 from origin 2026-03-02)");
    cr_expect_str_eq(toy_fill("{\"day\": \"2026-03-13\"}", &t),
                     "toy.json: day: a date needs origin (the date of day 0); without it, "
                     "write the day number (got \"2026-03-13\")");
    cr_expect_str_eq(toy_fill("{\"list\": [1, 2, 3, 4]}", &t),
                     "toy.json: list: must have at most 3 days");
    cr_expect_str_eq(toy_fill("{\"list\": [1, 200]}", &t),
                     "toy.json: list[1]: must be a whole number from 0 to 100 (got 200)");
}
