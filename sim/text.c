/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <string.h>

#define MAX_LEN 63

unsigned sim_text_distance(const char *a, const char *b)
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

const char *sim_text_closest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    unsigned best_d = 255;
    for (const char *const *c = candidates; *c != NULL; c++) {
        unsigned d = sim_text_distance(word, *c);
        if (d < best_d) {
            best = *c;
            best_d = d;
        }
    }
    unsigned limit = (unsigned)strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    return best_d <= limit ? best : NULL;
}
