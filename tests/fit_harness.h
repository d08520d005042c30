/*
 * fit_harness.h - the company the fit tests fit, as a user would hand it
 * to `funnelsim fit`.
 *
 * tests/fit/company.json is a company whose unobservables are known.  The
 * fit suites (fit, fit_recovery) all start the same way: run it with the
 * lead log on, import that log as a CRM history (DIR/crm, with import's
 * facts and draft), and replace the draft by the company with its
 * unobservables started elsewhere.  This module is that path; the suites
 * keep only what they assert.
 *
 * Ownership: every char * returned is the caller's (free); the directory
 * fit_harness_make_crm() makes is removed, and its name freed, by
 * fit_harness_remove_crm().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_FIT_HARNESS_H
#define TESTS_FIT_HARNESS_H

/* The company's own value at the dotted JSON path (e.g.
 * "contact.p_reach"): the truth a fit should recover. */
double fit_harness_truth(const char *path);

/* The company as a draft (JSON text): contact.p_reach and
 * contact.misjudge_base set to the given start values, `decay` (JSON) as
 * its interest decay, and seed 4242, so that its simulations are apart
 * from the data's. */
char *fit_harness_draft(double p_reach, double misjudge, const char *decay);

/* DIR/crm of a new temporary DIR, as import leaves it: replication 0 of
 * the company run with the option `opt` `value` (NULL: none, e.g.
 * "--seed" "11" or "--set" "horizon_days=28"), imported from its lead
 * log, and scenario.json the JSON text `draft`. */
char *fit_harness_make_crm(const char *opt, const char *value, const char *draft);

/* Removes what fit_harness_make_crm() made (crm's parent) and frees crm. */
void fit_harness_remove_crm(char *crm);

#endif
