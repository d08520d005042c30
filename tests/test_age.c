/*
 * test_age.c - a lead's age, and what fades with it (docs/model.md,
 * "A lead's age"; models/decay.h).
 *
 * Each test builds a small scenario from JSON text in which every lead is
 * attempted at an age the test knows exactly (batches at a known hour, a
 * fixed handoff delay, a team large enough that nobody waits for a
 * manager), so that the share of an outcome is a binomial proportion
 * whose probability a formula of the half-lives gives.  The counts are
 * pooled over the replications and judged against the binomial law
 * itself (GSL's binomial CDF): the count must lie in the central 99% of
 * Binomial(n, p) for the formula's p and, where the test says so, outside
 * the central 99% for the p a broken model would give, so that the test
 * can tell the two apart.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/funnel.h"
#include "models/keytab.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "tests/funnel_harness.h"

#define LEVEL 0.99

/* A document from JSON text, with overrides "PATH=VALUE" (as --set). */
static void compile_text(const char *text, const char *const *sets, struct scenario *out)
{
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(text, "test_age.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    for (size_t i = 0; sets != NULL && sets[i] != NULL; i++)
        fh_set(doc, "%s", sets[i]);
    fh_compile(doc, out);
    scn_doc_free(doc);
}

/* Whether k successes of n lie in the central `level` of Binomial(n, p):
 * neither tail beyond k holds less than (1 - level) / 2. */
static bool binomial_inside(double k, double n, double p, double level)
{
    double tail = (1.0 - level) / 2.0;
    unsigned ki = (unsigned)k, ni = (unsigned)n;
    double below = gsl_cdf_binomial_P(ki, p, ni);                 /* P(X <= k) */
    double above = ki == 0 ? 1.0 : gsl_cdf_binomial_Q(ki - 1, p, ni); /* P(X >= k) */
    return below > tail && above > tail;
}

/* The count of a share-of-resolved metric in one replication. */
static double count_of(const double *m, enum metric_id share)
{
    return nearbyint(m[share] * m[METRIC_RESOLVED]);
}

static void sum_over_reps(const struct fh_results *r, size_t point, enum metric_id share,
                          double *k, double *n)
{
    *k = *n = 0.0;
    for (unsigned rep = 0; rep < r->reps; rep++) {
        const double *m = fh_rep(r, point, rep);
        *k += share == METRIC_DEALS ? m[METRIC_DEALS] : count_of(m, share);
        *n += share == METRIC_DEALS ? m[METRIC_QUALIFIED] : m[METRIC_RESOLVED];
    }
}

static void show(const char *test, const char *what, double k, double n, double p)
{
    fprintf(stderr, "age: %-22s %-28s %.0f of %.0f = %.5f, formula %.5f\n", test, what, k, n,
            k / n, p);
}

/* ---- the age starts at creation ------------------------------------------- */

/* A webinar list arrives every Friday (day 4) at 09:00 and reaches sales 8
 * hours later, at 17:00, when the business day has just closed.  2,000
 * managers take the whole batch at Monday's 09:00 opening, one attempt
 * each, and every lead is reached (contactable 1, p_reach 1).  All leads
 * are warm, fit and buyers, and nobody misjudges, so a lead is junk only
 * when it went cold: with probability 1 - interest 2^(-age / h) at its
 * age at the attempt.  From creation that age is 72 hours; from the
 * handoff it would be 64.  Broken: an age counted from the handoff gives
 * a went_cold share of 1 - 0.9 2^(-64/48) = 0.643 instead of 0.682, twelve
 * standard errors away. */
#define FRIDAY_TEXT                                                                   \
    "{\"name\": \"friday webinar\", \"seed\": 7, \"horizon_days\": 36,"              \
    " \"warmup_days\": 0,"                                                            \
    " \"calendar\": {\"mode\": \"business\", \"start_hour\": 9, \"hours_per_day\": 8,"  \
    " \"days_per_week\": 5},"                                                         \
    " \"channels\": [{\"name\": \"webinar\", \"arrivals\": {\"kind\": \"batch\","      \
    " \"size\": 2000, \"every_days\": 7, \"first_day\": 4},"                          \
    " \"temperature\": {\"warm\": 1}, \"fit_share\": 1, \"theorist_share\": 0}],"    \
    " \"handoff\": {\"delay_hours\": 8},"                                             \
    " \"interest\": {\"warm\": 0.9},"                                                 \
    " \"team\": [{\"name\": \"all\", \"count\": 2000, \"skill\": 1}],"                \
    " \"contact\": {\"contactable\": 1, \"p_reach\": 1, \"max_attempts\": 1,"         \
    " \"duration\": {\"dist\": \"fixed\", \"mean_hours\": 0.5}},"                      \
    " \"decay\": {\"kind\": \"exponential\", \"half_life_hours\": 48}}"

Test(age, starts_at_creation)
{
    struct scenario s;
    compile_text(FRIDAY_TEXT, NULL, &s);
    const double h = s.decay.half_life_hours, interest = s.interest[SCN_WARM];
    /* The ages, from the calendar: created Friday 09:00 (day 4), handed
     * 8 hours later, attempted at Monday's opening (day 7). */
    const double created = 4 * 24.0 + s.calendar.start_hour;
    const double handed = created + s.handoff.delay_hours;
    const double attempted = 7 * 24.0 + s.calendar.start_hour;
    cr_assert(attempted - created == 72.0 && attempted - handed == 64.0);

    struct fh_results r;
    fh_run(&s, 1, 2, &r);
    /* Every lead waited from 17:00 Friday to Monday 09:00 and was judged:
     * 5 Friday batches (days 4 to 32) within the 36 days, none left open. */
    for (unsigned rep = 0; rep < r.reps; rep++) {
        const double *m = fh_rep(&r, 0, rep);
        cr_expect_float_eq(m[METRIC_WAIT_MEAN], attempted - handed, 1e-9,
                           "replication %u: mean wait %g h", rep, m[METRIC_WAIT_MEAN]);
        cr_expect_eq(m[METRIC_RESOLVED], 5 * 2000.0, "replication %u: resolved %g", rep,
                     m[METRIC_RESOLVED]);
        cr_expect_eq(m[METRIC_UNRESOLVED], 0.0);
    }
    double k, n;
    sum_over_reps(&r, 0, METRIC_JUNK_WENT_COLD, &k, &n);
    double p72 = 1.0 - interest * pow(2.0, -(attempted - created) / h);
    double p64 = 1.0 - interest * pow(2.0, -(attempted - handed) / h);
    show("starts_at_creation", "went cold, age 72 h", k, n, p72);
    show("starts_at_creation", "went cold, age 64 h (wrong)", k, n, p64);
    cr_expect(binomial_inside(k, n, p72, LEVEL),
              "went cold %.0f of %.0f: outside the 99%% of Binomial(n, %.5f), age 72 h", k, n,
              p72);
    cr_expect(!binomial_inside(k, n, p64, LEVEL),
              "went cold %.0f of %.0f: inside the 99%% of Binomial(n, %.5f), age 64 h: the "
              "test cannot tell the ages apart", k, n, p64);
    fh_free(&r);
}

/* ---- the reach fades with age --------------------------------------------- */

/* A batch every day at 09:00 (24x7), handed 2 hours later to 500
 * managers, as many as the batch: every attempt starts at once.  A missed
 * attempt takes attempt_hours, then the lead waits retry_gap_hours, so
 * attempt j (from 0) starts at age d + j (a + g).  An attempt reaches a
 * contactable lead with probability p_reach 2^(-age / h), independently,
 * so a lead is unreachable with probability
 *   (1 - c) + c prod_j (1 - p_reach 2^(-(d + j (a + g)) / h)).
 * Every other lead is hot, fit and a buyer with no interest decay:
 * qualified.  Broken: reach that ignores the age gives 0.2 + 0.8 (0.4)^4
 * = 0.22 instead of 0.47; ages from the handoff give 0.39. */
#define REACH_TEXT_WITH(REACH_DECAY)                                                  \
    "{\"name\": \"reach decay\", \"seed\": 11, \"horizon_days\": 30.95,"             \
    " \"warmup_days\": 0, \"calendar\": {\"start_hour\": 9},"                         \
    " \"channels\": [{\"name\": \"daily\", \"arrivals\": {\"kind\": \"batch\","        \
    " \"size\": 500, \"every_days\": 1}}],"                                           \
    " \"handoff\": {\"delay_hours\": 2},"                                             \
    " \"team\": [{\"name\": \"all\", \"count\": 500, \"skill\": 1}],"                 \
    " \"contact\": {\"contactable\": 0.8, \"p_reach\": 0.6, \"max_attempts\": 4,"     \
    " \"attempt_hours\": 0.05, \"retry_gap_hours\": 3,"                               \
    " \"duration\": {\"dist\": \"fixed\", \"mean_hours\": 0.5},"                       \
    " \"reach_decay\": " REACH_DECAY "}}"
#define REACH_TEXT REACH_TEXT_WITH("{\"kind\": \"exponential\", \"half_life_hours\": 4}")
#define REACH_TEXT_FRESH REACH_TEXT_WITH("{\"kind\": \"none\"}")

static double unreachable_formula(const struct scenario *s, double origin_shift)
{
    const struct scn_contact *c = &s->contact;
    double miss = 1.0;
    for (unsigned j = 0; j < c->max_attempts; j++) {
        double age = s->handoff.delay_hours - origin_shift +
                     j * (c->attempt_hours + c->retry_gap_hours);
        miss *= 1.0 - c->p_reach * pow(2.0, -age / c->reach_decay.half_life_hours);
    }
    return (1.0 - c->contactable) + c->contactable * miss;
}

Test(age, reach_decays_with_age)
{
    struct scenario s;
    compile_text(REACH_TEXT, NULL, &s);
    cr_assert(s.contact.reach_decay.type == &decay_exponential);
    struct fh_results r;
    fh_run(&s, 1, 4, &r);
    for (unsigned rep = 0; rep < r.reps; rep++) {
        const double *m = fh_rep(&r, 0, rep);
        cr_expect_eq(m[METRIC_PROB_WAIT], 0.0, "replication %u: a first attempt waited", rep);
        cr_expect_eq(m[METRIC_UNRESOLVED], 0.0, "replication %u: leads left open", rep);
        cr_expect_float_eq(m[METRIC_JUNK_RATE], m[METRIC_JUNK_UNREACHABLE], 1e-12,
                           "replication %u: junk other than unreachable", rep);
    }
    double k, n;
    sum_over_reps(&r, 0, METRIC_JUNK_UNREACHABLE, &k, &n);
    double p = unreachable_formula(&s, 0.0);
    double p_handed = unreachable_formula(&s, s.handoff.delay_hours);
    const struct scn_contact *c = &s.contact;
    double p_fresh = (1.0 - c->contactable) +
                     c->contactable * pow(1.0 - c->p_reach, c->max_attempts);
    show("reach_decays_with_age", "unreachable", k, n, p);
    cr_expect(binomial_inside(k, n, p, LEVEL),
              "unreachable %.0f of %.0f: outside the 99%% of Binomial(n, %.5f)", k, n, p);
    cr_expect(!binomial_inside(k, n, p_handed, LEVEL),
              "unreachable %.0f of %.0f: cannot tell ages from the handoff (%.5f)", k, n,
              p_handed);
    cr_expect(!binomial_inside(k, n, p_fresh, LEVEL),
              "unreachable %.0f of %.0f: cannot tell reach without decay (%.5f)", k, n,
              p_fresh);
    fh_free(&r);
}

/* With reach_decay none the reach of every attempt is p_reach: the same
 * scenario gives (1 - c) + c (1 - p_reach)^m, whatever the ages. */
Test(age, no_reach_decay_is_p_reach)
{
    struct scenario s;
    compile_text(REACH_TEXT_FRESH, NULL, &s);
    cr_assert(s.contact.reach_decay.type == &decay_none);
    struct fh_results r;
    fh_run(&s, 1, 2, &r);
    double k, n;
    sum_over_reps(&r, 0, METRIC_JUNK_UNREACHABLE, &k, &n);
    const struct scn_contact *c = &s.contact;
    double p = (1.0 - c->contactable) + c->contactable * pow(1.0 - c->p_reach, c->max_attempts);
    show("no_reach_decay", "unreachable", k, n, p);
    cr_expect(binomial_inside(k, n, p, LEVEL),
              "unreachable %.0f of %.0f: outside the 99%% of Binomial(n, %.5f)", k, n, p);
    fh_free(&r);
}

/* ---- interest in the win probability ---------------------------------------- */

/* The reach scenario with every contactable lead reached at once (p_reach
 * 1, no reach decay) and interest decaying instead: every lead is judged
 * at age d = 2 h, with interest i = 2^(-d / h).  A qualified lead is won
 * with probability win_rate (skill 1) when interest_scales_win is false,
 * win_rate i when it is true (point 1, the default).  Broken: a switch
 * that does nothing leaves point 0 at win_rate i = 0.12, not 0.24. */
Test(age, interest_scales_win_switch)
{
#define WIN_SETS "contact.p_reach=1", "decay.kind=exponential", "decay.half_life_hours=2", \
        "sales.win_rate=0.24"
    static const char *const on[] = {WIN_SETS, NULL};
    static const char *const off[] = {WIN_SETS, "sales.interest_scales_win=false", NULL};
#undef WIN_SETS
    struct scenario pts[2];
    compile_text(REACH_TEXT_FRESH, off, &pts[0]);
    compile_text(REACH_TEXT_FRESH, on, &pts[1]);
    cr_assert(pts[1].sales.interest_scales_win, "the default is true");
    cr_assert(!pts[0].sales.interest_scales_win);
    double interest = pow(2.0, -pts[1].handoff.delay_hours / pts[1].decay.half_life_hours);
    double w = pts[1].sales.win_rate;
    struct fh_results r;
    fh_run(pts, 2, 4, &r);
    double k0, n0, k1, n1;
    sum_over_reps(&r, 0, METRIC_DEALS, &k0, &n0);
    sum_over_reps(&r, 1, METRIC_DEALS, &k1, &n1);
    show("interest_scales_win", "false: deals / qualified", k0, n0, w);
    show("interest_scales_win", "true: deals / qualified", k1, n1, w * interest);
    cr_expect(binomial_inside(k0, n0, w, LEVEL),
              "false: %.0f deals of %.0f qualified, not Binomial(n, %.4f)", k0, n0, w);
    cr_expect(!binomial_inside(k0, n0, w * interest, LEVEL),
              "false: %.0f deals of %.0f qualified still look scaled by interest", k0, n0);
    cr_expect(binomial_inside(k1, n1, w * interest, LEVEL),
              "true: %.0f deals of %.0f qualified, not Binomial(n, %.4f)", k1, n1,
              w * interest);
    fh_free(&r);
}

/* ---- a theorist back from nurture is a new request ----------------------- */

/* Every lead of the reach scenario (without reach decay) is a theorist,
 * detected and diverted to nurture, and every one comes back a buyer 2
 * days later, handed at once and called at once: aged 0 if its return
 * is a new request.  Hot leads of interest 0.9 with a 24-hour half-life
 * then go cold with probability 1 - 0.9 = 0.1.  Broken: an age counted
 * from the first creation gives 1 - 0.9 2^(-48/24) = 0.775. */
Test(age, returning_theorist_is_a_new_request)
{
    static const char *const sets[] = {
        "channels[0].theorist_share=1", "prequalification.theorist_detection=1",
        "prequalification.nurture_return_share=1", "prequalification.nurture_return_days=2",
        "contact.contactable=1", "contact.p_reach=1", "interest.hot=0.9",
        "decay.kind=exponential", "decay.half_life_hours=24", NULL};
    struct scenario s;
    compile_text(REACH_TEXT_FRESH, sets, &s);
    struct fh_results r;
    fh_run(&s, 1, 2, &r);
    for (unsigned rep = 0; rep < r.reps; rep++) {
        const double *m = fh_rep(&r, 0, rep);
        cr_expect_eq(m[METRIC_RETURNED], m[METRIC_LEADS_HANDED],
                     "replication %u: every handed lead returned from nurture", rep);
        cr_expect_eq(m[METRIC_PROB_WAIT], 0.0, "replication %u: a returned lead waited", rep);
    }
    double k, n;
    sum_over_reps(&r, 0, METRIC_JUNK_WENT_COLD, &k, &n);
    double interest = s.interest[SCN_HOT], h = s.decay.half_life_hours;
    double p = 1.0 - interest;
    double p_creation = 1.0 - interest * pow(2.0, -s.prequal.nurture_return_days * 24.0 / h);
    show("returning_theorist", "went cold, age 0 at return", k, n, p);
    cr_expect(binomial_inside(k, n, p, LEVEL),
              "went cold %.0f of %.0f: outside the 99%% of Binomial(n, %.4f)", k, n, p);
    cr_expect(!binomial_inside(k, n, p_creation, LEVEL),
              "went cold %.0f of %.0f: cannot tell an age from the first creation", k, n);
    fh_free(&r);
}

/* ---- the key table ----------------------------------------------------------- */

/* contact.reach_decay has the keys of decay, labelled for reach, and the
 * same rule tying its half-lives, reported at its own path. */
Test(age, reach_decay_keys_and_rule)
{
    const struct sim_schema_key *k = keytab_find("contact.reach_decay.half_life_hours");
    cr_assert_not_null(k);
    cr_expect_str_eq(k->label, "reach half-life");
    cr_expect_str_eq(keytab_find("decay.half_life_hours")->label, "interest half-life");
    const struct sim_schema_key *w = keytab_find("sales.interest_scales_win");
    cr_assert_not_null(w);
    cr_expect(w->type == SIM_SCHEMA_BOOL && w->def == 1.0, "default true");

    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(
        REACH_TEXT_WITH("{\"kind\": \"two_phase\", \"fast_half_life_hours\": 2,"
                        " \"slow_half_life_hours\": 1}"), "test_age.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    struct scenario s;
    cr_expect_eq(scn_doc_compile(doc, &s, &err), SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "contact.reach_decay.slow_half_life_hours: must be >= "
                              "fast_half_life_hours") != NULL, "got: %s", err.msg);
    scn_doc_free(doc);
}
