/* SPDX-License-Identifier: MIT */
/*
 * keytab.c - the scenario format (version 1), key by key.
 *
 * One static table per JSON object, innermost first, the root last; those
 * of channels[].arrivals are in keytab_arrivals.c.  A
 * key's entry is the only place its type, range, default, unit, label,
 * measure, plausible range and help are written; the finish hooks below
 * the choice lists enforce the rules that tie keys together, and each
 * object lists those rules in words for the reference.
 *
 * Plausible ranges restate published field figures (speed-to-lead
 * studies, call-attempt studies, sales-capacity surveys, funnel
 * benchmarks); docs/scenario.md and docs/model.md say what each study
 * found.  A value outside its plausible range is allowed: the range only
 * tells a reader where the field usually is.
 */
#include "models/keytab.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/breakdown.h"
#include "models/decay.h"
#include "models/dist.h"
#include "models/scenario.h"

#define SCN_MAX_LEADS 1e9              /* expected leads per replication */
/* The smallest cv of a distribution with a free cv: gamma's shape is
 * 1 / cv^2, which becomes infinite (and its samples NaN) for a cv below
 * about 1e-154; a cv of 0.1% is already no spread at all. */
#define SCN_MIN_CV 1e-3

#define REAL SIM_SCHEMA_REAL
#define UINT SIM_SCHEMA_UINT
#define INT SIM_SCHEMA_INT
#define U64 SIM_SCHEMA_U64
#define BOOL SIM_SCHEMA_BOOL
#define TEXT SIM_SCHEMA_TEXT
#define CHOICE SIM_SCHEMA_CHOICE
#define OBJECT SIM_SCHEMA_OBJECT
#define ARRAY SIM_SCHEMA_ARRAY
#define CUSTOM SIM_SCHEMA_CUSTOM
#define ANY SIM_SCHEMA_ANY
#define DAY SIM_SCHEMA_DAY
#define DAYS SIM_SCHEMA_DAYS
#define DATE SIM_SCHEMA_DATE
#define REQUIRED SIM_SCHEMA_REQUIRED
#define LO_OPEN SIM_SCHEMA_LO_OPEN
#define HI_OPEN SIM_SCHEMA_HI_OPEN

typedef struct sim_schema_ctx ctx;

/* ===================================================================
 * Choices
 * =================================================================== */

enum { CAL_24X7, CAL_BUSINESS };
enum { QUEUE_FIFO, QUEUE_HOTTEST_FIRST };
enum { ABANDON_NONE, ABANDON_EXPONENTIAL, ABANDON_FIXED };

static const char *name_calendar_mode(const void *arg, size_t i)
{
    static const char *const names[] = {"24x7", "business", NULL};
    (void)arg;
    return names[i];
}

static const char *name_queue(const void *arg, size_t i)
{
    static const char *const names[] = {"fifo", "hottest_first", NULL};
    (void)arg;
    return names[i];
}

/* In the order of enum scn_overflow. */
static const char *name_overflow(const void *arg, size_t i)
{
    static const char *const names[] = {"drop", "nurture", NULL};
    (void)arg;
    return names[i];
}

static const char *name_abandon_kind(const void *arg, size_t i)
{
    static const char *const names[] = {"none", "exponential", "fixed", NULL};
    (void)arg;
    return names[i];
}

static const char *name_dist(const void *arg, size_t i)
{
    (void)arg;
    return dist_types[i] != NULL ? dist_types[i]->name : NULL;
}

static const char *name_decay(const void *arg, size_t i)
{
    (void)arg;
    return decay_types[i] != NULL ? decay_types[i]->name : NULL;
}

static const char *name_routing(const void *arg, size_t i)
{
    (void)arg;
    return i < SCN_ROUTINGS ? scn_routing_name((enum scn_routing)i) : NULL;
}

/* ===================================================================
 * Rules that tie keys together
 * =================================================================== */

static const struct sim_schema_obj calendar_obj, dist_deal_obj,
    dist_duration_obj, handoff_obj, decay_obj, reach_decay_obj, abandon_obj, root_obj;

static int finish_calendar(ctx *c, const cJSON *json, void *base)
{
    struct sim_cal *cal = base;
    char a[32], b[32];
    cal->business = sim_schema_choice(json, &calendar_obj, "mode") == CAL_BUSINESS;
    if (cal->business && cal->start_hour + cal->hours_per_day > 24.0)
        return sim_schema_fail(c, "start_hour + hours_per_day must be at most 24, a "
                               "working day does not cross midnight (got %s + %s)",
                               sim_schema_num(a, cal->start_hour),
                               sim_schema_num(b, cal->hours_per_day));
    /* start_date was read before anything else (sim/schema.h). */
    cal->day0_weekday = c->origin.dated ? sim_date_weekday(c->origin.date) : 0;
    sim_cal_prepare(cal);
    return SIM_OK;
}

/* A campaign's lead is like the channel's in what the campaign leaves
 * out: copied once every channel key is read. */
static int finish_channel(ctx *c, const cJSON *json, void *base)
{
    struct scn_channel *ch = base;
    (void)c;
    (void)json;
    for (unsigned i = 0; i < ch->n_campaigns; i++) {
        struct scn_campaign *k = &ch->campaigns[i];
        if (!k->own_fit_share)
            k->fit_share = ch->fit_share;
        if (!k->own_temperature)
            memcpy(k->temperature, ch->temperature, sizeof k->temperature);
        if (!k->own_cost_per_lead)
            k->cost_per_lead = ch->cost_per_lead;
    }
    return SIM_OK;
}

/* Absent: every lead is hot.  Given: the missing ones are 0 and the three
 * shares add up to 1. */
static int finish_temperature(ctx *c, const cJSON *json, void *base)
{
    double *t = base;
    char got[32];
    if (json == NULL) {
        t[SCN_HOT] = 1.0;
        return SIM_OK;
    }
    double sum = t[SCN_HOT] + t[SCN_WARM] + t[SCN_COLD];
    if (fabs(sum - 1.0) > 1e-9)
        return sim_schema_fail(c, "hot + warm + cold must add up to 1 (got %s)",
                               sim_schema_num(got, sum));
    return SIM_OK;
}

/* A cv that contradicts the distribution is refused rather than ignored:
 * the user believes it is in effect. */
static int finish_dist(ctx *c, const cJSON *json, const struct sim_schema_obj *o,
                       void *base)
{
    struct dist *d = base;
    const struct dist_type *t = dist_types[sim_schema_choice(json, o, "dist")];
    char a[32], b[32];
    if (t->fixed_cv >= 0.0 && sim_schema_has(json, "cv") && d->cv != t->fixed_cv)
        return sim_schema_fail_at(c, "cv", "must be %s with dist \"%s\" (got %s)",
                                  sim_schema_num(a, t->fixed_cv), t->name,
                                  sim_schema_num(b, d->cv));
    if (t->fixed_cv < 0.0 && d->cv <= 0.0)
        return sim_schema_fail_at(c, "cv", "must be > 0 with dist \"%s\" (got %s; for "
                                  "no spread use dist \"fixed\")", t->name,
                                  sim_schema_num(a, d->cv));
    if (t->fixed_cv < 0.0 && d->cv < SCN_MIN_CV)
        return sim_schema_fail_at(c, "cv", "must be at least %s with dist \"%s\" (got "
                                  "%s; for no spread use dist \"fixed\")",
                                  sim_schema_num(b, SCN_MIN_CV), t->name,
                                  sim_schema_num(a, d->cv));
    dist_set(d, t, d->mean, d->cv);
    return SIM_OK;
}

static int finish_deal(ctx *c, const cJSON *json, void *base)
{
    return finish_dist(c, json, &dist_deal_obj, base);
}

static int finish_duration(ctx *c, const cJSON *json, void *base)
{
    return finish_dist(c, json, &dist_duration_obj, base);
}

/* deal_value: a number (every deal worth exactly that) or a distribution. */
static int custom_deal_value(ctx *c, const cJSON *v, const struct sim_schema_key *k,
                             void *base)
{
    struct dist *d = (struct dist *)((char *)base + k->off);
    if (v == NULL || cJSON_IsNumber(v)) {
        double x;
        int rc = sim_schema_read_number(c, v, k, &x);
        dist_set(d, &dist_fixed, x, 0.0);
        return rc;
    }
    if (!cJSON_IsObject(v)) {
        char got[64];
        return sim_schema_fail(c, "must be a number or an object (got %s)",
                               sim_schema_describe(v, got));
    }
    return sim_schema_fill(c, v, k->sub, d);
}

/* max_backlog: null (no cap) or a whole number. */
static int custom_max_backlog(ctx *c, const cJSON *v, const struct sim_schema_key *k,
                              void *base)
{
    struct scn_handoff *h = base;
    char got[64];
    double x;
    h->capped = false;
    h->max_backlog = 0;
    if (v == NULL || cJSON_IsNull(v))
        return SIM_OK;
    if (!cJSON_IsNumber(v))
        return sim_schema_fail(c, "must be null or a whole number (got %s)",
                               sim_schema_describe(v, got));
    int rc = sim_schema_read_number(c, v, k, &x);
    if (rc == SIM_OK) {
        h->capped = true;
        h->max_backlog = (unsigned)x;
    }
    return rc;
}

/* Leads come back from overflow nurture only when a cap holds them back:
 * without one, "nurture" would silently do nothing. */
static int finish_handoff(ctx *c, const cJSON *json, void *base)
{
    struct scn_handoff *h = base;
    h->overflow = (enum scn_overflow)sim_schema_choice(json, &handoff_obj, "overflow");
    if (h->overflow != SCN_OVERFLOW_DROP && !h->capped)
        return sim_schema_fail_at(c, "overflow", "\"nurture\" needs max_backlog (a cap "
                                  "that holds leads back); without a cap use \"drop\"");
    return SIM_OK;
}

static int finish_prequal(ctx *c, const cJSON *json, void *base)
{
    struct scn_prequal *p = base;
    if (p->min_true > p->indicators)
        return sim_schema_fail_at(c, "min_true", "must be at most indicators (%u) (got "
                                  "%u%s)", p->indicators, p->min_true,
                                  sim_schema_has(json, "min_true") ? "" : ", the default");
    return SIM_OK;
}

static int finish_contact(ctx *c, const cJSON *json, void *base)
{
    struct scn_contact *k = base;
    char a[32], b[32];
    (void)json;
    if (k->misjudge_base + k->rush_penalty > 1.0)
        return sim_schema_fail(c, "misjudge_base + rush_penalty must be at most 1 (got "
                               "%s + %s)", sim_schema_num(a, k->misjudge_base),
                               sim_schema_num(b, k->rush_penalty));
    return SIM_OK;
}

/* Both decay objects, of interest and of reach, share their keys' layout
 * and this rule; o says which one's kind to read. */
static int finish_decay(ctx *c, const cJSON *json, const struct sim_schema_obj *o,
                        void *base)
{
    struct decay *d = base;
    char a[32], b[32];
    d->type = decay_types[sim_schema_choice(json, o, "kind")];
    if (d->type == &decay_two_phase && d->slow_half_life_hours < d->fast_half_life_hours)
        return sim_schema_fail_at(c, "slow_half_life_hours",
                                  "must be >= fast_half_life_hours (got %s, fast %s)",
                                  sim_schema_num(a, d->slow_half_life_hours),
                                  sim_schema_num(b, d->fast_half_life_hours));
    decay_prepare(d);
    return SIM_OK;
}

static int finish_interest_decay(ctx *c, const cJSON *json, void *base)
{
    return finish_decay(c, json, &decay_obj, base);
}

static int finish_reach_decay(ctx *c, const cJSON *json, void *base)
{
    return finish_decay(c, json, &reach_decay_obj, base);
}

/* Both mean_hours and after_hours land in patience.mean; fill() leaves the
 * one of the other kind untouched. */
static int finish_abandon(ctx *c, const cJSON *json, void *base)
{
    struct scn_abandon *a = base;
    unsigned kind = sim_schema_choice(json, &abandon_obj, "kind");
    (void)c;
    a->enabled = kind != ABANDON_NONE;
    if (kind == ABANDON_EXPONENTIAL)
        dist_set(&a->patience, &dist_exponential, a->patience.mean, 1.0);
    else if (kind == ABANDON_FIXED)
        dist_set(&a->patience, &dist_fixed, a->patience.mean, 0.0);
    else    /* infinite patience: sampling it by mistake abandons no one */
        dist_set(&a->patience, &dist_fixed, INFINITY, 0.0);
    return SIM_OK;
}

/* Expected leads created over the horizon, to refuse a what-if that would
 * only exhaust memory. */
static double expected_leads(const struct scenario *s)
{
    double total = 0.0;
    for (unsigned i = 0; i < s->n_channels; i++)
        total += arrivals_expected(s, i, 0.0, s->horizon_days * 24.0);
    return total;
}

static int finish_root(ctx *c, const cJSON *json, void *base)
{
    struct scenario *s = base;
    char a[32], b[32];
    if (!sim_schema_has(json, "warmup_days"))
        s->warmup_days = fmin(28.0, s->horizon_days / 4.0);
    if (s->warmup_days >= s->horizon_days)
        return sim_schema_fail_at(c, "warmup_days", "must be less than horizon_days "
                                  "(got %s, horizon_days %s)",
                                  sim_schema_num(a, s->warmup_days),
                                  sim_schema_num(b, s->horizon_days));
    s->routing = (enum scn_routing)sim_schema_choice(json, &root_obj, "routing");
    s->hottest_first =
        sim_schema_choice(json, &root_obj, "queue_discipline") == QUEUE_HOTTEST_FIRST;
    bool any_favourite = false;
    for (unsigned g = 0; g < s->n_groups; g++)
        any_favourite |= s->team[g].favourite;
    if (s->routing == SCN_ROUTING_FAVOURITES && !any_favourite)
        return sim_schema_fail_at(c, "routing", "\"favourites\" needs at least one team "
                                  "group with \"favourite\": true");
    if (scn_managers(s) > SCN_MAX_MANAGERS)
        return sim_schema_fail_at(c, "team", "at most %d managers in all (got %u), "
                                  "day-0 counts plus hires", SCN_MAX_MANAGERS, scn_managers(s));
    int rc = keytab_team_check(c, s);
    if (rc != SIM_OK)
        return rc;
    keytab_trace_place(s);
    double leads = expected_leads(s);
    if (leads > SCN_MAX_LEADS)
        return sim_schema_fail_at(c, "channels", "about %.0f leads over the horizon; at "
                                  "most 1e9 per replication", leads);
    return SIM_OK;
}

/* ===================================================================
 * The keys
 * =================================================================== */

#define AT(T, f) .off = offsetof(T, f)

#define CAL struct sim_cal
static const struct sim_schema_key calendar_keys[] = {
    {.name = "mode", .type = CHOICE, .choice = name_calendar_mode, .def_text = "24x7",
     .label = "working time",
     .help = "\"24x7\": managers are always at work; \"business\": only in working hours"},
    {.name = "hours_per_day", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 24, .def = 8,
     AT(CAL, hours_per_day), .only = "business", .unit = "hours",
     .label = "working hours a day", .help = "length of a working day"},
    {.name = "days_per_week", .type = INT, .lo = 1, .hi = 7, .def = 5,
     AT(CAL, days_per_week), .only = "business", .unit = "days",
     .label = "working days a week", .help = "working days a week, Monday first"},
    {.name = "start_hour", .type = REAL, .flags = HI_OPEN, .lo = 0, .hi = 24, .def = 9,
     AT(CAL, start_hour), .unit = "hour of the day", .label = "start of the working day",
     .help = "hour at which the working day starts; in both modes also the hour at "
             "which a batch of leads arrives"},
    {.name = "holidays", .type = DAYS, .lo = 0, .hi = UINT_MAX, .def_rule = "none",
     AT(CAL, holidays), .count_off = offsetof(CAL, n_holidays), .only = "business",
     .max_items = SIM_CAL_MAX_HOLIDAYS, .noun = "holiday", .unit = "days",
     .label = "holidays",
     .help = "days without working hours: day numbers or dates (dates need start_date); "
             "one on a day not worked anyway changes nothing; batches still arrive"},
    {.name = NULL}};
#undef CAL
static const struct sim_schema_rule calendar_rules[] = {
    {"start_hour, hours_per_day", "with mode \"business\", start_hour + hours_per_day "
     "must be at most 24: a working day does not cross midnight"},
    {NULL, NULL}};
static const struct sim_schema_obj calendar_obj = {
    "calendar", calendar_keys, "mode", 0, finish_calendar, calendar_rules};

static const struct sim_schema_key temperature_keys[] = {
    {.name = "hot", .type = REAL, .hi = 1, .off = SCN_HOT * sizeof(double), .unit = "share",
     .def_rule = "0 (without temperature, all leads are hot)",
     .label = "{name}: share of hot leads", .help = "share of hot leads"},
    {.name = "warm", .type = REAL, .hi = 1, .off = SCN_WARM * sizeof(double), .unit = "share",
     .def_rule = "0 (without temperature, all leads are hot)",
     .label = "{name}: share of warm leads", .help = "share of warm leads"},
    {.name = "cold", .type = REAL, .hi = 1, .off = SCN_COLD * sizeof(double), .unit = "share",
     .def_rule = "0 (without temperature, all leads are hot)",
     .label = "{name}: share of cold leads", .help = "share of cold leads"},
    {.name = NULL}};
static const struct sim_schema_rule temperature_rules[] = {
    {"hot, warm, cold", "when temperature is absent every lead is hot; when it is given, "
     "the shares left out count as 0 and hot + warm + cold must add up to 1 (within 1e-9)"},
    {NULL, NULL}};
const struct sim_schema_obj keytab_temperature_obj = {
    "temperature", temperature_keys, NULL, 0, finish_temperature, temperature_rules};

#define CH struct scn_channel
static const struct sim_schema_rule dist_rules[] = {
    {"dist, cv", "cv is 1 with \"exponential\" and 0 with \"fixed\" (leave it out or "
     "write that value); with \"lognormal\" and \"gamma\" it must be at least 0.001 "
     "(for no spread use \"fixed\")"},
    {NULL, NULL}};

static const struct sim_schema_key dist_deal_keys[] = {
    {.name = "dist", .type = CHOICE, .choice = name_dist, .def_text = "lognormal",
     .help = "the distribution of deal values"},
    {.name = "mean", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(struct dist, mean), .unit = "money", .label = "{name}: mean deal value",
     .help = "mean deal value"},
    {.name = "cv", .type = REAL, .lo = 0, .hi = 100, .def = 1.0, AT(struct dist, cv),
     .unit = "ratio", .help = "coefficient of variation (standard deviation / mean)"},
    {.name = NULL}};
static const struct sim_schema_obj dist_deal_obj = {
    "deal_value", dist_deal_keys, NULL, 0, finish_deal, dist_rules};

static const struct sim_schema_key channel_keys[] = {
    {.name = "name", .type = TEXT, .flags = REQUIRED, .lo = 1, .hi = SCN_NAME_MAX - 1,
     AT(CH, name), .help = "the channel's name, unique, shown in results"},
    {.name = "arrivals", .type = OBJECT, .flags = REQUIRED, .off = 0,
     .sub = &keytab_arrivals_obj,
     .help = "how leads arrive"},
    SHARE(CH, fit_share, 1, KEYTAB_PROFILE, "{name}: share that fits the profile",
          "share of leads that fit the ideal-customer profile"),
    SHARE(CH, theorist_share, 0, KEYTAB_PROFILE, "{name}: share of theorists",
          "share of leads that are theorists (came to learn or to network, not to buy)"),
    {.name = "temperature", .type = OBJECT, AT(CH, temperature), .sub = &keytab_temperature_obj,
     .def_rule = "all hot", .help = "shares of hot, warm and cold leads"},
    {.name = "cost_per_lead", .type = REAL, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(CH, cost_per_lead), .unit = "money", .label = "{name}: cost per lead",
     .help = "acquisition cost of one lead"},
    {.name = "deal_value", .type = CUSTOM, .lo = 0, .hi = SCN_MAX_MONEY, AT(CH, deal_value),
     .sub = &dist_deal_obj, .custom = custom_deal_value, .unit = "money",
     .label = "{name}: deal value",
     .help = "value of a won deal: a number every deal is worth exactly (0: no revenue "
             "counted), or {dist, mean, cv} for a random value"},
    {.name = NULL}};
#undef CH
static const struct sim_schema_obj channel_obj = {
    "channels", channel_keys, NULL, sizeof(struct scn_channel), finish_channel, NULL};

#define PQ struct scn_prequal
static const struct sim_schema_key prequal_keys[] = {
    {.name = "enabled", .type = BOOL, AT(PQ, enabled), .measure = KEYTAB_INDICATORS,
     .label = "indicator check",
     .help = "whether the indicator check runs; theorist_detection works either way"},
    {.name = "indicators", .type = UINT, .lo = 1, .hi = SCN_MAX_INDICATORS, .def = 7,
     AT(PQ, indicators), .unit = "indicators", .label = "indicators checked",
     .measure = KEYTAB_INDICATORS, .help = "yes/no indicators checked for each lead"},
    {.name = "min_true", .type = UINT, .lo = 0, .hi = SCN_MAX_INDICATORS, .def = 5,
     AT(PQ, min_true), .unit = "indicators", .label = "true indicators needed",
     .measure = KEYTAB_INDICATORS,
     .help = "true indicators a lead needs to pass; a lead that fails is filtered out "
             "(not junk)"},
    SHARE(PQ, p_true_fit, 0.85, KEYTAB_INDICATORS, "P(indicator true | fit)",
          "probability that an indicator is true for a lead that fits the profile"),
    SHARE(PQ, p_true_unfit, 0.35, KEYTAB_INDICATORS, "P(indicator true | no fit)",
          "the same for a lead that does not fit"),
    SHARE(PQ, theorist_detection, 0, KEYTAB_THEORISTS, "theorists detected",
          "probability that a theorist who passed the indicators (if checked) is "
          "recognised and kept in marketing nurture"),
    SHARE(PQ, nurture_return_share, 0.1, KEYTAB_THEORISTS, "nurtured theorists who return",
          "probability that a diverted theorist comes back later as a buyer"),
    {.name = "nurture_return_days", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 3650,
     .def = 90, AT(PQ, nurture_return_days), .unit = "days", .label = "days until return",
     .measure = KEYTAB_THEORISTS, .help = "days before that return"},
    {.name = NULL}};
#undef PQ
static const struct sim_schema_rule prequal_rules[] = {
    {"min_true, indicators", "min_true must be at most indicators"}, {NULL, NULL}};
static const struct sim_schema_obj prequal_obj = {
    "prequalification", prequal_keys, NULL, 0, finish_prequal, prequal_rules};

static const struct sim_schema_key handoff_keys[] = {
    {.name = "max_backlog", .type = CUSTOM, .flags = SIM_SCHEMA_WHOLE, .lo = 0, .hi = 1e9,
     .off = 0, .custom = custom_max_backlog, .def_rule = "null", .unit = "leads",
     .label = "handoff cap (leads waiting)", .measure = KEYTAB_VOLUME, .tags = KEYTAB_CAP,
     .help = "null: no cap; K: while K leads already wait for first contact, a lead that "
             "would have to wait stays in marketing (held back: not junk, but lost unless "
             "overflow returns it; counted in lost_rate)"},
    {.name = "delay_hours", .type = REAL, .lo = 0, .hi = 8760,
     AT(struct scn_handoff, delay_hours), .unit = "hours", .label = "handoff delay",
     .measure = KEYTAB_VOLUME, .help = "time from passing pre-qualification to reaching sales"},
    {.name = "overflow", .type = CHOICE, .choice = name_overflow, .def_text = "drop",
     .label = "held-back leads", .measure = KEYTAB_VOLUME,
     .help = "what becomes of a lead the cap holds back: \"drop\": it is lost (counted in "
             "lost_rate, its cost in wasted_spend if it fitted); \"nurture\": marketing "
             "nurtures it and hands it again after overflow_return_days, at most "
             "max_returns times, then it is lost"},
    {.name = "overflow_return_days", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 3650,
     .def = 7, AT(struct scn_handoff, overflow_return_days), .only = "nurture",
     .unit = "days", .label = "days a held-back lead is nurtured", .measure = KEYTAB_VOLUME,
     .help = "days from being held back to coming back to sales' door; the lead's age "
             "keeps counting"},
    {.name = "max_returns", .type = UINT, .lo = 0, .hi = SCN_MAX_RETURNS, .def = 3,
     AT(struct scn_handoff, max_returns), .only = "nurture", .unit = "returns",
     .label = "returns of a held-back lead", .measure = KEYTAB_VOLUME,
     .help = "times a held-back lead comes back; held back once more, it is lost"},
    {.name = NULL}};
static const struct sim_schema_rule handoff_rules[] = {
    {"overflow, max_backlog", "overflow \"nurture\" needs max_backlog set (not null): "
     "without a cap no lead is held back"},
    {NULL, NULL}};
static const struct sim_schema_obj handoff_obj = {
    "handoff", handoff_keys, "overflow", 0, finish_handoff, handoff_rules};

static const struct sim_schema_key interest_keys[] = {
    {.name = "hot", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 1, .def = 1,
     .off = SCN_HOT * sizeof(double), .unit = "share", .label = "interest of a hot lead",
     .help = "initial interest of a hot lead"},
    {.name = "warm", .type = REAL, .lo = 0, .hi = 1, .def = 0.7,
     .off = SCN_WARM * sizeof(double), .unit = "share", .label = "interest of a warm lead",
     .help = "initial interest of a warm lead"},
    {.name = "cold", .type = REAL, .lo = 0, .hi = 1, .def = 0.4,
     .off = SCN_COLD * sizeof(double), .unit = "share", .label = "interest of a cold lead",
     .help = "initial interest of a cold lead"},
    {.name = NULL}};
static const struct sim_schema_obj interest_obj = {
    "interest", interest_keys, NULL, 0, NULL, NULL};


static const struct sim_schema_key dist_duration_keys[] = {
    {.name = "dist", .type = CHOICE, .choice = name_dist, .def_text = "lognormal",
     .help = "the distribution of conversation lengths"},
    {.name = "mean_hours", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 1000, .def = 0.5,
     AT(struct dist, mean), .unit = "hours", .label = "mean conversation length",
     .help = "mean conversation length"},
    {.name = "cv", .type = REAL, .lo = 0, .hi = 10, .def = 0.6, AT(struct dist, cv),
     .unit = "ratio", .help = "coefficient of variation (standard deviation / mean)"},
    {.name = NULL}};
static const struct sim_schema_obj dist_duration_obj = {
    "duration", dist_duration_keys, NULL, 0, finish_duration, dist_rules};

#define CO struct scn_contact
static const struct sim_schema_key contact_keys[] = {
    {.name = "duration", .type = OBJECT, AT(CO, duration), .sub = &dist_duration_obj,
     .def_rule = "lognormal, mean 0.5 h, cv 0.6",
     .help = "length of a conversation with a reached lead"},
    {.name = "attempt_hours", .type = REAL, .lo = 0, .hi = 100, .def = 0.05,
     AT(CO, attempt_hours), .unit = "hours", .label = "time of a failed attempt",
     .help = "time an attempt takes when it does not reach the lead"},
    {.name = "contactable", .type = REAL, .lo = 0, .hi = 1, .def = 1, AT(CO, contactable),
     .unit = "share", .label = "reachable leads",
     .plausible = {0.6, 0.92, "lead-response studies find about 70% of web leads "
                              "reachable at all, and 85-92% reachable with persistence"},
     .help = "share of leads that can be reached at all"},
    {.name = "max_attempts", .type = UINT, .lo = 1, .hi = SCN_MAX_ATTEMPTS, .def = 1,
     AT(CO, max_attempts), .unit = "attempts", .label = "call attempts",
     .measure = KEYTAB_TRAINING,
     .plausible = {3, 8, "call-attempt studies reach about 90% of the reachable leads by "
                         "the fifth attempt and almost none after the sixth"},
     .help = "attempts before the lead is given up as unreachable"},
    {.name = "p_reach", .type = REAL, .lo = 0, .hi = 1, .def = 1, AT(CO, p_reach),
     .unit = "share", .label = "reach per attempt",
     .plausible = {0.25, 0.55, "per-attempt reach derived from a multi-million-lead "
                               "study falls from 0.54 to 0.25 over the first five "
                               "attempts"},
     .help = "probability that an attempt reaches a contactable lead; with reach_decay, "
             "that of a lead called the moment it is created"},
    {.name = "retry_gap_hours", .type = REAL, .lo = 0, .hi = 8760, .def = 4,
     AT(CO, retry_gap_hours), .unit = "hours", .label = "wait between attempts",
     .measure = KEYTAB_TRAINING, .help = "wait between two attempts"},
    {.name = "comfortable_backlog", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = INFINITY,
     .def = 15, AT(CO, comfortable_backlog), .unit = "leads per manager",
     .label = "comfortable backlog",
     .plausible = {15, 120, "practitioners put the open leads a rep can hold at 15-25 "
                            "in complex B2B, 30-50 consultative, 80-120 transactional"},
     .help = "leads waiting per manager above which the manager starts to rush"},
    {.name = "misjudge_base", .type = REAL, .lo = 0, .hi = 1, .def = 0,
     AT(CO, misjudge_base), .unit = "share", .label = "misjudgement",
     .measure = KEYTAB_TRAINING,
     .help = "probability of rejecting an interested lead by mistake, at skill 0 and "
             "without rush"},
    {.name = "rush_penalty", .type = REAL, .lo = 0, .hi = 1, .def = 0,
     AT(CO, rush_penalty), .unit = "share", .label = "extra misjudgement when rushed",
     .help = "extra misjudgement at full rush"},
    {.name = "rush_speedup", .type = REAL, .flags = HI_OPEN, .lo = 0, .hi = 1, .def = 0,
     AT(CO, rush_speedup), .unit = "share", .label = "time cut when rushed",
     .help = "share of conversation time cut at full rush"},
    {.name = "reach_decay", .type = OBJECT, AT(CO, reach_decay), .sub = &reach_decay_obj,
     .def_rule = "{\"kind\": \"none\"}",
     .help = "how the chance that an attempt reaches a contactable lead (p_reach) fades "
             "with the lead's age at the attempt, hours since its creation; the same keys "
             "as decay"},
    {.name = NULL}};
#undef CO
static const struct sim_schema_rule contact_rules[] = {
    {"misjudge_base, rush_penalty", "misjudge_base + rush_penalty must be at most 1"},
    {NULL, NULL}};
static const struct sim_schema_obj contact_obj = {
    "contact", contact_keys, NULL, 0, finish_contact, contact_rules};

/* The keys of a decay object (models/decay.h), written once for both
 * things that fade with a lead's age: interest (`decay`) and the chance of
 * reaching the lead (`contact.reach_decay`).  WHAT names the faded thing
 * in labels and help, so that a chart says "reach half-life", not a path. */
#define DE struct decay
#define DECAY_KEYS(WHAT)                                                              \
    {{.name = "kind", .type = CHOICE, .choice = name_decay, .def_text = "none",         \
      .help = "the shape of the decay of " WHAT " with age"},                           \
     {.name = "half_life_hours", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0,    \
      .hi = INFINITY, AT(DE, half_life_hours), .only = "exponential", .unit = "hours",  \
      .label = WHAT " half-life", .help = "hours for " WHAT " to halve"},               \
     {.name = "fast_half_life_hours", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0, \
      .hi = INFINITY, AT(DE, fast_half_life_hours), .only = "two_phase",                \
      .unit = "hours", .label = "fast " WHAT " half-life",                              \
      .plausible = {0.06, 0.35, "speed-to-lead studies see the odds of reaching a web " \
                                "lead halve every 4 to 21 minutes in the first hour"},  \
      .help = "half-life of the fast phase"},                                           \
     {.name = "slow_half_life_hours", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0, \
      .hi = INFINITY, AT(DE, slow_half_life_hours), .only = "two_phase",                \
      .unit = "hours", .label = "slow " WHAT " half-life",                              \
      .help = "half-life of the slow phase"},                                           \
     {.name = "fast_weight", .type = REAL, .lo = 0, .hi = 1, .def = 0.5,                \
      AT(DE, fast_weight), .only = "two_phase", .unit = "share",                        \
      .label = "weight of the fast phase of " WHAT, .help = "weight of the fast phase"}, \
     {.name = "floor", .type = REAL, .flags = HI_OPEN, .lo = 0, .hi = 1, AT(DE, floor),  \
      .only = "two_phase", .unit = "share", .label = WHAT " that never fades",          \
      .plausible = {0, 0.05, "a day after the request the odds of qualifying a lead "   \
                             "are about 1/60 of the first hour's"},                     \
      .help = "share of " WHAT " that never decays"},                                   \
     {.name = NULL}}
static const struct sim_schema_key decay_keys[] = DECAY_KEYS("interest");
static const struct sim_schema_key reach_decay_keys[] = DECAY_KEYS("reach");
#undef DECAY_KEYS
#undef DE
static const struct sim_schema_rule decay_rules[] = {
    {"slow_half_life_hours, fast_half_life_hours",
     "slow_half_life_hours must be at least fast_half_life_hours"},
    {NULL, NULL}};
static const struct sim_schema_obj decay_obj = {
    "decay", decay_keys, "kind", 0, finish_interest_decay, decay_rules};
static const struct sim_schema_obj reach_decay_obj = {
    "reach_decay", reach_decay_keys, "kind", 0, finish_reach_decay, decay_rules};

static const struct sim_schema_key abandon_keys[] = {
    {.name = "kind", .type = CHOICE, .choice = name_abandon_kind, .def_text = "none",
     .help = "how long a lead is willing to wait"},
    {.name = "mean_hours", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0,
     .hi = INFINITY, AT(struct scn_abandon, patience.mean), .only = "exponential",
     .unit = "hours", .label = "mean patience",
     .help = "mean patience; patience is exponential"},
    {.name = "after_hours", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0,
     .hi = INFINITY, AT(struct scn_abandon, patience.mean), .only = "fixed",
     .unit = "hours", .label = "patience",
     .help = "every lead leaves after exactly this wait"},
    {.name = NULL}};
static const struct sim_schema_obj abandon_obj = {
    "abandon", abandon_keys, "kind", 0, finish_abandon, NULL};

#define CT struct scn_control
static const struct sim_schema_key control_keys[] = {
    SHARE(CT, audit_share, 0, KEYTAB_CONTROL, "rejections audited",
          "share of rejections that are audited"),
    SHARE(CT, recovery, 0.8, KEYTAB_CONTROL, "misjudged leads recovered by audit",
          "probability that an audited, wrongly rejected lead is recovered and worked "
          "again"),
    SHARE(CT, deterrence, 0.5, KEYTAB_CONTROL, "misjudgement cut by audits",
          "how much the prospect of audits cuts careless rejections"),
    {.name = NULL}};
#undef CT
static const struct sim_schema_obj control_obj = {
    "control", control_keys, NULL, 0, NULL, NULL};

static const struct sim_schema_key sales_keys[] = {
    {.name = "win_rate", .type = REAL, .lo = 0, .hi = 1, .def = 0.25,
     AT(struct scn_sales, win_rate), .unit = "share", .label = "win rate",
     .plausible = {0.2, 0.3, "funnel benchmarks put the close rate of qualified "
                             "opportunities at 20-30% (one survey: 26.9%)"},
     .help = "probability that a qualified lead becomes a deal, for a manager of skill "
             "1 and a fully interested lead"},
    SHARE(struct scn_sales, skill_effect, 0.5, 0, "effect of skill on winning",
          "how much low skill lowers the win rate"),
    {.name = "interest_scales_win", .type = BOOL, .def = 1,
     AT(struct scn_sales, interest_scales_win), .label = "interest scales the win rate",
     .help = "true: the win probability is also multiplied by the lead's interest at the "
             "attempt, so interest counts twice (whether the lead is still a prospect, "
             "then how likely she buys); false: interest only decides whether she is "
             "still a prospect"},
    {.name = NULL}};
static const struct sim_schema_obj sales_obj = {"sales", sales_keys, NULL, 0, NULL, NULL};

static const struct sim_schema_key report_keys[] = {
    {.name = "target_junk", .type = REAL, .flags = LO_OPEN | HI_OPEN, .lo = 0, .hi = 1,
     .def = 0.10, AT(struct scn_report, target_junk), .unit = "share",
     .label = "target junk rate",
     .plausible = {0.05, 0.15, "the article: about 10% junk is normal"},
     .help = "the junk rate to stay at or under: the target line of the charts, the "
             "bound of the report's sentences; --target-junk overrides it; it does "
             "not change the simulation"},
    {.name = NULL}};
static const struct sim_schema_obj report_obj = {"report", report_keys, NULL, 0, NULL, NULL};

#define SC struct scenario
static const struct sim_schema_key root_keys[] = {
    {.name = "version", .type = INT, .lo = 1, .hi = 1, .def = 1, .off = SIM_SCHEMA_NOSTORE,
     .help = "the format version, 1"},
    {.name = "name", .type = TEXT, .flags = REQUIRED, .lo = 1, .hi = SCN_NAME_MAX - 1,
     AT(SC, name), .help = "the scenario's name, shown in results"},
    {.name = "description", .type = TEXT, .lo = 0, .hi = SCN_TEXT_MAX - 1,
     AT(SC, description), .help = "one line for humans"},
    {.name = "notes", .type = ANY,
     .help = "free documentation (where each number comes from); ignored"},
    {.name = "start_date", .type = DATE, .def_rule = "none: day 0 is a Monday, undated",
     AT(SC, start_date), .label = "start date",
     .help = "the date of day 0, YYYY-MM-DD: the calendar follows its real weekdays, and "
             "days may be given as dates; no time zones, every day has 24 hours"},
    {.name = "seed", .type = U64, .lo = 0, .hi = 18446744073709551615.0, .def = 1, AT(SC, seed),
     .help = "master seed of the random streams: any whole number from 0 to 2^64 - 1; "
             "above 2^53 - 1 (9007199254740991) write it as a string of digits, "
             "\"18446744073709551615\", as JSON numbers lose digits there"},
    {.name = "replications", .type = UINT, .lo = 1, .hi = 10000, .def = 20,
     AT(SC, replications), .unit = "runs", .label = "replications",
     .help = "independent runs whose results are averaged"},
    {.name = "horizon_days", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 3650,
     .def = 182, AT(SC, horizon_days), .unit = "days", .label = "simulated days",
     .help = "days simulated in each run"},
    {.name = "warmup_days", .type = REAL, .lo = 0, .hi = INFINITY, .def = 28,
     .def_rule = "the smaller of 28 and horizon_days / 4", AT(SC, warmup_days),
     .unit = "days", .label = "warm-up days",
     .help = "days at the start that are simulated but not measured"},
    {.name = "calendar", .type = OBJECT, AT(SC, calendar), .sub = &calendar_obj,
     .def_rule = "24x7", .help = "working time"},
    {.name = "channels", .type = ARRAY, .flags = REQUIRED, .lo = 1, .hi = SCN_MAX_CHANNELS,
     AT(SC, channels), .count_off = offsetof(SC, n_channels), .sub = &channel_obj,
     .noun = "channel", .help = "lead sources"},
    {.name = "prequalification", .type = OBJECT, AT(SC, prequal), .sub = &prequal_obj,
     .def_rule = "disabled", .help = "checks before a lead is handed to sales"},
    {.name = "handoff", .type = OBJECT, AT(SC, handoff), .sub = &handoff_obj,
     .def_rule = "no cap, no delay", .help = "passing leads to sales"},
    {.name = "interest", .type = OBJECT, AT(SC, interest), .sub = &interest_obj,
     .def_rule = "hot 1, warm 0.7, cold 0.4", .help = "initial interest by temperature"},
    {.name = "team", .type = ARRAY, .flags = REQUIRED, .lo = 1, .hi = SCN_MAX_GROUPS,
     AT(SC, team), .count_off = offsetof(SC, n_groups), .sub = &keytab_team_obj, .noun = "group",
     .help = "the sales team, in groups of managers"},
    {.name = "routing", .type = CHOICE, .choice = name_routing, .def_text = "pool",
     .measure = KEYTAB_DISTRIBUTION, .label = "routing", .help = "who gets a lead"},
    {.name = "queue_discipline", .type = CHOICE, .choice = name_queue, .def_text = "fifo",
     .measure = KEYTAB_DISTRIBUTION, .label = "queue order",
     .help = "the order in which a queue is worked"},
    {.name = "contact", .type = OBJECT, AT(SC, contact), .sub = &contact_obj,
     .help = "first contact: attempts, conversations, judgement"},
    {.name = "decay", .type = OBJECT, AT(SC, decay), .sub = &decay_obj,
     .def_rule = "{\"kind\": \"none\"}",
     .help = "how interest fades with the lead's age, hours since its creation"},
    {.name = "abandon", .type = OBJECT, AT(SC, abandon), .sub = &abandon_obj,
     .def_rule = "{\"kind\": \"none\"}", .help = "leads that stop waiting"},
    {.name = "control", .type = OBJECT, AT(SC, control), .sub = &control_obj,
     .help = "audits of rejections"},
    {.name = "sales", .type = OBJECT, AT(SC, sales), .sub = &sales_obj,
     .help = "winning a deal after qualification"},
    {.name = "report", .type = OBJECT, AT(SC, report), .sub = &report_obj,
     .def_rule = "target_junk 0.10", .help = "what charts and reports measure results "
     "against"},
    {.name = NULL}};
#undef SC
static const struct sim_schema_rule root_rules[] = {
    {"warmup_days, horizon_days", "warmup_days must be less than horizon_days"},
    {"routing, team[].favourite",
     "routing \"favourites\" needs at least one group with \"favourite\": true"},
    {"team[].count, team[].hires.count", "at most 10000 managers in all, day-0 counts plus "
     "hires"},
    {"team[].leaves, team[].hires, team[].count",
     "the team keeps at least one manager at every time (a group may fall to 0)"},
    {"channels[].arrivals, horizon_days",
     "the leads expected over the horizon (per_week x horizon_days / 7 for each Poisson "
     "channel, size x the batches within the horizon for each batch channel) must not "
     "exceed 1e9 per replication"},
    {NULL, NULL}};
static const struct sim_schema_obj root_obj = {
    "top level", root_keys, NULL, 0, finish_root, root_rules};

#undef SHARE
#undef AT

const struct sim_schema_obj *keytab_root(void)
{
    return &root_obj;
}

const struct sim_schema_key *keytab_find(const char *path)
{
    return sim_schema_find(&root_obj, path, NULL);
}
