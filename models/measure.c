/* SPDX-License-Identifier: MIT */
#include "measure.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct lever {
    const char *pattern;        /* "[*]" matches any index; a final ".*" any rest */
    unsigned measure;
};

static const struct lever levers[] = {
    {"channels[*].fit_share", 1},
    {"channels[*].theorist_share", 1},
    {"prequalification.enabled", 2},
    {"prequalification.indicators", 2},
    {"prequalification.min_true", 2},
    {"prequalification.p_true_fit", 2},
    {"prequalification.p_true_unfit", 2},
    {"prequalification.theorist_detection", 3},
    {"prequalification.nurture_return_share", 3},
    {"prequalification.nurture_return_days", 3},
    {"handoff.*", 4},
    {"channels[*].arrivals.*", 4},
    {"team[*].new_lead_share", 4},
    {"team[*].skill", 5},
    {"contact.max_attempts", 5},
    {"contact.retry_gap_hours", 5},
    {"contact.misjudge_base", 5},
    {"routing", 6},
    {"queue_discipline", 6},
    {"team[*].favourite", 6},
    {"control.*", 7},
};

static const char *const names[MEASURE_COUNT + 1] = {
    "other changes",
    "ideal-customer profile",
    "seven-indicator check",
    "theorists to nurture",
    "volume matched to capacity",
    "first-contact training",
    "transparent distribution",
    "management control",
};

/* Whether `path` matches `pattern`: "[*]" stands for "[digits]", and a
 * pattern ending in ".*" matches the key itself and anything below it. */
static bool matches(const char *pattern, const char *path)
{
    while (*pattern != '\0') {
        if (strncmp(pattern, "[*]", 3) == 0) {
            if (*path++ != '[')
                return false;
            size_t digits = strspn(path, "0123456789");
            if (digits == 0 || path[digits] != ']')
                return false;
            path += digits + 1;
            pattern += 3;
        } else if (strcmp(pattern, ".*") == 0) {
            return *path == '\0' || *path == '.' || *path == '[';
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *path == '\0';
}

unsigned measure_of_path(const char *path)
{
    for (size_t i = 0; i < sizeof levers / sizeof levers[0]; i++)
        if (matches(levers[i].pattern, path))
            return levers[i].measure;
    return MEASURE_OTHER;
}

const char *measure_name(unsigned measure)
{
    assert(measure <= MEASURE_COUNT);
    return names[measure];
}

void measure_step_label(char *buf, size_t n, unsigned measure, const char *name)
{
    if (measure >= 1 && measure <= MEASURE_COUNT)
        snprintf(buf, n, "%u. %s", measure, name);
    else
        snprintf(buf, n, "%s", name);
}
