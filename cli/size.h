/*
 * size.h - what `funnelsim size` found, shared by the search
 * (cmd_size.c) and its report (size_report.c).
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
#include "sim/stats.h"

/* One simulated value of the field: every replication, one experiment. */
struct size_run {
    double x;
    struct sim_ci junk;
    struct capacity_load load;
    unsigned reps;
    bool scanned;               /* a value of the scan, not of a refinement */
    double *per_rep;            /* the junk rate of each replication (NaN:
                                   not finished); owned */
};

/* Room for the scan (at most SIZE_MAX_STEPS values) and the refinements
 * of the pairs whose status changes (bisection or Brent, each a few dozen
 * runs at most). */
#define SIZE_MAX_STEPS 200
#define SIZE_MAX_RUNS 2048
#define SIZE_MAX_FEASIBLE 64

enum size_status { SIZE_OK, SIZE_UNDECIDED, SIZE_NOT_REACHABLE };

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
};

cJSON *size_json(const struct size_ctx *c);
void size_csv(FILE *fp, const void *self);
void size_table(FILE *fp, const void *self);
const char *size_status_name(enum size_status s);

/* x for people, as the report writes it. */
void size_fmt_x(char *buf, size_t n, double x, bool integer);

#endif
