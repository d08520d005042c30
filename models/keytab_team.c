/* SPDX-License-Identifier: MIT */
/*
 * keytab_team.c - the scenario format's `team[]` keys: a group, its hires
 * and leaves, its ramp and absences (docs/model.md, "Teams in time").
 *
 * Part of the key table (models/keytab.c), in a file of its own for its
 * size; keytab.c's root table points at keytab_team_obj and its root hook
 * calls keytab_team_check() (both declared in keytab.h).  The same rules
 * as keytab.c: a key's type, range, default, unit, label and help are
 * written here and nowhere else.
 */
#include "models/keytab.h"

#include <stddef.h>
#include <string.h>

#include "models/breakdown.h"
#include "models/scenario.h"

#define REAL SIM_SCHEMA_REAL
#define UINT SIM_SCHEMA_UINT
#define DAY SIM_SCHEMA_DAY
#define BOOL SIM_SCHEMA_BOOL
#define TEXT SIM_SCHEMA_TEXT
#define CUSTOM SIM_SCHEMA_CUSTOM
#define REQUIRED SIM_SCHEMA_REQUIRED
#define LO_OPEN SIM_SCHEMA_LO_OPEN
#define HI_OPEN SIM_SCHEMA_HI_OPEN
#define AT(T, f) .off = offsetof(T, f)

typedef struct sim_schema_ctx ctx;

/* hires.ramp: an array of 1..SCN_MAX_RAMP productivities, each in (0, 1],
 * one a month of tenure.  The default, a step of a quarter a month to full
 * productivity after three months, is the planners' step table for a
 * first-contact role (docs/field-figures.md, "Teams and demand over time"). */
static int custom_ramp(ctx *c, const cJSON *v, const struct sim_schema_key *k, void *base)
{
    static const double def[] = {0.25, 0.5, 0.75, 1.0};
    struct scn_hire *h = base;
    char got[64];
    if (v == NULL) {
        h->n_ramp = sizeof def / sizeof def[0];
        memcpy(h->ramp, def, sizeof def);
        return SIM_OK;
    }
    int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : -1;
    if (n < 1 || n > SCN_MAX_RAMP)
        return sim_schema_fail(c, "must be an array of 1 to %d productivities, one a month "
                               "(got %s)", SCN_MAX_RAMP, sim_schema_describe(v, got));
    h->n_ramp = (unsigned)n;
    for (int i = 0; i < n; i++) {
        size_t mark = sim_schema_push_index(c, (size_t)i);
        int rc = sim_schema_read_number(c, cJSON_GetArrayItem(v, i), k, &h->ramp[i]);
        sim_schema_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* hires and leaves: absent, none (count 0); given, an object whose keys
 * are all required. */
static int custom_staff(ctx *c, const cJSON *v, const struct sim_schema_key *k, void *base)
{
    void *at = (char *)base + k->off;
    if (v == NULL)
        return SIM_OK;
    return sim_schema_fill(c, v, k->sub, at);
}

/* The managers who leave are those present on the day, so at most the
 * day-0 count, plus the hires when they have started. */
static int check_leaves(ctx *c, const struct scn_group *g)
{
    if (g->leaves.count == 0)
        return SIM_OK;
    unsigned present = g->count;
    if (g->hires.count > 0 && g->leaves.on_day >= g->hires.start_day)
        present += g->hires.count;
    if (g->leaves.count > present)
        return sim_schema_fail(c, "leaves.count must be at most the %u managers present on "
                               "day %u (got %u)", present, g->leaves.on_day,
                               g->leaves.count);
    return SIM_OK;
}

/* The team keeps at least one manager at every time: heads only fall on a
 * leave day, so each is checked. */
int keytab_team_check(struct sim_schema_ctx *c, const struct scenario *s)
{
    for (unsigned l = 0; l < s->n_groups; l++) {
        if (s->team[l].leaves.count == 0)
            continue;
        unsigned day = s->team[l].leaves.on_day;
        long heads = 0;
        for (unsigned g = 0; g < s->n_groups; g++) {
            const struct scn_group *gr = &s->team[g];
            heads += gr->count;
            if (gr->hires.count > 0 && day >= gr->hires.start_day)
                heads += gr->hires.count;
            if (gr->leaves.count > 0 && day >= gr->leaves.on_day)
                heads -= gr->leaves.count;
        }
        if (heads <= 0)
            return sim_schema_fail_at(c, "team", "the team falls to 0 managers on day %u: "
                                      "a group may, the whole team may not", day);
    }
    return SIM_OK;
}

static const struct sim_schema_key hire_keys[] = {
    {.name = "count", .type = UINT, .flags = REQUIRED, .lo = 1, .hi = SCN_MAX_MANAGERS,
     AT(struct scn_hire, count), .unit = "managers", .label = "managers hired into '{name}'",
     .help = "managers who join the group"},
    {.name = "start", .type = DAY, .flags = REQUIRED, .lo = 0, .hi = 36500,
     AT(struct scn_hire, start_day), .unit = "day", .label = "start of the hires into '{name}'",
     .help = "the day the hires start work: a day number (day 0 the first) or a date "
             "(needs start_date)"},
    {.name = "ramp", .type = CUSTOM, .flags = LO_OPEN, .lo = 0, .hi = 1, .off = 0,
     .custom = custom_ramp, .type_text = "array of numbers", .def_rule = "[0.25, 0.5, 0.75, 1]", .unit = "share",
     .help = "productivity by month of tenure (months of 30.44 days), each in (0, 1]; "
             "full after the last month.  A conversation or attempt takes its time "
             "divided by it"},
    {.name = NULL}};
static const struct sim_schema_obj hire_obj = {"hires", hire_keys, NULL, 0, NULL, NULL};

static const struct sim_schema_key leave_keys[] = {
    {.name = "count", .type = UINT, .flags = REQUIRED, .lo = 1, .hi = SCN_MAX_MANAGERS,
     AT(struct scn_leave, count), .unit = "managers", .label = "managers leaving '{name}'",
     .help = "managers who leave the group, the newest present first"},
    {.name = "on", .type = DAY, .flags = REQUIRED, .lo = 0, .hi = 36500,
     AT(struct scn_leave, on_day), .unit = "day", .label = "day managers leave '{name}'",
     .help = "the day they leave: a day number or a date (needs start_date); a lead in "
             "an attempt is finished first"},
    {.name = NULL}};
static const struct sim_schema_obj leave_obj = {"leaves", leave_keys, NULL, 0, NULL, NULL};

#define GR struct scn_group
static const struct sim_schema_key group_keys[] = {
    {.name = "name", .type = TEXT, .flags = REQUIRED, .lo = 1, .hi = SCN_NAME_MAX - 1,
     AT(GR, name), .help = "the group's name, unique"},
    {.name = "count", .type = UINT, .flags = REQUIRED, .lo = 1, .hi = SCN_MAX_MANAGERS,
     AT(GR, count), .unit = "managers", .label = "managers in group '{name}'",
     .tags = KEYTAB_HEADCOUNT, .help = "managers in the group at day 0"},
    {.name = "hires", .type = CUSTOM, AT(GR, hires), .sub = &hire_obj, .custom = custom_staff,
     .type_text = "object", .def_rule = "none", .label = "hires into '{name}'",
     .help = "managers who join the group later: {count, start, ramp}; they work new "
             "leads at the ramp's speed"},
    {.name = "leaves", .type = CUSTOM, AT(GR, leaves), .sub = &leave_obj, .custom = custom_staff,
     .type_text = "object", .def_rule = "none", .label = "leavers from '{name}'",
     .help = "managers who leave the group: {count, on}; the newest present leave first, "
             "their waiting leads are routed again"},
    {.name = "ramp_misjudge", .type = REAL, .lo = 0, .hi = 100, .def = 1,
     AT(GR, ramp_misjudge), .unit = "ratio", .label = "misjudgement of a new hire in '{name}'",
     .measure = KEYTAB_TRAINING,
     .help = "a hire's misjudgement is multiplied by this in its first month, the "
             "multiplier falling by equal steps to 1 at the end of its ramp"},
    {.name = "absence_share", .type = REAL, .flags = HI_OPEN, .lo = 0, .hi = 1, .def = 0,
     AT(GR, absence_share), .unit = "share", .label = "'{name}' days away",
     .help = "share of working days a manager is away (sickness, leave, training), drawn "
             "as whole days; an absent manager takes no new lead that day.  Shrinkage, "
             "all time paid but not available, is typically 20-35%"},
    SHARE(GR, skill, 0.5, KEYTAB_TRAINING, "skill of '{name}'",
          "first-contact skill: low skill raises misjudgement and lowers the win rate"),
    {.name = "new_lead_share", .type = REAL, .flags = LO_OPEN, .lo = 0, .hi = 1, .def = 1,
     AT(GR, new_lead_share), .unit = "share", .label = "'{name}' time for new leads",
     .measure = KEYTAB_VOLUME,
     .plausible = {0.2, 0.45, "surveys of sales time put the share spent selling at "
                              "22% to 41%"},
     .help = "share of working time for new leads; a free manager takes a waiting "
             "new lead first, then spends (1 - share) / share of that task's time on accounts"},
    {.name = "favourite", .type = BOOL, AT(GR, favourite), .measure = KEYTAB_DISTRIBUTION,
     .label = "'{name}' gets the hot leads",
     .help = "the group receives the hot leads under \"favourites\" routing"},
    {.name = "cost_per_month", .type = REAL, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(GR, cost_per_month), .unit = "money", .label = "cost of a manager in '{name}' a month",
     .help = "what one manager of the group costs a month, salary and overheads; "
             "counted in team_cost and profit over the measured period"},
    {.name = NULL}};
#undef GR
/* "unassigned" names the results' row of leads no manager attempted
 * (models/breakdown.h): a group of that name would share it. */
static int finish_group(ctx *c, const cJSON *json, void *base)
{
    const struct scn_group *g = base;
    (void)json;
    if (strcmp(g->name, BREAKDOWN_UNASSIGNED) == 0)
        return sim_schema_fail_at(c, "name", "\"%s\" is reserved for the leads no manager "
                                  "attempted in the results by group", BREAKDOWN_UNASSIGNED);
    return check_leaves(c, g);
}

static const struct sim_schema_rule group_rules[] = {
    {"leaves.count, leaves.on, count, hires", "leaves.count must be at most the managers "
     "present on day leaves.on: count, plus hires.count when the hires have started"},
    {NULL, NULL}};
const struct sim_schema_obj keytab_team_obj = {
    "team", group_keys, NULL, sizeof(struct scn_group), finish_group, group_rules};
