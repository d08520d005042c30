/*
 * facts.h - what a lead history says by itself, before any model: the
 * facts `funnelsim facts DIR` writes to facts.json and charts in
 * report.html, and the numbers the draft scenario (draft.h) is made of.
 *
 * Concept: everything here is a count or a plain estimate over the
 * history's leads (models/history.h); nothing is simulated.  Weeks are
 * the history's weeks from its day 0 (week w covers hours [168 w,
 * 168 (w + 1))); a lead belongs to the week it was created in (its
 * cohort), as the model's weekly junk rate counts the leads handed that
 * week (a history has no handoff time, so creation stands for it).
 *
 *   - junk: a `lost` lead, whatever its stated reason.  The junk rate is
 *     lost / (lost + won + qualified): the share of the leads sales
 *     resolved that were rejected, the model's junk / resolved
 *     (docs/model.md, "Measurement").  Open and disqualified leads are in
 *     neither part.
 *   - handed: every lead but the disqualified ones (dropped before sales).
 *   - working managers of a week: the owners employed in it: from
 *     MANAGERS.csv's start and end dates when given (an open end: the
 *     history's), otherwise from the week of the owner's first action on
 *     a lead to that of the last, FACTS_OWNER_GRACE_WEEKS at either end
 *     of the history counting as the whole history.
 *   - time to first contact: Kaplan-Meier over the leads sales could
 *     reach (see facts_km below for who is censored and who is left out).
 *   - the article's claim: the weekly junk rate against the weekly load
 *     (handed leads per working manager), complete weeks with at least
 *     FACTS_MIN_RESOLVED resolved leads and one working manager, fitted by
 *     ordinary least squares (GSL's gsl_fit_linear), with the slope's 95%
 *     interval from Student's t with n - 2 degrees of freedom.
 *
 * Invariants: the per-status counts add up to n; every lead is in exactly
 * one week and one cell of the weekday x hour table; the weekly counts of
 * each channel add up to the channel's total.  A number that cannot be
 * computed is NAN (written as null in facts.json).
 *
 * Ownership: facts_compute() fills a caller's struct facts and gives it
 * its arrays; facts_free() takes them back.  The history is only read
 * and need not outlive the facts.  Cost: O(n log n) time (the sort of the
 * contact times), O(n + weeks x (channels + reasons)) memory.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_FACTS_H
#define MODELS_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "models/history.h"

#define FACTS_HOURS_PER_WEEK 168.0

/* The fewest resolved leads for a week to be a point of the junk-vs-load
 * line: a week with two resolved leads has a junk rate of 0, 50 or 100%,
 * which says more about chance than about load. */
#define FACTS_MIN_RESOLVED 5

/* Weeks of silence at either end of the history that do not make an
 * owner known only from leads a hire or a leaver (facts.c, owners()). */
#define FACTS_OWNER_GRACE_WEEKS 1

/* The quantiles of the time to first contact reported. */
#define FACTS_KM_QUANTILES 3
extern const double facts_km_probs[FACTS_KM_QUANTILES];   /* 0.5, 0.8, 0.9 */

/* Kaplan-Meier estimate of the time from creation to first contact.
 *   - event: the lead's first attempt began (first_contact_h), at
 *     first_contact_h - created_h;
 *   - censored: a lead never contacted that is still open, at the horizon
 *     (it may yet be called), and one never contacted that was closed
 *     (lost: it stopped waiting or was given up; won or qualified without
 *     a contact time: the CRM lacks it), at its closing, or at the horizon
 *     when that is not given: after that it could not be called;
 *   - not at risk: disqualified leads, dropped before sales could call.
 * S(t) is the share still not contacted t hours after creation; the
 * curve is a step function, steps at the distinct event times.  A
 * quantile q is the least event time with S <= 1 - q (with no censoring:
 * the empirical quantile, the ceil(q n)-th smallest time); NAN when the
 * curve never falls that low. */
struct facts_km {
    size_t at_risk;             /* leads in the estimate */
    size_t events, censored;
    size_t n_steps;
    double *t;                  /* event times, hours, increasing */
    double *s;                  /* S just after t[i] */
    double quantile[FACTS_KM_QUANTILES];    /* hours */
    double s_end;               /* S after the last event: not contacted by then */
};

/* The line junk = intercept + slope x load over the weeks used. */
struct facts_line {
    size_t n;                   /* weeks used */
    double intercept, slope;
    double slope_lo, slope_hi;  /* 95% interval; NAN with fewer than 3 weeks */
    double r2;
};

struct facts_owner {
    long first_week, last_week; /* -1: never active */
    bool hired;                 /* first week after week 0 */
    bool left;                  /* last week before the history's last */
};

struct facts {
    size_t n;                               /* leads */
    size_t status[HISTORY_STATUSES];        /* leads by status */
    size_t reason[HISTORY_REASONS];         /* lost leads by stated reason
                                               (HISTORY_REASON_NONE: the others) */
    double weeks;                           /* horizon in weeks */
    size_t n_weeks;                         /* ceil: the last may be partial */
    size_t n_complete;                      /* whole weeks */

    /* Channels: the history's, then one for leads without a channel when
     * there are any (`unnamed`). */
    size_t n_channels;
    bool unnamed;
    size_t *channel_leads;                  /* [c] */
    size_t *leads_week;                     /* [w * n_channels + c] */

    size_t arrivals[7][24];                 /* weekday (0 Monday) x hour */
    unsigned day0_weekday;                  /* 0 Monday */

    /* Per week: leads handed, resolved (won + qualified + lost), lost,
     * lost by reason [w * HISTORY_REASONS + r], working managers, the junk
     * rate (NAN without resolved leads) and the load (NAN without a
     * manager). */
    size_t *handed_week, *resolved_week, *lost_week, *reason_week, *managers_week;
    double *junk_week, *load_week;
    bool *line_week;                        /* the week is a point of the line */

    double junk_rate;                       /* over the whole history */
    double handed_per_manager_week;         /* handed / sum of working managers */
    size_t manager_weeks;

    /* Reached leads: contacted and resolved, not unreachable or
     * abandoned: those a manager judged. */
    size_t reached;

    size_t never_contacted;                 /* leads without a first contact */
    struct facts_km km;
    struct facts_line line;

    size_t n_owners;
    struct facts_owner *owner;
};

/* The facts of h.  Allocation failure aborts (sim/mem.h); nothing else
 * can fail. */
void facts_compute(const struct history *h, struct facts *f);
void facts_free(struct facts *f);

/* The name of channel c of f ("unnamed" for the extra one). */
const char *facts_channel_name(const struct history *h, const struct facts *f, size_t c);

/* The Kaplan-Meier estimate from n durations with event[i] true for an
 * observed event, false for a censored one (the tie rule: events before
 * censorings at the same time).  Fills km (its arrays owned by it). */
void facts_km_estimate(const double *time, const bool *event, size_t n, struct facts_km *km);
void facts_km_free(struct facts_km *km);

/* Ordinary least squares of y on x over the n points, with the slope's
 * 95% interval. */
void facts_fit_line(const double *x, const double *y, size_t n, struct facts_line *line);

/* facts.json's document: the counts (leads, per status; parsed, skipped
 * and rows from `import_json`, DIR/import.json, when not NULL), the
 * definitions' results above, by week and channel.  The caller frees it
 * with cJSON_Delete(). */
cJSON *facts_json(const struct history *h, const struct facts *f, const cJSON *import_json);

#endif
