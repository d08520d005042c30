/*
 * draft.h - a draft scenario from a lead history: what the history
 * measures, written as scenario keys, every number's origin in `notes`.
 *
 * Concept: the facts (facts.h) give what a CRM records; the draft puts
 * them where the scenario format (docs/scenario.md) holds them, so that
 * `funnelsim run` can replay the company as it was and `fit` can start
 * from it.  What a history cannot show (decay, misjudgement, reach) is
 * left at a sourced start or the format's defaults, for `fit` to
 * estimate; what sets capacity but is not recorded (call length, the
 * share of time on new leads) is a default (sourced where a figure
 * exists) that the notes ask the director to replace.
 *
 *   - start_date: the history's day 0 (when dated); horizon_days: its
 *     span; warmup_days: 0 (the history's own leads start at day 0).
 *   - channels: one per channel with leads.  A dated history's draft
 *     (draft_write) replays the real creation times: a `trace` channel
 *     reading DIR/arrivals-K.csv (K the channel's place, column
 *     created_at), so campaigns and quiet weeks load the team as they did;
 *     the Poisson alternative below goes to notes.  Otherwise Poisson
 *     arrivals at the measured rate (leads / weeks of history) with the measured profile:
 *     weekday weights = leads on that weekday / days of that weekday in
 *     the span, hour weights = leads in that hour (every hour occurs on
 *     every day); theorist_share = theorist / reached leads and fit_share
 *     = 1 - bad_fit / (reached - theorist) (the model judges intent first,
 *     then fit, each drawn independently: docs/model.md), from the
 *     channel's own reached leads, or from all when it has none; the deal
 *     value from the won leads' values (lognormal with their mean and
 *     coefficient of variation) when given.
 *   - calendar: business hours from when first contacts began (the hours
 *     and weekdays holding at least 1% of them), when at least 100 are
 *     dated and they do not fill every hour of every day; else 24x7.
 *   - decay: exponential, half-life 720 h (the reference scenario's), so
 *     fit's default keys include it; contact.duration: the reference
 *     lognormal (0.35 h, cv 0.6: a CRM records no call lengths);
 *     contact.max_attempts: the most attempts of a lead lost as
 *     unreachable (else of any lead) when the history gives attempts;
 *     sales.win_rate: won / (won + qualified), the realised share (a lower
 *     bound of the key, which is for skill 1 and full interest).
 *   - team: one group per owners' group (`sales` for owners without one):
 *     its count on day 0, and at most one `hires` and one `leaves` entry
 *     when the group's owners all joined in one week and all left in
 *     another (the format holds one of each); otherwise its count at the
 *     history's end, the changes listed in notes.  Without owners the
 *     team is one placeholder manager, said in notes.
 *
 * Invariants: the document contains only keys the key table knows, and
 * draft_write() checks it (scn_doc_parse + scn_doc_compile) before
 * writing: a draft that would not validate is an error, never a file
 * (the arrivals files are written first, since the check reads them).
 *
 * Ownership: draft_scenario() returns a cJSON tree the caller frees with
 * cJSON_Delete().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_DRAFT_H
#define MODELS_DRAFT_H

#include <cJSON.h>

#include "models/facts.h"
#include "models/history.h"
#include "sim/err.h"

/* The draft scenario of h, whose facts are f, called `name` (cut to the
 * format's 63 characters), its channels Poisson with the measured rate
 * and profile. */
cJSON *draft_scenario(const struct history *h, const struct facts *f, const char *name);

/* The same, but when h is dated channel k (k-th with leads) replays
 * arrivals-K.csv of the draft's directory (draft_write() writes them);
 * the Poisson rate and profile go to notes.  Undated: draft_scenario(). */
cJSON *draft_scenario_traced(const struct history *h, const struct facts *f,
                             const char *name);

/* Builds the draft, checks it compiles and writes DIR/scenario.json
 * (whole or not at all).  SIM_OK; SIM_ERR_INPUT when the draft does not
 * validate (the message says why); SIM_ERR_RUNTIME on I/O. */
int draft_write(const struct history *h, const struct facts *f, const char *name,
                const char *dir, struct sim_err *err);

#endif
