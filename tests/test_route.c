/*
 * test_route.c - the routing policies (models/team.c), measure 6.
 *
 * Each test builds a real struct team from a compiled scenario (team_init),
 * gives the managers loads (own backlog, and a lead in hand or not), and
 * calls route_pick for hot, warm and cold leads; the property of the
 * policy is checked against the loads and groups the test set, over many
 * random load patterns drawn from a fixed seed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/lead.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/team.h"

#define TRIALS 2000

/* Three groups: favourite seniors, a middle group, novices; skills fall. */
static const char team_json[] =
    "{\"name\": \"route\","
    " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 100}}],"
    " \"team\": ["
    "   {\"name\": \"seniors\", \"count\": 2, \"skill\": 0.9, \"favourite\": true},"
    "   {\"name\": \"middle\", \"count\": 3, \"skill\": 0.6},"
    "   {\"name\": \"novices\", \"count\": 4, \"skill\": 0.3}],"
    " \"routing\": \"%s\"}";

static void compile_text(const char *text, struct scenario *out)
{
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(text, "route.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    cr_assert_eq(scn_doc_compile(doc, out, &err), SIM_OK, "%s", err.msg);
    scn_doc_free(doc);
}

static void compile_team(const char *routing, struct scenario *out)
{
    char text[1024];
    snprintf(text, sizeof text, team_json, routing);
    compile_text(text, out);
}

/* Three leads, one per temperature, in a pool of their own. */
struct leads {
    struct lead_pool pool;
    uint32_t id[SCN_TEMPS];
};

static void leads_init(struct leads *ls)
{
    lead_pool_init(&ls->pool, 100);
    for (unsigned t = 0; t < SCN_TEMPS; t++) {
        ls->id[t] = lead_alloc(&ls->pool);
        cr_assert_neq(ls->id[t], LEAD_NONE);
        lead_get(&ls->pool, ls->id[t])->temp = (uint8_t)t;
    }
}

static const struct lead *lead_of(const struct leads *ls, unsigned temp)
{
    return lead_get(&ls->pool, ls->id[temp]);
}

/* Random loads: own backlog 0..4 and a lead in hand or not, so that ties
 * and different loads both occur. */
static void random_loads(struct team *t, gsl_rng *r)
{
    for (unsigned m = 0; m < t->n; m++) {
        t->mgr[m].open = (uint32_t)gsl_rng_uniform_int(r, 5);
        t->mgr[m].current = gsl_rng_uniform(r) < 0.5 ? 0 : LEAD_NONE;
    }
}

typedef bool (*eligible_fn)(const struct team *t, unsigned m, unsigned temp);

/* The least load among the managers `ok` accepts (UINT32_MAX if none). */
static uint32_t min_load(const struct team *t, eligible_fn ok, unsigned temp)
{
    uint32_t best = UINT32_MAX;
    for (unsigned m = 0; m < t->n; m++)
        if (ok(t, m, temp) && team_load(t, m) < best)
            best = team_load(t, m);
    return best;
}

static bool anyone(const struct team *t, unsigned m, unsigned temp)
{
    (void)t, (void)m, (void)temp;
    return true;
}

static bool favourite_for(const struct team *t, unsigned m, unsigned temp)
{
    return team_group_of(t, m)->favourite == (temp == SCN_HOT);
}

static bool top_skill_for(const struct team *t, unsigned m, unsigned temp)
{
    return temp != SCN_HOT || team_group_of(t, m)->skill >= t->top_skill;
}

static const char *const temp_names[] = {"hot", "warm", "cold"};

/* Checks, over TRIALS random load patterns and every temperature, that the
 * pick is a manager `ok` accepts and has the least load among them. */
static void check_least_loaded_among(const char *routing, eligible_fn ok)
{
    struct scenario scn;
    compile_team(routing, &scn);
    struct team t;
    team_init(&t, &scn);
    cr_assert(t.per_manager, "%s gives each manager a queue", routing);
    struct leads ls;
    leads_init(&ls);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    unsigned wrong_group = 0, not_least = 0;
    for (unsigned k = 0; k < TRIALS; k++) {
        random_loads(&t, r);
        for (unsigned temp = 0; temp < SCN_TEMPS; temp++) {
            unsigned m = route_pick(t.policy, &t, lead_of(&ls, temp));
            cr_assert_lt(m, t.n, "%s: manager %u of %u", routing, m, t.n);
            if (!ok(&t, m, temp)) {
                if (wrong_group++ == 0)
                    cr_expect(false, "%s: a %s lead went to manager %u of group %s",
                              routing, temp_names[temp], m, team_group_of(&t, m)->name);
            } else if (team_load(&t, m) != min_load(&t, ok, temp)) {
                if (not_least++ == 0)
                    cr_expect(false, "%s: a %s lead went to manager %u with load %u, "
                              "not the least %u", routing, temp_names[temp], m,
                              team_load(&t, m), min_load(&t, ok, temp));
            }
        }
    }
    fprintf(stderr, "route: %-13s %u picks: %u to a wrong group, %u not least loaded\n",
            routing, TRIALS * SCN_TEMPS, wrong_group, not_least);
    gsl_rng_free(r);
    lead_pool_fini(&ls.pool);
    team_fini(&t);
}

Test(route, policies_by_choice)
{
    cr_expect_eq(route_policy(SCN_ROUTING_POOL), &route_pool);
    cr_expect_eq(route_policy(SCN_ROUTING_ROUND_ROBIN), &route_round_robin);
    cr_expect_eq(route_policy(SCN_ROUTING_LEAST_LOADED), &route_least_loaded);
    cr_expect_eq(route_policy(SCN_ROUTING_SKILL_BASED), &route_skill_based);
    cr_expect_eq(route_policy(SCN_ROUTING_FAVOURITES), &route_favourites);
    for (unsigned r = 0; r < SCN_ROUTINGS; r++) {
        const struct route_type *t = route_policy((enum scn_routing)r);
        cr_expect_eq(t->per_manager, t->pick != NULL,
                     "%s: a per-manager policy picks, pool does not", scn_routing_name(r));
    }
    cr_expect_null(scn_routing_name(SCN_ROUTINGS));
    cr_expect(!route_pool.per_manager);
}

/* team_init numbers the managers group by group and finds the top skill.
 * Broken: a wrong group index would send favourites' leads elsewhere. */
Test(route, team_layout)
{
    struct scenario scn;
    compile_team("favourites", &scn);
    struct team t;
    team_init(&t, &scn);
    cr_expect_eq(t.n, 9);
    cr_expect_eq(t.top_skill, 0.9);
    unsigned expect_group[] = {0, 0, 1, 1, 1, 2, 2, 2, 2};
    for (unsigned m = 0; m < t.n; m++) {
        cr_expect_eq(t.mgr[m].group, expect_group[m], "manager %u", m);
        cr_expect_eq(team_load(&t, m), 0);
        cr_expect_eq(t.mgr[m].current, LEAD_NONE);
    }
    team_fini(&t);
}

/* Measure 6's anti-pattern: hot leads go to the favourites, warm and cold ones to
 * the others (the novices get the cold leads), each to the least loaded
 * manager of those.  Broken: a policy that ignores temperature or the
 * favourite flag sends some leads to the wrong group. */
Test(route, favourites_hot_to_favourites_cold_to_novices)
{
    check_least_loaded_among("favourites", favourite_for);
}

/* A team of favourites only still takes every lead (no one else exists). */
Test(route, favourites_without_others)
{
    struct scenario scn;
    compile_text("{\"name\": \"all-favourites\","
                 " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 1}}],"
                 " \"team\": [{\"name\": \"a\", \"count\": 2, \"favourite\": true},"
                 "            {\"name\": \"b\", \"count\": 2, \"favourite\": true}],"
                 " \"routing\": \"favourites\"}", &scn);
    struct team t;
    team_init(&t, &scn);
    struct leads ls;
    leads_init(&ls);
    for (unsigned k = 0; k < 3 * t.n; k++)
        for (unsigned temp = 0; temp < SCN_TEMPS; temp++) {
            unsigned m = route_pick(t.policy, &t, lead_of(&ls, temp));
            cr_expect_lt(m, t.n, "a %s lead got manager %u", temp_names[temp], m);
            if (m < t.n)
                t.mgr[m].open++;
        }
    lead_pool_fini(&ls.pool);
    team_fini(&t);
}

/* least_loaded picks a manager of least load, whatever the lead.  Broken:
 * picking by index or by own backlog only (ignoring the lead in hand). */
Test(route, least_loaded_picks_a_minimum)
{
    check_least_loaded_among("least_loaded", anyone);
}

/* skill_based: hot leads to the least loaded of the top-skill group, the
 * others to the least loaded of all. */
Test(route, skill_based_hot_to_top_skill)
{
    check_least_loaded_among("skill_based", top_skill_for);
}

/* With two groups tied at the top skill, hot leads go to both. */
Test(route, skill_based_tied_top_groups)
{
    struct scenario scn;
    compile_text("{\"name\": \"tied\","
                 " \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": \"poisson\", \"per_week\": 1}}],"
                 " \"team\": [{\"name\": \"a\", \"count\": 2, \"skill\": 0.8},"
                 "            {\"name\": \"b\", \"count\": 2, \"skill\": 0.4},"
                 "            {\"name\": \"c\", \"count\": 2, \"skill\": 0.8}],"
                 " \"routing\": \"skill_based\"}", &scn);
    struct team t;
    team_init(&t, &scn);
    struct leads ls;
    leads_init(&ls);
    unsigned per_group[3] = {0};
    for (unsigned k = 0; k < 40; k++) {
        unsigned m = route_pick(t.policy, &t, lead_of(&ls, SCN_HOT));
        cr_assert_lt(m, t.n);
        per_group[t.mgr[m].group]++;
        t.mgr[m].open++;
    }
    cr_expect_eq(per_group[1], 0, "the low-skill group got %u hot leads", per_group[1]);
    cr_expect(per_group[0] == 20 && per_group[2] == 20,
              "hot leads split %u / %u between the top groups", per_group[0], per_group[2]);
    lead_pool_fini(&ls.pool);
    team_fini(&t);
}

/* round_robin cycles through every manager in order, whatever the loads
 * and temperatures.  Broken: a cursor that skips or repeats managers. */
Test(route, round_robin_cycles)
{
    struct scenario scn;
    compile_team("round_robin", &scn);
    struct team t;
    team_init(&t, &scn);
    struct leads ls;
    leads_init(&ls);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    unsigned prev = route_pick(t.policy, &t, lead_of(&ls, SCN_COLD));
    for (unsigned cycle = 0; cycle < 5; cycle++) {
        unsigned seen[16] = {0};
        for (unsigned k = 0; k < t.n; k++) {
            random_loads(&t, r);
            unsigned temp = (unsigned)gsl_rng_uniform_int(r, SCN_TEMPS);
            unsigned m = route_pick(t.policy, &t, lead_of(&ls, temp));
            cr_assert_lt(m, t.n);
            cr_expect_eq(m, (prev + 1) % t.n, "after %u came %u", prev, m);
            seen[m]++;
            prev = m;
        }
        for (unsigned m = 0; m < t.n; m++)
            cr_expect_eq(seen[m], 1, "cycle %u: manager %u picked %u times", cycle, m, seen[m]);
    }
    gsl_rng_free(r);
    lead_pool_fini(&ls.pool);
    team_fini(&t);
}

/* Ties in load rotate (docs/model.md, "Ties in load rotate among the tied
 * managers"): with equal loads, n consecutive least_loaded picks reach
 * every manager, at load 0 and at a common positive load.  Broken: always
 * the first minimum, so one manager takes all the work of a quiet team. */
Test(route, ties_rotate)
{
    struct scenario scn;
    compile_team("least_loaded", &scn);
    struct team t;
    team_init(&t, &scn);
    struct leads ls;
    leads_init(&ls);
    for (uint32_t load = 0; load <= 3; load += 3) {
        unsigned seen[16] = {0};
        for (unsigned k = 0; k < t.n; k++) {
            for (unsigned m = 0; m < t.n; m++)
                t.mgr[m].open = load;
            unsigned m = route_pick(t.policy, &t, lead_of(&ls, SCN_WARM));
            cr_assert_lt(m, t.n);
            seen[m]++;
        }
        for (unsigned m = 0; m < t.n; m++)
            cr_expect_eq(seen[m], 1, "load %u: manager %u picked %u times of %u", load, m,
                         seen[m], t.n);
    }
    lead_pool_fini(&ls.pool);
    team_fini(&t);
}

/* pool routing gives no manager a queue of its own. */
Test(route, pool_is_shared)
{
    struct scenario scn;
    compile_team("pool", &scn);
    struct team t;
    team_init(&t, &scn);
    cr_expect(!t.per_manager);
    cr_expect_eq(t.pool.len, 0);
    /* The idle list is longest-idle first. */
    team_idle_push(&t, 4);
    team_idle_push(&t, 1);
    team_idle_push(&t, 7);
    cr_expect_eq(team_idle_pop(&t), 4);
    cr_expect_eq(team_idle_pop(&t), 1);
    cr_expect_eq(team_idle_pop(&t), 7);
    cr_expect_eq(team_idle_pop(&t), MGR_NONE);
    team_fini(&t);
}

/* Teams in time (team.h): a manager who has left or is absent takes no
 * lead.  Over random loads and random absences, with the seniors (the
 * favourites, the most skilled) gone, every policy picks a manager who
 * takes leads, the least loaded of those its rule allows when it has a
 * rule; with everyone absent, it still picks an active manager. */
Test(route, skips_managers_who_take_no_lead)
{
    static const char *const routings[] = {"round_robin", "least_loaded", "skill_based",
                                           "favourites"};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    for (unsigned p = 0; p < sizeof routings / sizeof routings[0]; p++) {
        struct scenario scn;
        compile_team(routings[p], &scn);
        struct team t;
        team_init(&t, &scn);
        struct leads ls;
        leads_init(&ls);
        unsigned bad = 0, inactive_picks = 0;
        for (unsigned k = 0; k < TRIALS; k++) {
            random_loads(&t, r);
            bool all_absent = k % 10 == 0;
            for (unsigned m = 0; m < t.n; m++)
                t.mgr[m].out = m < 2 ? MGR_OUT_INACTIVE
                               : all_absent || gsl_rng_uniform(r) < 0.3 ? MGR_OUT_ABSENT : 0;
            for (unsigned temp = 0; temp < SCN_TEMPS; temp++) {
                unsigned m = route_pick(t.policy, &t, lead_of(&ls, temp));
                cr_assert_lt(m, t.n);
                inactive_picks += (t.mgr[m].out & MGR_OUT_INACTIVE) != 0;
                bad += !all_absent && !team_takes(&t, m);
            }
        }
        cr_expect_eq(inactive_picks, 0, "%s: a lead went to a manager who left", routings[p]);
        cr_expect_eq(bad, 0, "%s: %u leads went to an absent manager while others were "
                     "present", routings[p], bad);
        lead_pool_fini(&ls.pool);
        team_fini(&t);
    }
    gsl_rng_free(r);
}
