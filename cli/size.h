/*
 * size.h - what `funnelsim size` found, shared by the search
 * (cmd_size.c), its report (size_report.c) and the search for the best
 * profit or deals (size_max.c, `--maximize`).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_SIZE_H
#define CLI_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cJSON.h"
#include "cli/cli.h"
#include "models/capacity.h"
#include "models/scenario.h"
#include "sim/feasible.h"
#include "sim/paired.h"
#include "sim/stats.h"

/* One simulated value of the field: every replication, one experiment. */
struct size_run {
    double x;
    struct sim_ci junk;
    struct sim_ci lost;         /* lost_rate, shown beside the junk rate */
    struct sim_ci obj;          /* --maximize: the metric maximized */
    struct capacity_load load;
    unsigned reps;
    bool scanned;               /* a value of the scan, not of a refinement */
    double *per_rep;            /* the junk rate of each replication (NaN:
                                   not finished); owned */
    double *per_rep_obj;        /* --maximize: the metric of each
                                   replication; owned; NULL otherwise */
    /* --maximize, set by the last reading of the flat region: */
    struct sim_ci vs_best;      /* paired best - this (NaN: not compared) */
    bool within;                /* within noise of the best */
};

/* Room for the scan (at most SIZE_MAX_STEPS values) and the refinements
 * of the pairs whose status changes (bisection or Brent, each a few dozen
 * runs at most). */
#define SIZE_MAX_STEPS 200
#define SIZE_MAX_RUNS 2048
#define SIZE_MAX_FEASIBLE 64

enum size_status { SIZE_OK, SIZE_UNDECIDED, SIZE_NOT_REACHABLE };

/* --maximize: the best value and the values within noise of it. */
struct size_max {
    enum metric_id metric;      /* METRIC_PROFIT or METRIC_DEALS */
    size_t n_final;             /* the runs of the last stage */
    struct size_run *final;     /* the best and its rivals rerun with more
                                   replications (or copies of the scan's
                                   runs when no rerun was needed), sorted
                                   by x; owned, their arrays too */
    unsigned final_reps;
    double best;                /* NaN when no value meets --target-junk */
    double scan_best;           /* the best at the scan's replications */
    size_t i_best;              /* its index in final[] */
    double flat_from, flat_to;  /* the smallest and largest value within
                                   noise of the best */
    size_t n_flat;
    bool contiguous;            /* no value tried between them is outside */
    double gap;                 /* when not: the first value between them
                                   that is significantly worse or fails
                                   the target; NaN otherwise */
    int at_end;                 /* the best is the range's lower (-1) or
                                   upper (1) end; 0 inside */
    bool binds;                 /* --target-junk: a value next to the best
                                   fails the target, and its mean is
                                   higher */
    size_t n_refined;           /* runs added around the best and the
                                   region's edges */
};

/* A significant change between two scanned values (paired differences of
 * the replications: common random numbers). */
struct size_change {
    bool found;
    double from, to;            /* the values, from < to */
    struct sim_ci diff;         /* junk(to) - junk(from) */
};

struct size_ctx {
    const struct cli_opts *o;
    struct scn_doc *doc;        /* the document evaluations set the field in */
    const char *path;
    bool integer;
    bool largest;               /* --want largest */
    bool want_default;          /* --want came from the key table */
    unsigned reps, max_reps;
    bool chatty;                /* a line per run on a terminal */
    struct scenario base;
    struct scenario scn;        /* scratch for the bounds' checks; 10 KiB */
    double lo, hi;
    bool lo_is_key_end, hi_is_key_end;  /* a bound is the key's own end */
    char bounds_note[200];      /* how the bounds were chosen */
    size_t n_scan;              /* values scanned */
    size_t n_runs;
    struct size_run runs[SIZE_MAX_RUNS];    /* sorted by x once done */
    /* The answer. */
    enum size_status status;
    size_t n_feasible;          /* intervals in all; the first
                                   SIZE_MAX_FEASIBLE are kept */
    struct sim_feasible_interval feasible[SIZE_MAX_FEASIBLE];
    double answer, neighbour;   /* NaN when there is none */
    struct size_run at, next;   /* the final runs there (more replications
                                   when the first ones were within the
                                   noise); next.x NaN when no neighbour */
    double interval[2];         /* answer interval; NaN when none */
    bool converged;
    struct size_change rise, fall;  /* monotone = !(rise.found && fall.found) */
    double change_level;        /* their intervals' level (Bonferroni) */
    bool maximizing;            /* --maximize */
    bool constrained;           /* --target-junk given */
    struct size_max max;
};

/* Simulates the field at xs[0..n) with `reps` replications each, in one
 * experiment (common random numbers), into out[0..n) (cmd_size.c). */
int size_simulate(struct size_ctx *c, const double *xs, size_t n, unsigned reps,
                  bool scanned, struct size_run *out, struct sim_err *err);

/* The run at x among c->runs, simulated with c->reps replications and
 * added when missing; NULL with err set on failure (*rc its code). */
const struct size_run *size_eval(struct size_ctx *c, double x, int *rc, struct sim_err *err);

/* Whether a run may be the answer: it holds --target-junk, or there is
 * none. */
bool size_admissible(const struct size_ctx *c, const struct size_run *r);

void size_run_free(struct size_run *r);

/* --maximize, after the scan (and, with --target-junk, the refinement of
 * its edges): the best value, the refinement around it, the reruns of its
 * rivals and the flat region (size_max.c). */
int size_max_search(struct size_ctx *c, struct sim_err *err);
void size_max_free(struct size_ctx *c);
cJSON *size_max_json(const struct size_ctx *c);
void size_max_csv(FILE *fp, const void *self);
void size_max_table(FILE *fp, const void *self);

cJSON *size_json(const struct size_ctx *c);
void size_csv(FILE *fp, const void *self);
void size_table(FILE *fp, const void *self);
const char *size_status_name(enum size_status s);

/* x for people, as the report writes it. */
void size_fmt_x(char *buf, size_t n, double x, bool integer);

/* Report helpers shared by size_report.c and size_max.c. */
void size_wrap(FILE *fp, const char *text);
void size_counted(const struct size_ctx *c, const char *v, double x, char *buf, size_t n);
cJSON *size_pair_json(double a, double b);
void size_widen_text(const struct size_ctx *c, char *buf, size_t n);
cJSON *size_run_json(const struct size_ctx *c, const struct size_run *r);
const char *size_role(const struct size_ctx *c, const struct size_run *r);

#endif
