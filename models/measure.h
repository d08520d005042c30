/*
 * measure.h - the seven measures: the remedies a company applies, in order.
 *
 * `compare --measures BASE AFTER` explains the difference between two
 * scenarios as a waterfall: it applies the changes one measure at a time,
 * in this order, and runs the scenario after each step:
 *
 *   1 ideal-customer profile      who marketing buys leads from
 *   2 seven-indicator check       leads checked before handoff
 *   3 theorists to nurture        those who came to learn kept in marketing
 *   4 volume matched to capacity  inflow, the handoff cap, time for new leads
 *   5 first-contact training      skill, attempts, judgement
 *   6 transparent distribution    routing and queue order
 *   7 management control          audits of rejections
 *
 * Which keys belong to which measure is written once, in the key table
 * (models/keytab.c, the `measure` of each key; `funnelsim keys` lists
 * them).  Any other changed key is not one of the seven levers; the
 * waterfall applies such changes last, as "other changes", and says so.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_MEASURE_H
#define MODELS_MEASURE_H

#include <stddef.h>

#include "models/keytab.h"

#define MEASURE_COUNT KEYTAB_MEASURES
#define MEASURE_OTHER KEYTAB_NO_MEASURE

/* The measure (1..7) that the scenario path belongs to, or MEASURE_OTHER.
 * Array indices in the path do not matter: "team[3].skill" is measure 5;
 * an object belongs to a measure when all its keys do ("handoff": 4). */
unsigned measure_of_path(const char *path);

/* "ideal-customer profile" for 1, ..., "other changes" for MEASURE_OTHER. */
const char *measure_name(unsigned measure);

/* A step of the waterfall as the table, the chart and the report show it:
 * "5. first-contact training" for measures 1..7, the name alone for any
 * other step ("baseline", "other changes"). */
void measure_step_label(char *buf, size_t n, unsigned measure, const char *name);

#endif
