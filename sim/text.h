/*
 * text.h - small text helpers: "did you mean ...?"; whether a string is
 * acceptable text (valid UTF-8 without control characters); a string made
 * safe to print.
 *
 * Invariants: sim_text_printable() always writes valid UTF-8 without
 * control characters, whatever its input, so its output can go to a
 * terminal or into JSON.  Nothing here allocates.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stdbool.h>
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

/* The code point of the UTF-8 sequence at s (n bytes available) and its
 * length in *len; -1 when the bytes there are not valid UTF-8 (an invalid
 * or truncated sequence, an overlong form, a UTF-16 surrogate, or above
 * U+10FFFF), with *len = 1. */
long sim_text_utf8_next(const char *s, size_t n, size_t *len);

/* Control characters: C0 (U+0000 to U+001F), DEL and C1 (U+0080 to
 * U+009F). */
bool sim_text_is_control(long cp);

/* NULL when `s` is valid UTF-8 without control characters; otherwise what
 * is wrong, in words ("is not valid UTF-8", "holds a control character"),
 * with the byte offset in *at and the code point (-1 for invalid UTF-8) in
 * *cp. */
const char *sim_text_invalid(const char *s, size_t *at, long *cp);

/* `s` copied into dst (size > 4): invalid UTF-8 bytes become U+FFFD and
 * control characters '?'; cut at a character boundary to fit. */
void sim_text_printable(char *dst, size_t size, const char *s);

#endif
