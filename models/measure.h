/*
 * measure.h - the seven measures of DESIGN.md as groups of scenario keys.
 *
 * `compare --measures BASE AFTER` explains the difference between two
 * scenarios as a waterfall: it applies the changes one measure at a time,
 * in the order of DESIGN.md, and runs the scenario after each step.  This
 * module says which measure a changed key belongs to:
 *
 *   1 ideal-customer profile      channels[*].fit_share, .theorist_share
 *   2 seven-indicator check       prequalification.enabled, indicators,
 *                                 min_true, p_true_fit, p_true_unfit
 *   3 theorists to nurture        prequalification.theorist_detection,
 *                                 nurture_return_share, nurture_return_days
 *   4 volume matched to capacity  handoff.*, channels[*].arrivals.*,
 *                                 team[*].new_lead_share
 *   5 first-contact training      team[*].skill, contact.max_attempts,
 *                                 contact.retry_gap_hours, contact.misjudge_base
 *   6 transparent distribution    routing, queue_discipline, team[*].favourite
 *   7 management control          control.*
 *
 * Any other changed key is not one of the seven levers; the waterfall
 * applies such changes last, as "other changes", and says so.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_MEASURE_H
#define MODELS_MEASURE_H

#include <stddef.h>

#define MEASURE_COUNT 7
#define MEASURE_OTHER 0

/* The measure (1..7) that the scenario path belongs to, or MEASURE_OTHER.
 * Array indices in the path do not matter: "team[3].skill" is measure 5. */
unsigned measure_of_path(const char *path);

/* "ideal-customer profile" for 1, ..., "other changes" for MEASURE_OTHER. */
const char *measure_name(unsigned measure);

/* A step of the waterfall as the table, the chart and the report show it:
 * "5. first-contact training" for measures 1..7, the name alone for any
 * other step ("baseline", "other changes"). */
void measure_step_label(char *buf, size_t n, unsigned measure, const char *name);

#endif
