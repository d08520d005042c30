/*
 * scenario.h - a scenario in the checked, typed, defaulted form the model
 * runs.
 *
 * A file becomes a struct scenario in two steps (models/scn_doc.h): the
 * JSON document, to which overrides are applied, then scn_doc_compile(),
 * which checks it against the key table (models/keytab.h) and fills this
 * struct or reports the first rule broken, naming the file, the JSON path
 * and the rule.  Every range and default below is enforced there, once.
 *
 * struct scenario holds no pointer it owns: channels, groups and the
 * calendar's holidays are fixed arrays, the behaviour tables
 * (distributions, decay) are pointers to constant tables, and a trace
 * channel's timestamps are shared read-only (models/trace.h); routing is an
 * enum that models/team.h maps to its policy.  Days are day numbers from
 * day 0 (the loader turns a date in the file into one, from start_date).
 * It can be copied with `=` and shared read-only between threads; nothing
 * needs freeing.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"
#include "sim/date.h"
#include "models/decay.h"
#include "models/dist.h"

#define SCN_MAX_CHANNELS 32
#define SCN_MAX_GROUPS 32
#define SCN_NAME_MAX 64
#define SCN_TEXT_MAX 512
#define SCN_MAX_MANAGERS 10000
#define SCN_MAX_ATTEMPTS 20
#define SCN_MAX_INDICATORS 32
#define SCN_MAX_RETURNS 100       /* handoff.max_returns */
#define SCN_MAX_CAMPAIGNS 8       /* channels[].arrivals.campaigns */
#define SCN_MAX_BATCH_DAYS 64     /* channels[].arrivals.on */
#define SCN_MAX_RAMP 24           /* team[].hires.ramp: months */
#define SCN_DAYS_PER_MONTH 30.44  /* a month of tenure, for the ramp */

enum scn_temp { SCN_HOT, SCN_WARM, SCN_COLD, SCN_TEMPS };

enum scn_arrival_kind { SCN_ARRIVALS_POISSON, SCN_ARRIVALS_BATCH, SCN_ARRIVALS_TRACE };

struct trace;                   /* models/trace.h */

/* Who gets a lead (models/team.h maps each to its policy). */
enum scn_routing {
    SCN_ROUTING_POOL,           /* one shared queue, the first free manager */
    SCN_ROUTING_ROUND_ROBIN,
    SCN_ROUTING_LEAST_LOADED,
    SCN_ROUTING_SKILL_BASED,
    SCN_ROUTING_FAVOURITES,
    SCN_ROUTINGS
};

/* When a Poisson channel's leads come within a week (arrivals.profile):
 * the rate in hour h of weekday d is per_week x weekday[d] x hour[h] /
 * (sum of weekday x sum of hour), so the weights are relative and a week
 * still brings per_week.  Absent: every weight 1, a constant rate. */
struct scn_profile {
    bool given;                 /* weekday or hour given: not constant */
    double weekday[7];          /* Monday first; >= 0, positive sum */
    double hour[24];            /* from midnight; >= 0, positive sum */
};

/* A campaign of a Poisson channel (arrivals.campaigns): over whole days
 * from_day..to_day (both inclusive, day 0 the first Monday) it adds
 * per_week leads a week, or multiplies the channel's base rate by
 * `multiplier` (docs/model.md, "Arrivals").  Its leads take its own
 * fit_share, temperature and cost_per_lead, which default to the
 * channel's (scn_doc_compile fills them in). */
struct scn_campaign {
    char name[SCN_NAME_MAX];
    bool enabled;
    bool is_multiplier;         /* multiplier given, else per_week */
    unsigned from_day, to_day;  /* from_day <= to_day */
    double per_week;            /* extra leads a week */
    double multiplier;          /* > 0 */
    double fit_share;
    double temperature[SCN_TEMPS];
    double cost_per_lead;
    /* Which of the three the campaign set itself (the rest are copied
     * from the channel once its keys are read). */
    bool own_fit_share, own_temperature, own_cost_per_lead;
};

struct scn_channel {
    char name[SCN_NAME_MAX];
    enum scn_arrival_kind kind;
    double per_week;            /* poisson: mean leads per week (168 h) */
    unsigned batch_size;        /* batch: leads per batch */
    unsigned every_days;        /* batch: days between batches, >= 1; 0:
                                   none, only the days in `on` */
    unsigned first_day;         /* batch: day of the first batch (day 0 the
                                   first; a date in the file is turned into
                                   its day number from start_date) */
    unsigned n_on;              /* batch: extra batch days (arrivals.on) */
    unsigned on[SCN_MAX_BATCH_DAYS];
    struct scn_profile profile; /* poisson: the shape of a week */
    unsigned n_campaigns;       /* poisson */
    struct scn_campaign campaigns[SCN_MAX_CAMPAIGNS];
    char trace_file[SCN_TEXT_MAX]; /* trace: the CSV file, as written */
    char trace_column[SCN_NAME_MAX]; /* trace: the timestamps' column */
    const struct trace *trace;  /* trace: its timestamps, not owned (the
                                   process-wide table of models/trace.h) */
    size_t trace_first;         /* trace: the first timestamp at or after day 0 */
    size_t trace_count;         /* trace: the timestamps in [day 0, horizon) */
    size_t trace_outside;       /* trace: the others, ignored */
    double fit_share;           /* P(lead fits the ideal-customer profile) */
    double theorist_share;      /* P(lead is a theorist, not a buyer) */
    double temperature[SCN_TEMPS]; /* P(hot), P(warm), P(cold); sum 1 */
    double cost_per_lead;       /* acquisition cost, money units */
    struct dist deal_value;     /* value of a won deal */
};

struct scn_prequal {
    bool enabled;
    unsigned indicators;        /* 1..SCN_MAX_INDICATORS */
    unsigned min_true;          /* 0..indicators: pass threshold */
    double p_true_fit;          /* P(an indicator is true | fit) */
    double p_true_unfit;        /* P(an indicator is true | not fit) */
    double theorist_detection;  /* P(a theorist is detected and diverted) */
    double nurture_return_share;/* P(a diverted theorist returns as buyer) */
    double nurture_return_days; /* delay before that return */
};

/* What becomes of a lead the cap holds back (handoff.overflow). */
enum scn_overflow {
    SCN_OVERFLOW_DROP,          /* it is lost at once */
    SCN_OVERFLOW_NURTURE        /* it waits in marketing nurture and comes
                                   back, at most max_returns times */
};

struct scn_handoff {
    bool capped;                /* max_backlog given (not null) */
    unsigned max_backlog;       /* leads waiting for first contact */
    double delay_hours;         /* marketing-to-sales delay */
    enum scn_overflow overflow; /* SCN_OVERFLOW_DROP without a cap */
    double overflow_return_days;/* nurture: days until a held-back lead
                                   comes back to sales' door */
    unsigned max_returns;       /* nurture: returns before it is lost,
                                   at most SCN_MAX_RETURNS */
};

/* Managers who join a group after day 0 (team[].hires).  count 0: none. */
struct scn_hire {
    unsigned count;
    unsigned start_day;         /* the day they start (at its midnight) */
    unsigned n_ramp;            /* months in the ramp, 1..SCN_MAX_RAMP */
    double ramp[SCN_MAX_RAMP];  /* productivity in month k of tenure, (0, 1];
                                   1 after the last month */
};

/* Managers who leave a group (team[].leaves), the newest present first
 * (models/team.h, "Teams in time").  count 0: none. */
struct scn_leave {
    unsigned count;
    unsigned on_day;            /* the day they leave (at its midnight) */
};

struct scn_group {
    char name[SCN_NAME_MAX];
    unsigned count;             /* managers in the group at day 0, >= 1 */
    struct scn_hire hires;
    struct scn_leave leaves;
    double ramp_misjudge;       /* misjudgement multiplier of a hire in its
                                   first month, falling to 1 over the ramp */
    double absence_share;       /* share of working days a manager is away */
    double skill;               /* [0, 1] */
    double new_lead_share;      /* (0, 1]: share of time for new leads */
    bool favourite;
    double cost_per_month;      /* per manager, money units; 0: not weighed */
};

struct scn_contact {
    struct dist duration;       /* a conversation with a reached lead */
    double attempt_hours;       /* an attempt that does not reach the lead */
    double contactable;         /* P(lead can be reached at all) */
    unsigned max_attempts;      /* 1..SCN_MAX_ATTEMPTS */
    double p_reach;             /* P(an attempt reaches a contactable lead) */
    double retry_gap_hours;     /* wait between two attempts */
    double comfortable_backlog; /* per manager, > 0 */
    double misjudge_base;       /* misjudgement at skill 0, no rush */
    double rush_penalty;        /* extra misjudgement at full rush */
    double rush_speedup;        /* share of contact time cut at full rush */
    struct decay reach_decay;   /* p_reach fades with the lead's age */
};

struct scn_abandon {
    bool enabled;               /* kind != none */
    struct dist patience;       /* exponential(mean_hours) or fixed(after_hours) */
};

struct scn_control {
    double audit_share;         /* share of rejections audited */
    double recovery;            /* P(an audited misjudged lead is recovered) */
    double deterrence;          /* how much audits cut misjudgement */
};

struct scn_sales {
    double win_rate;            /* P(win | qualified, skill 1, interest 1) */
    double skill_effect;        /* how much low skill cuts the win rate */
    bool interest_scales_win;   /* P(win) is also scaled by the interest */
};

/* What the charts and reports measure results against; no effect on the
 * simulation. */
struct scn_report {
    double target_junk;         /* the junk rate to stay at or under, (0, 1) */
};

struct scenario {
    char source[256];           /* the file it came from, for messages */
    char name[SCN_NAME_MAX];
    char description[SCN_TEXT_MAX];
    uint64_t seed;
    unsigned replications;
    double horizon_days;
    double warmup_days;
    struct sim_date_origin start_date; /* day 0's date, when the file gives one */
    struct sim_cal calendar;    /* its week follows start_date's weekday */
    unsigned n_channels;
    struct scn_channel channels[SCN_MAX_CHANNELS];
    struct scn_prequal prequal;
    struct scn_handoff handoff;
    double interest[SCN_TEMPS]; /* initial interest; [SCN_HOT] = 1 */
    unsigned n_groups;
    struct scn_group team[SCN_MAX_GROUPS];
    enum scn_routing routing;
    bool hottest_first;         /* queue_discipline */
    struct scn_contact contact;
    struct decay decay;
    struct scn_abandon abandon;
    struct scn_control control;
    struct scn_sales sales;
    struct scn_report report;
};

/* The acquisition cost of a lead of channel c from campaign k (1 + its
 * index in channels[c].campaigns; 0: the channel's own lead). */
static inline double scn_cost_per_lead(const struct scenario *scn, unsigned c, unsigned k)
{
    const struct scn_channel *ch = &scn->channels[c];
    return k == 0 ? ch->cost_per_lead : ch->campaigns[k - 1].cost_per_lead;
}

/* Every manager a group ever has: its day-0 count plus its hires. */
static inline unsigned scn_group_heads(const struct scn_group *g)
{
    return g->count + g->hires.count;
}

/* Total managers over all groups and all time: day-0 counts plus hires
 * (leaves do not lower it; it is what the team allocates). */
unsigned scn_managers(const struct scenario *scn);

/* "pool", "round_robin", ... as in a file; NULL past SCN_ROUTINGS (the
 * key table lists the choices through it). */
const char *scn_routing_name(enum scn_routing r);

#endif
