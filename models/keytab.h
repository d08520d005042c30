/*
 * keytab.h - the scenario format's keys: one table, read by everything.
 *
 * Every key a scenario file may hold is described once, in keytab.c, by a
 * sim_schema_key (sim/schema.h): its type, choices, range (open or closed
 * ends), default or default rule in words, unit, label, which of the seven
 * measures it belongs to, the range sourced studies consider plausible,
 * the kind it is allowed with, and its help.  The rules that tie keys
 * together are listed beside the object whose finish hook enforces them.
 *
 * Readers of the table, and nobody else, know what a key means: the loader
 * (models/scn_doc.c) checks files and overrides against it; `funnelsim
 * keys` prints it, and docs/scenario.md's key tables and the fuzz
 * dictionary are generated from that print; the waterfall
 * (models/measure.h) takes each key's measure from it; charts, reports and
 * `size` take labels, units and tags from it rather than parsing a path.
 *
 * The table is constant; nothing here allocates.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_KEYTAB_H
#define MODELS_KEYTAB_H

#include "sim/schema.h"

/* Tags (sim_schema_key.tags): what a key counts, for the sentences and
 * charts that treat such keys specially. */
#define KEYTAB_INFLOW 1u        /* how many leads a channel brings */
#define KEYTAB_HEADCOUNT 2u     /* how many managers a group has */
#define KEYTAB_NAMES_FILE 4u    /* its value names a file to read (a trace):
                                   `funnelsim serve` refuses it from a request */
#define KEYTAB_CAP 8u           /* a limit on the leads handed to sales */
#define KEYTAB_SWITCH 16u       /* an on/off a planner flips in a meeting (the
                                   what-if page offers it as a switch) */

/* The seven measures (sim_schema_key.measure), in the order a company
 * applies them; models/measure.h names them.  0: none of the seven. */
enum keytab_measure {
    KEYTAB_NO_MEASURE,
    KEYTAB_PROFILE,         /* 1 ideal-customer profile */
    KEYTAB_INDICATORS,      /* 2 seven-indicator check */
    KEYTAB_THEORISTS,       /* 3 theorists to nurture */
    KEYTAB_VOLUME,          /* 4 volume matched to capacity */
    KEYTAB_TRAINING,        /* 5 first-contact training */
    KEYTAB_DISTRIBUTION,    /* 6 transparent distribution */
    KEYTAB_CONTROL,         /* 7 management control */
    KEYTAB_MEASURES = KEYTAB_CONTROL
};

/* Parts of the table kept in files of their own (keytab_arrivals.c), for
 * keytab.c's tables only: channels[].arrivals, filling a struct
 * scn_channel, and a temperature object (hot, warm, cold), of a channel
 * or a campaign. */
extern const struct sim_schema_obj keytab_arrivals_obj;
extern const struct sim_schema_obj keytab_temperature_obj;

/* The top-level object of a scenario file. */
const struct sim_schema_obj *keytab_root(void);

/* The key a path names (indices optional: `team[2].count`, `team[].count`),
 * or NULL when the format has no such key. */
const struct sim_schema_key *keytab_find(const char *path);

/* ---- shared by the table's own files (keytab.c, keytab_team.c) --------- */

struct scenario;

/* Money: any larger value sums to infinity over the leads of a run and
 * would be printed as null. */
#define SCN_MAX_MONEY 1e15

/* A share in [0, 1] with a default, a measure, a label and help. */
#define SHARE(T, f, d, m, lbl, h)                                                   \
    {.name = #f, .type = SIM_SCHEMA_REAL, .lo = 0, .hi = 1, .def = d,              \
     .off = offsetof(T, f), .unit = "share", .label = lbl, .measure = m, .help = h}

/* The `team` array's element: a group of managers. */
extern const struct sim_schema_obj keytab_team_obj;

/* The rule of the whole team in time: at least one manager at every time
 * (a group may fall to 0).  SIM_OK or the error, at `team`. */
int keytab_team_check(struct sim_schema_ctx *c, const struct scenario *s);

/* Where each trace channel's timestamps fall once start_date and the
 * horizon are known: trace_first, trace_count (in [day 0, horizon)) and
 * trace_outside (the rest, ignored). */
void keytab_trace_place(struct scenario *s);

#endif
