/* SPDX-License-Identifier: MIT */
/*
 * keytab_arrivals.c - the keys of channels[].arrivals (the scenario format,
 * models/keytab.c): how leads arrive, their weekly profile, campaigns and
 * batch days, with the readers and rules these keys need.  Apart from
 * keytab.c only to keep files short; the same conventions hold.
 */

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "models/keytab.h"
#include "models/scenario.h"
#include "models/trace.h"

#define REAL SIM_SCHEMA_REAL
#define DAY SIM_SCHEMA_DAY
#define DAYS SIM_SCHEMA_DAYS
#define UINT SIM_SCHEMA_UINT
#define BOOL SIM_SCHEMA_BOOL
#define TEXT SIM_SCHEMA_TEXT
#define CHOICE SIM_SCHEMA_CHOICE
#define OBJECT SIM_SCHEMA_OBJECT
#define ARRAY SIM_SCHEMA_ARRAY
#define CUSTOM SIM_SCHEMA_CUSTOM
#define REQUIRED SIM_SCHEMA_REQUIRED
#define LO_OPEN SIM_SCHEMA_LO_OPEN
#define AT(T, f) .off = offsetof(T, f)
/* Money: as in keytab.c. */
#define SCN_MAX_MONEY 1e15

typedef struct sim_schema_ctx ctx;

/* In the order of enum scn_arrival_kind. */
static const char *name_arrival_kind(const void *arg, size_t i)
{
    static const char *const names[] = {"poisson", "batch", "trace", NULL};
    (void)arg;
    return names[i];
}

/* A profile's weights: exactly n numbers >= 0 with a positive sum; all 1
 * when absent. */
static int read_weights(ctx *c, const cJSON *v, const struct sim_schema_key *k,
                        double *w, int n)
{
    char got[64];
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        w[i] = 1.0;
    if (v == NULL)
        return SIM_OK;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != n)
        return sim_schema_fail(c, "must be a list of %d weights (got %s)", n,
                               sim_schema_describe(v, got));
    for (int i = 0; i < n; i++) {
        size_t mark = sim_schema_push_index(c, (size_t)i);
        int rc = sim_schema_read_number(c, cJSON_GetArrayItem(v, i), k, &w[i]);
        sim_schema_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
        sum += w[i];
    }
    if (!(sum > 0.0))
        return sim_schema_fail(c, "the weights must not all be 0");
    return SIM_OK;
}

static int custom_weekday(ctx *c, const cJSON *v, const struct sim_schema_key *k, void *base)
{
    return read_weights(c, v, k, ((struct scn_profile *)base)->weekday, 7);
}

static int custom_hour(ctx *c, const cJSON *v, const struct sim_schema_key *k, void *base)
{
    return read_weights(c, v, k, ((struct scn_profile *)base)->hour, 24);
}

static int finish_profile(ctx *c, const cJSON *json, void *base)
{
    struct scn_profile *p = base;
    (void)c;
    p->given = sim_schema_has(json, "weekday") || sim_schema_has(json, "hour");
    return SIM_OK;
}

/* Extra leads or a multiplier, not both; from <= to. */
static int finish_campaign(ctx *c, const cJSON *json, void *base)
{
    struct scn_campaign *k = base;
    bool extra = sim_schema_has(json, "per_week");
    k->is_multiplier = sim_schema_has(json, "multiplier");
    if (extra == k->is_multiplier)
        return sim_schema_fail(c, "needs exactly one of per_week (extra leads a week) and "
                               "multiplier (of the channel's rate)%s",
                               extra ? " (got both)" : "");
    if (k->from_day > k->to_day)
        return sim_schema_fail_at(c, "to", "must be on or after from (day %u) (got day %u)",
                                  k->from_day, k->to_day);
    k->own_fit_share = sim_schema_has(json, "fit_share");
    k->own_temperature = sim_schema_has(json, "temperature");
    k->own_cost_per_lead = sim_schema_has(json, "cost_per_lead");
    return SIM_OK;
}

/* A trace: dated (its timestamps are dates), and its file read now, once
 * per command (models/trace.h); where it falls on the timeline is
 * keytab_trace_place's, once the horizon is known. */
static int finish_trace(ctx *c, struct scn_channel *ch)
{
    if (!c->origin.dated)
        return sim_schema_fail_at(c, "kind", "\"trace\" needs start_date: the file's "
                                  "timestamps are dates, and start_date says which is day 0");
    char path[SCN_TEXT_MAX + 4096];
    if (!trace_resolve(path, sizeof path, c->file, ch->trace_file))
        return sim_schema_fail_at(c, "file", "path too long");
    struct sim_err e = {0};
    if (trace_get(path, ch->trace_column, &ch->trace, &e) != SIM_OK)
        return sim_schema_fail_at(c, "file", "%s", e.msg);
    return SIM_OK;
}

static int finish_arrivals(ctx *c, const cJSON *json, void *base)
{
    struct scn_channel *ch = base;
    ch->kind = (enum scn_arrival_kind)sim_schema_choice(json, &keytab_arrivals_obj, "kind");
    if (ch->kind == SCN_ARRIVALS_BATCH && ch->every_days == 0 && ch->n_on == 0)
        return sim_schema_fail(c, "a batch channel needs every_days, on, or both");
    if (ch->kind == SCN_ARRIVALS_TRACE)
        return finish_trace(c, ch);
    return SIM_OK;
}

void keytab_trace_place(struct scenario *s)
{
    for (unsigned i = 0; i < s->n_channels; i++) {
        struct scn_channel *ch = &s->channels[i];
        if (ch->kind != SCN_ARRIVALS_TRACE)
            continue;
        /* [day 0, horizon) in whole seconds: a timestamp t is in when its
         * hours, (t - day0) / 3600, are >= 0 and < horizon_days x 24. */
        int64_t day0 = (int64_t)s->start_date.date * 86400;
        size_t first = trace_lower(ch->trace, day0), end = first;
        double horizon = s->horizon_days * 24.0;
        size_t lo = first, hi = ch->trace->n;
        while (lo < hi) {       /* the first at or past the horizon */
            size_t mid = lo + (hi - lo) / 2;
            if (trace_hours(ch->trace, mid, s->start_date.date) < horizon)
                lo = mid + 1;
            else
                hi = mid;
        }
        end = lo;
        ch->trace_first = first;
        ch->trace_count = end - first;
        ch->trace_outside = ch->trace->n - ch->trace_count;
    }
}

#define CH struct scn_channel
#define DAY_MAX 36500.0        /* the last day a day key may name */
/* A day key: a day number (day 0 the first) or a date (from start_date). */
#define DAY_KEY(nm, T, f, lbl, h)                                                   \
    {.name = nm, .type = DAY, .flags = REQUIRED, .lo = 0, .hi = DAY_MAX, AT(T, f),      \
     .unit = "day", .label = lbl, .measure = KEYTAB_VOLUME, .help = h}

static const struct sim_schema_key profile_keys[] = {
    {.name = "weekday", .type = CUSTOM, .lo = 0, .hi = 1e9, .off = 0,
     .custom = custom_weekday, .def_rule = "all 1", .unit = "weight",
     .label = "{name}: leads by weekday", .measure = KEYTAB_VOLUME,
     .help = "7 relative weights of the days, Monday first, >= 0 with a positive sum"},
    {.name = "hour", .type = CUSTOM, .lo = 0, .hi = 1e9, .off = 0, .custom = custom_hour,
     .def_rule = "all 1", .unit = "weight", .label = "{name}: leads by hour",
     .measure = KEYTAB_VOLUME,
     .help = "24 relative weights of the hours from midnight, >= 0 with a positive sum"},
    {.name = NULL}};
static const struct sim_schema_rule profile_rules[] = {
    {"weekday, hour", "the rate in hour h of day d is per_week x weekday[d] x hour[h] / "
     "(sum of weekday x sum of hour): the weights are relative and a week brings "
     "per_week; each list has weights >= 0 that are not all 0"},
    {NULL, NULL}};
static const struct sim_schema_obj profile_obj = {
    "profile", profile_keys, NULL, 0, finish_profile, profile_rules};

#define CP struct scn_campaign
static const struct sim_schema_key campaign_keys[] = {
    {.name = "name", .type = TEXT, .flags = REQUIRED, .lo = 1, .hi = SCN_NAME_MAX - 1,
     AT(CP, name), .help = "the campaign's name, unique within its channel"},
    {.name = "enabled", .type = BOOL, .def = 1, .def_rule = "true", AT(CP, enabled),
     .measure = KEYTAB_VOLUME,
     .label = "campaign {name}", .help = "false: the campaign is left out"},
    DAY_KEY("from", CP, from_day, "first day of campaign {name}",
            "first day of the campaign (inclusive): a day number (day 0 the first) or a "
            "date (needs start_date)"),
    DAY_KEY("to", CP, to_day, "last day of campaign {name}",
            "last day of the campaign (inclusive): from 60 to 87 is 28 whole days"),
    {.name = "per_week", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 1e7,
     AT(CP, per_week), .def_rule = "none (or multiplier)", .unit = "leads a week",
     .label = "campaign {name}: extra leads a week", .measure = KEYTAB_VOLUME,
     .tags = KEYTAB_INFLOW,
     .help = "extra leads a week while the campaign runs, on top of the channel's, at "
             "the channel's hours (its profile)"},
    {.name = "multiplier", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 1000,
     AT(CP, multiplier), .def_rule = "none (or per_week)", .unit = "ratio",
     .label = "campaign {name}: rate multiplier", .measure = KEYTAB_VOLUME,
     .help = "the channel's rate is multiplied by this while the campaign runs (2: twice "
             "the leads; 0.5: half); overlapping multipliers multiply"},
    {.name = "fit_share", .type = REAL, .lo = 0, .hi = 1, AT(CP, fit_share),
     .def_rule = "the channel's", .unit = "share", .measure = KEYTAB_PROFILE,
     .label = "campaign {name}: share that fits the profile",
     .help = "share of the campaign's leads that fit the ideal-customer profile"},
    {.name = "temperature", .type = OBJECT, AT(CP, temperature), .sub = &keytab_temperature_obj,
     .def_rule = "the channel's", .help = "shares of hot, warm and cold campaign leads"},
    {.name = "cost_per_lead", .type = REAL, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(CP, cost_per_lead), .def_rule = "the channel's", .unit = "money",
     .label = "campaign {name}: cost per lead", .help = "acquisition cost of one campaign lead"},
    {.name = NULL}};
#undef CP
static const struct sim_schema_rule campaign_rules[] = {
    {"per_week, multiplier", "exactly one of them; overlapping campaigns add their "
     "per_week and multiply their multipliers"},
    {"from, to", "from <= to; both days are included"},
    {"fit_share, temperature, cost_per_lead", "the channel's when left out"},
    {NULL, NULL}};
static const struct sim_schema_obj campaign_obj = {
    "campaigns", campaign_keys, NULL, sizeof(struct scn_campaign), finish_campaign,
    campaign_rules};
#undef DAY_KEY

static const struct sim_schema_key arrivals_keys[] = {
    {.name = "kind", .type = CHOICE, .flags = REQUIRED, .choice = name_arrival_kind,
     .measure = KEYTAB_VOLUME, .label = "{name}: arrivals",
     .help = "\"poisson\": random arrivals one at a time; \"batch\": batches on fixed days; "
             "\"trace\": the timestamps of a CSV file replayed"},
    {.name = "per_week", .type = REAL, .flags = REQUIRED | LO_OPEN, .lo = 0, .hi = 1e7,
     AT(CH, per_week), .only = "poisson", .unit = "leads a week",
     .label = "{name} leads a week", .measure = KEYTAB_VOLUME, .tags = KEYTAB_INFLOW,
     .help = "mean leads per week (168 hours), arriving at random times day and night"},
    {.name = "size", .type = UINT, .flags = REQUIRED, .lo = 1, .hi = 1e6,
     AT(CH, batch_size), .only = "batch", .unit = "leads a batch",
     .label = "{name} leads a batch", .measure = KEYTAB_VOLUME, .tags = KEYTAB_INFLOW,
     .help = "leads per batch (a webinar's attendee list)"},
    {.name = "every_days", .type = UINT, .lo = 1, .hi = UINT_MAX, .def = 0,
     .def_rule = "none: only the days of on", AT(CH, every_days), .only = "batch",
     .unit = "days", .label = "days between {name} batches", .measure = KEYTAB_VOLUME,
     .help = "days between two batches of the regular series (from first_day on)"},
    {.name = "first_day", .type = DAY, .lo = 0, .hi = UINT_MAX, .def = 0,
     AT(CH, first_day), .only = "batch", .unit = "day", .label = "day of the first {name} batch",
     .measure = KEYTAB_VOLUME,
     .help = "day of the first batch: a day number (day 0 the first) or a date (needs "
             "start_date)"},
    {.name = "on", .type = DAYS, .lo = 0, .hi = DAY_MAX, AT(CH, on),
     .count_off = offsetof(CH, n_on), .max_items = SCN_MAX_BATCH_DAYS, .only = "batch",
     .def_rule = "none", .noun = "batch day", .unit = "days",
     .label = "{name}: days of one-off batches", .measure = KEYTAB_VOLUME,
     .help = "days with one batch each besides the every_days series (a trade show, one "
             "webinar): at most 64 day numbers or dates"},
    {.name = "file", .type = TEXT, .flags = REQUIRED, .lo = 1, .hi = SCN_TEXT_MAX - 1,
     AT(CH, trace_file), .only = "trace", .tags = KEYTAB_NAMES_FILE,
     .measure = KEYTAB_VOLUME,
     .label = "{name}: trace file",
     .help = "the CSV file of arrival timestamps to replay, relative to the scenario "
             "file's directory (or absolute); read once per command"},
    {.name = "column", .type = TEXT, .lo = 1, .hi = SCN_NAME_MAX - 1, .def_text = "created_at",
     AT(CH, trace_column), .only = "trace", .measure = KEYTAB_VOLUME, .label = "{name}: trace column",
     .help = "the header name of the column holding the timestamps: ISO dates "
             "(YYYY-MM-DD, midnight) or local date-times (YYYY-MM-DDTHH:MM[:SS], a space "
             "allowed for the T); rows outside [day 0, horizon) are counted and ignored"},
    {.name = "profile", .type = OBJECT, AT(CH, profile), .sub = &profile_obj,
     .only = "poisson", .def_rule = "a constant rate", .measure = KEYTAB_VOLUME,
     .help = "when in the week leads come; the week still brings per_week"},
    {.name = "campaigns", .type = ARRAY, .lo = 0, .hi = SCN_MAX_CAMPAIGNS,
     AT(CH, campaigns), .count_off = offsetof(CH, n_campaigns), .sub = &campaign_obj,
     .only = "poisson", .noun = "campaign", .def_rule = "none", .measure = KEYTAB_VOLUME,
     .help = "periods of whole days with extra leads or a changed rate"},
    {.name = NULL}};
static const struct sim_schema_rule arrivals_rules[] = {
    {"every_days, on", "a batch channel needs every_days, on, or both; a day in both "
     "brings two batches"},
    {"campaigns[].name", "campaign names are unique within a channel (as the names of "
     "every list)"},
    {"kind, file, start_date", "a trace channel needs start_date; its file must exist and "
     "every row have a valid timestamp in `column` (a bad one is refused with its line)"},
    {NULL, NULL}};
const struct sim_schema_obj keytab_arrivals_obj = {
    "arrivals", arrivals_keys, "kind", 0, finish_arrivals, arrivals_rules};

#undef CH
