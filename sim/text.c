/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <limits.h>
#include <string.h>

#define MAX_LEN 63

/* Levenshtein distance between a and b (bytes), capped at 255.  O(|a| |b|)
 * time, no allocation: strings longer than 63 bytes count as far apart. */
static unsigned distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_LEN || m > MAX_LEN)
        return 255;
    unsigned row[MAX_LEN + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m] < 255 ? row[m] : 255;
}

const char *sim_text_closest_in(const char *word, sim_text_list_fn names,
                                const void *arg)
{
    size_t len = strlen(word);
    unsigned best_d = UINT_MAX;
    unsigned limit = len / 3 > 2 ? (unsigned)(len / 3) : 2;
    const char *best = NULL;
    for (size_t i = 0; names(arg, i) != NULL; i++) {
        const char *cand = names(arg, i);
        size_t lc = strlen(cand);
        if ((len > lc ? len - lc : lc - len) > limit)
            continue;           /* the distance is at least the length gap */
        unsigned d = distance(word, cand);
        if (d <= limit && d < len && d < best_d) {
            best = cand;
            best_d = d;
        }
    }
    if (best == NULL && len >= 3)
        for (size_t i = 0; names(arg, i) != NULL && best == NULL; i++)
            if (strncmp(names(arg, i), word, len) == 0)
                best = names(arg, i);
    return best;
}

static const char *array_item(const void *arg, size_t i)
{
    return ((const char *const *)arg)[i];
}

const char *sim_text_closest(const char *word, const char *const *candidates)
{
    return sim_text_closest_in(word, array_item, candidates);
}
