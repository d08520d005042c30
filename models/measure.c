/* SPDX-License-Identifier: MIT */
#include "measure.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "models/keytab.h"

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

unsigned measure_of_path(const char *path)
{
    return sim_schema_measure(keytab_root(), path);
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
