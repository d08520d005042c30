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

/* ---- UTF-8 ------------------------------------------------------------------ */

long sim_text_utf8_next(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    *len = 1;
    if (n == 0)
        return -1;
    if (u[0] < 0x80)
        return u[0];
    size_t k;
    long cp, min;
    if (u[0] >= 0xc2 && u[0] <= 0xdf) {
        k = 2, cp = u[0] & 0x1f, min = 0x80;
    } else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        k = 3, cp = u[0] & 0x0f, min = 0x800;
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        k = 4, cp = u[0] & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (n < k)
        return -1;
    for (size_t i = 1; i < k; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (u[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *len = k;
    return cp;
}

bool sim_text_is_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

const char *sim_text_invalid(const char *s, size_t *at, long *cp)
{
    size_t n = strlen(s);
    for (size_t i = 0, len; i < n; i += len) {
        long c = sim_text_utf8_next(s + i, n - i, &len);
        if (c < 0 || sim_text_is_control(c)) {
            *at = i;
            *cp = c;
            return c < 0 ? "is not valid UTF-8" : "holds a control character";
        }
    }
    return NULL;
}

void sim_text_printable(char *dst, size_t size, const char *s)
{
    static const char replacement[] = "\xef\xbf\xbd";     /* U+FFFD */
    size_t n = strlen(s), out = 0;
    for (size_t i = 0, len; i < n; i += len) {
        long c = sim_text_utf8_next(s + i, n - i, &len);
        const char *piece = c < 0 ? replacement : sim_text_is_control(c) ? "?" : s + i;
        size_t k = c < 0 ? 3 : sim_text_is_control(c) ? 1 : len;
        if (out + k >= size)
            break;
        memcpy(dst + out, piece, k);
        out += k;
    }
    dst[out] = '\0';
}
