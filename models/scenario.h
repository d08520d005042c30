/*
 * scenario.h - a scenario: the JSON document, its overrides, its checked form.
 *
 * A scenario goes through two stages:
 *
 *   1. struct scn_doc: the parsed JSON (cJSON) plus the file name.  Command
 *      line overrides (--set PATH=VALUE) and sweep points are applied to the
 *      document, so that they meet exactly the same checks as the file.
 *   2. struct scenario: the checked, typed, defaulted form the model runs.
 *      scn_compile() produces it or reports the first rule broken, naming
 *      the file, the JSON path and the rule:
 *        "web.json: channels[1].fit_share: must be between 0 and 1 (got 1.4)"
 *        "web.json: team[0].cuont: unknown key (did you mean \"count\"?)"
 *
 * struct scenario holds no pointer it owns: channels and groups are fixed
 * arrays and the behaviour tables (routing, distributions, decay) are
 * pointers to constant tables.  It can be copied with `=` and shared
 * read-only between threads; nothing needs freeing.
 *
 * Paths are written as in the file: `team[1].count`,
 * `channels[0].arrivals.per_week`, `contact.duration.mean_hours`.
 *
 * The keys, their defaults and their ranges are listed in docs/scenario.md;
 * the loader is the single place that enforces them.
 *
 * Ownership: scn_doc_load() returns a document the caller frees with
 * scn_doc_free(); scn_doc_clone() likewise.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"
#include "sim/err.h"
#include "models/decay.h"
#include "models/dist.h"

#define SCN_MAX_CHANNELS 32
#define SCN_MAX_GROUPS 32
#define SCN_NAME_MAX 64
#define SCN_TEXT_MAX 512
#define SCN_MAX_MANAGERS 10000
#define SCN_MAX_ATTEMPTS 20
#define SCN_MAX_INDICATORS 32

enum scn_temp { SCN_HOT, SCN_WARM, SCN_COLD, SCN_TEMPS };

enum scn_arrival_kind { SCN_ARRIVALS_POISSON, SCN_ARRIVALS_BATCH };

struct route_type;   /* models/route.h */

struct scn_channel {
    char name[SCN_NAME_MAX];
    enum scn_arrival_kind kind;
    double per_week;            /* poisson: mean leads per week (168 h) */
    unsigned batch_size;        /* batch: leads per batch */
    unsigned every_days;        /* batch: days between batches, >= 1 */
    unsigned first_day;         /* batch: day of the first batch (0 = Monday) */
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

struct scn_handoff {
    bool capped;                /* max_backlog given (not null) */
    unsigned max_backlog;       /* leads waiting for first contact */
    double delay_hours;         /* marketing-to-sales delay */
};

struct scn_group {
    char name[SCN_NAME_MAX];
    unsigned count;             /* managers in the group, >= 1 */
    double skill;               /* [0, 1] */
    double new_lead_share;      /* (0, 1]: share of time for new leads */
    bool favourite;
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
};

struct scenario {
    char source[256];           /* the file it came from, for messages */
    char name[SCN_NAME_MAX];
    char description[SCN_TEXT_MAX];
    uint64_t seed;
    unsigned replications;
    double horizon_days;
    double warmup_days;
    struct sim_cal calendar;
    unsigned n_channels;
    struct scn_channel channels[SCN_MAX_CHANNELS];
    struct scn_prequal prequal;
    struct scn_handoff handoff;
    double interest[SCN_TEMPS]; /* initial interest; [SCN_HOT] = 1 */
    unsigned n_groups;
    struct scn_group team[SCN_MAX_GROUPS];
    const struct route_type *routing;
    bool hottest_first;         /* queue_discipline */
    struct scn_contact contact;
    struct decay decay;
    struct scn_abandon abandon;
    struct scn_control control;
    struct scn_sales sales;
};

/* The parsed document.  Opaque. */
struct scn_doc;

/* Reads and parses `path`.  A syntax error is reported with its line and
 * column.  NULL and err set (SIM_ERR_INPUT; SIM_ERR_RUNTIME only for an
 * allocation failure) on failure. */
struct scn_doc *scn_doc_load(const char *path, struct sim_err *err);

/* Parses `text` as if read from a file called `name`. */
struct scn_doc *scn_doc_parse(const char *text, const char *name,
                              struct sim_err *err);

struct scn_doc *scn_doc_clone(const struct scn_doc *doc);
void scn_doc_free(struct scn_doc *doc);

const char *scn_doc_name(const struct scn_doc *doc);

/* Applies one override written "PATH=VALUE".  VALUE is read as JSON when it
 * is a JSON number, true, false, null or a quoted string, otherwise as a
 * bare string (so `routing=favourites` works).  PATH must name an existing
 * element or a key the format defines at that place (the compile step then
 * checks the value); an unknown key gets the same did-you-mean hint as in
 * a file.  Array indices must exist. */
int scn_doc_set(struct scn_doc *doc, const char *assignment,
                struct sim_err *err);

/* Sets the number at `path` (the sweep's way in). */
int scn_doc_set_number(struct scn_doc *doc, const char *path, double value,
                       struct sim_err *err);

/* Reads the number at `path`, which must exist and be a number. */
int scn_doc_get_number(const struct scn_doc *doc, const char *path,
                       double *value, struct sim_err *err);

/* Calls fn(user, path) for every place where a and b differ: a scalar
 * that differs or exists in one only, or an array whose length differs
 * (its path then names the whole array).  Paths are written as for --set;
 * `name`, `description` and `notes` are not compared.  Returns SIM_OK or
 * SIM_ERR_RUNTIME (out of memory). */
typedef void (*scn_diff_fn)(void *user, const char *path);
int scn_doc_diff(const struct scn_doc *a, const struct scn_doc *b,
                 scn_diff_fn fn, void *user, struct sim_err *err);

/* Makes the value at `path` in dst what it is in src: copied when src has
 * it, removed when it does not.  The path is checked as for --set. */
int scn_doc_copy(struct scn_doc *dst, const struct scn_doc *src,
                 const char *path, struct sim_err *err);

/* The document as JSON text (what was run, overrides included), or NULL
 * when out of memory; the caller frees it with free(). */
char *scn_doc_print(const struct scn_doc *doc);

/* Checks the document and fills *out.  SIM_OK or SIM_ERR_INPUT. */
int scn_compile(const struct scn_doc *doc, struct scenario *out,
                struct sim_err *err);

/* scn_doc_load + every override + scn_compile. */
int scn_load(const char *path, const char *const *sets, size_t n_sets,
             struct scenario *out, struct sim_err *err);

/* Total managers over all groups. */
unsigned scn_managers(const struct scenario *scn);

#endif
