/* SPDX-License-Identifier: MIT */
#include "models/scenario.h"

#include <assert.h>

unsigned scn_managers(const struct scenario *scn)
{
    unsigned total = 0;
    for (unsigned g = 0; g < scn->n_groups; g++)
        total += scn_group_heads(&scn->team[g]);
    return total;
}

const char *scn_routing_name(enum scn_routing r)
{
    static const char *const names[SCN_ROUTINGS] = {
        [SCN_ROUTING_POOL] = "pool",
        [SCN_ROUTING_ROUND_ROBIN] = "round_robin",
        [SCN_ROUTING_LEAST_LOADED] = "least_loaded",
        [SCN_ROUTING_SKILL_BASED] = "skill_based",
        [SCN_ROUTING_FAVOURITES] = "favourites",
    };
    return (unsigned)r < SCN_ROUTINGS ? names[r] : NULL;
}
