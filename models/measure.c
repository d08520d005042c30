/* SPDX-License-Identifier: MIT */
#include "measure.h"

#include <assert.h>

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
