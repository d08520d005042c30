/*
 * leadlog.h - the lead log: one CSV row per lead and replication
 * (`run --leads FILE.csv`).
 *
 * Concept: every lifecycle event of a lead already passes through a
 * tally_* call (tally.h); when a log is attached to the tally
 * (tally.log), those calls also fill a side record of the lead, kept in
 * an array parallel to the lead pool and indexed by the same pool index.
 * The record is written out when the lead leaves the system (resolved,
 * filtered, gone from theorist nurture, held back and lost) or, for the
 * leads still in the system, at the horizon (outcome `unresolved`, also
 * for a lead still in marketing: the handoff delay, either nurture).
 *
 * Lead numbers: `lead` is a per-replication sequence number given at
 * creation (0, 1, ...), not the pool index, which is recycled.  Rows are
 * ordered by replication, then lead.  Leads leave out of order, so a
 * finished record waits in a ring of LEADLOG_RING records (at lead % ring)
 * until every lead before it is written; then the rows due are formatted
 * at once into a text buffer written in blocks of 256 KiB: on one thread
 * (sink.direct: the replications run in order) straight into the log,
 * else into the replication's own CSV file.  Most leads leave within a few
 * hundred newer ones, so the ring holds them all.  When a lead stays open
 * while LEADLOG_RING newer leads are created (a flood, a long nurture) the
 * replication spills: from that lead on, fixed-size binary records go to a
 * temporary file at offset (lead - first spilled) x record size, through a
 * window of LEADLOG_WINDOW records in memory (most leads leave soon after
 * they come) written in one piece when a newer lead leaves, a record
 * older than the window written in place (pwrite); at the end of the
 * replication the file, read front to back, gives the rest of the rows in
 * order, with no sort.  The command (leadlog_sink_commit) joins the
 * finished replications' files in replication order under a header,
 * through a temporary and rename(2), so the log is identical whatever
 * --jobs and never half written; a direct replication that fails or is
 * interrupted cuts its rows off the log again (ftruncate).
 *
 * Memory: the side array (72 bytes per lead in the pool: it
 * grows with the leads in the system, never with the leads simulated), the
 * ring (LEADLOG_RING x 72 bytes, 1.1 MiB) and the text buffer per running
 * replication, plus after a spill the window.  Disk: the rows; after a
 * spill also 72 bytes per lead from the spill on, while the replication
 * runs.
 *
 * Cost when not logging: the tally tests one pointer per call.
 *
 * In memory (leadlog_sink_memory, what `fit` simulates): no text, no file;
 * each final record becomes its lead's struct history_lead at once, the
 * history history_read_leadlog() would read from the CSV.  Memory: the
 * side array and the history (40 bytes a lead), no ring, no spill.
 *
 * Columns (docs/model.md, "The lead log"): replication, lead, channel,
 * created_h, handed_h, first_contact_h (start of the first attempt),
 * resolved_h (when the lead left: resolved, filtered, gone from nurture,
 * lost), group, manager (of the last attempt), attempts, outcome, deal,
 * value, waited_h (the hours in the backlog, the wait that result's
 * wait_mean averages), then what a CRM would show (what `import` and `fit`
 * read back): status (won, qualified, lost, disqualified: dropped before
 * any sales contact, i.e. filtered, nurtured or held back; open) and
 * stated_reason (the junk reason, but misjudged is written went_cold: no
 * CRM records a misjudgement; empty when not lost); then, only when the
 * scenario has start_date, created_at, handed_at, first_contact_at,
 * resolved_at: the same times as local date-times YYYY-MM-DDTHH:MM:SS,
 * to the nearest second.  Times are hours since day 0; a field is empty
 * where it did not happen.  deal is 1 or 0 for a qualified measured lead
 * (the win is drawn only for those) and empty otherwise.
 *
 * Ownership: a struct leadlog belongs to one replication (funnel.c opens
 * and closes it); the sink belongs to the command and outlives the
 * replications.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_LEADLOG_H
#define MODELS_LEADLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "models/history.h"
#include "models/lead.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/team.h"
#include "sim/engine.h"
#include "sim/err.h"
#include "sim/file.h"

/* Leads a replication may have created past the oldest one not yet
 * written before its records spill to disk (see above). */
#define LEADLOG_RING 16384u
/* After a spill: records kept in memory past the oldest unwritten one. */
#define LEADLOG_WINDOW 8192u

/* Outcomes: the junk reasons (enum junk_reason) first, then these. */
enum leadlog_outcome {
    LEADLOG_QUALIFIED = JUNK_REASONS,
    LEADLOG_HELD_BACK,          /* held back and lost at sales' door */
    LEADLOG_FILTERED,           /* by pre-qualification */
    LEADLOG_NURTURED,           /* a detected theorist that did not return */
    LEADLOG_UNRESOLVED,         /* still in the system at the horizon */
    LEADLOG_OUTCOMES
};

/* The outcome's name in the log ("qualified", "bad_fit", ...). */
const char *leadlog_outcome_name(unsigned outcome);
/* The `status` column: "won" (outcome qualified with deal 1), "qualified",
 * "lost" (a junk reason), "disqualified" (held back, filtered, nurtured),
 * "open" (unresolved).  deal: 0, 1, or anything else for not drawn. */
const char *leadlog_status_name(unsigned outcome, int deal);
/* The `stated_reason` column: the junk reason's name, misjudged written as
 * "went_cold"; "" for an outcome that is not junk. */
const char *leadlog_stated_reason(unsigned outcome);

/* Where a run's replications write: the command's side. */
struct leadlog_sink {
    const struct scenario *scn;
    unsigned reps;
    struct sim_file out;        /* the log, through a temporary */
    char dir[PATH_MAX];         /* the replications' files until the join */
    bool direct;                /* the replications run one at a time, in
                                   order (one thread): each appends its rows
                                   to `out` at once, with no file of its own
                                   and no join; the bytes are the same */
    struct history *hist;       /* in memory (leadlog_sink_memory): the
                                   replications' histories; NULL: the CSV */
};

/* Prepares the log at `path` for the replications of scn.  A path that
 * cannot be written (no such directory, a directory) is an input error
 * naming the file (exit 2). */
int leadlog_sink_open(struct leadlog_sink *s, const char *path, const struct scenario *scn,
                      struct sim_err *err);

/* Joins the replications r with done[r] under the header and renames the
 * log into place; removes the replications' files in any case. */
int leadlog_sink_commit(struct leadlog_sink *s, const bool *done, struct sim_err *err);

/* Removes everything (after a failure). */
void leadlog_sink_discard(struct leadlog_sink *s);

/* The log kept in memory as histories (what `fit` simulates): replication
 * r's leadlog_close, with rc SIM_OK, fills hist[r] (scn->replications of
 * them, caller's, owned by the caller afterwards) with the history that
 * history_read_leadlog(log, r) reads from the CSV the same replication
 * writes: the same leads in the same order with the same status, stated
 * reason, channel and owner names and indices (by first appearance; an
 * owner is its manager's number, its group the manager's), attempts,
 * value, horizon_h and origin.  Times are the clock's, not rounded to the
 * CSV's 1e-9 h; ids are not kept (NULL: the leads are numbered 0, 1, ...
 * as the log's `lead` column numbers them).  No text, no file, no ring
 * and no spill: a record goes straight to its lead's place; 40 bytes a
 * lead, the history itself.  Each replication writes only its own
 * hist[r], so any number of threads may share the sink.  Commit and
 * discard do nothing on it. */
void leadlog_sink_memory(struct leadlog_sink *s, const struct scenario *scn,
                         struct history *hist);

/* ---- one replication ------------------------------------------------------ */

struct leadlog;

/* The log of replication `rep`, reading the clock from sim, leads from
 * pool and managers from team.  Never NULL; a file error is kept and
 * returned by leadlog_close(). */
struct leadlog *leadlog_open(const struct leadlog_sink *s, unsigned rep, const struct sim *sim,
                             const struct lead_pool *pool, const struct team *team);

/* The hooks (tally.c calls them when a log is attached). */
void leadlog_created(struct leadlog *g, const struct lead *l);
void leadlog_handed(struct leadlog *g, const struct lead *l);
void leadlog_first_contact(struct leadlog *g, const struct lead *l);
void leadlog_attempt(struct leadlog *g, const struct lead *l);
/* The win was drawn: `won` with `value`. */
void leadlog_deal(struct leadlog *g, const struct lead *l, bool won, double value);
/* Lead l leaves the system now with `outcome` (enum leadlog_outcome). */
void leadlog_left(struct leadlog *g, const struct lead *l, unsigned outcome);

/* Ends the replication: with rc SIM_OK writes the leads still in the
 * system as unresolved and formats the replication's rows (a file error
 * becomes SIM_ERR_RUNTIME in err); otherwise only cleans up.  Frees g
 * (NULL: nothing) and returns the resulting rc. */
int leadlog_close(struct leadlog *g, int rc, struct sim_err *err);

#endif
