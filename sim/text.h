/*
 * text.h - small text helpers for messages: "did you mean ...?".
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stddef.h>

/* Levenshtein distance between a and b (bytes), capped at 255.  O(|a| |b|)
 * time, no allocation: strings longer than 63 bytes count as far apart. */
unsigned sim_text_distance(const char *a, const char *b);

/* The candidate closest to `word` when it is close enough to be a likely
 * typo (distance at most 2, or a third of the word's length), else NULL.
 * `candidates` is NULL-terminated. */
const char *sim_text_closest(const char *word, const char *const *candidates);

#endif
