/*
 * text.h - small text helpers for messages: "did you mean ...?".
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stddef.h>

/* The i-th name of a list described by arg; NULL past the end. */
typedef const char *(*sim_text_list_fn)(const void *arg, size_t i);

/* The candidate closest to `word` when it is a likely typo: within 2 edits,
 * or a third of the word's length, but never a complete rewrite; failing
 * that, a candidate that `word` begins ("horizon" -> "horizon_days").
 * NULL when none is close. */
const char *sim_text_closest_in(const char *word, sim_text_list_fn names,
                                const void *arg);

/* The same over a NULL-terminated array. */
const char *sim_text_closest(const char *word, const char *const *candidates);

#endif
