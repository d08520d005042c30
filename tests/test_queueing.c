/*
 * test_queueing.c - the exact values of tests/queueing.c, checked against
 * each other and against forms derived independently: Erlang C in closed
 * form against the chain and against the Erlang B recursion, M/M/1 and
 * M/M/1/K in closed form, M/M/c/c against Erlang B, Erlang A with theta = mu
 * against the Poisson distribution, the decay formula against a sum over
 * the chain, and the balance equations every stationary chain satisfies.
 *
 * Tolerances are relative and tight (1e-9 and below): the routines are
 * deterministic, so any looser agreement is a bug, not noise.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "tests/queueing.h"

#define REL 1e-9

static const unsigned managers[] = {1, 2, 3, 5, 10, 50, 200};
static const double loads[] = {0.05, 0.3, 0.5, 0.8, 0.9, 0.99};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

static void expect_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(fabs(want), 1e-300);
    cr_expect(fabs(got - want) <= tol, "%s: got %.17g, want %.17g (rel %.3g)",
              what, got, want, fabs(got - want) / fmax(fabs(want), 1e-300));
}

static struct qt_chain_result solve(unsigned c, double lam, double mu,
                                    double theta, size_t cap)
{
    struct qt_chain q = {.lam = lam, .mu = mu, .theta = theta, .c = c, .cap = cap};
    struct qt_chain_result r;
    cr_assert_eq(qt_chain_solve(&q, &r, NULL, 0), QT_OK,
                 "chain c=%u lam=%g mu=%g theta=%g did not solve", c, lam, mu, theta);
    return r;
}

/* The chain's distribution in a fresh array of r->states entries. */
static double *distribution(unsigned c, double lam, double mu, double theta,
                            size_t cap, struct qt_chain_result *r)
{
    *r = solve(c, lam, mu, theta, cap);
    double *p = malloc(r->states * sizeof *p);
    cr_assert_not_null(p);
    struct qt_chain q = {.lam = lam, .mu = mu, .theta = theta, .c = c, .cap = cap};
    cr_assert_eq(qt_chain_solve(&q, r, p, r->states), QT_OK);
    return p;
}

/* Erlang B by its textbook recursion, B(0) = 1, B(k) = a B / (k + a B):
 * every step is a ratio of numbers in (0, 1], so it is stable for any c. */
static double erlang_b(unsigned c, double a)
{
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    return b;
}

Test(queueing, erlang_c_equals_uncapped_chain)
{
    double mu = 2.0;
    for (size_t i = 0; i < N_OF(managers); i++) {
        for (size_t j = 0; j < N_OF(loads); j++) {
            unsigned c = managers[i];
            double lam = loads[j] * c * mu;
            struct qt_chain_result r = solve(c, lam, mu, 0.0, QT_NO_CAP);
            char what[64];
            snprintf(what, sizeof what, "C(c=%u, rho=%g)", c, loads[j]);
            /* The chain stops at a 1e-12 tail, hence the looser bound. */
            expect_close(r.p_wait, qt_erlang_c(c, lam / mu), 1e-9, what);
            expect_close(r.wait_mean, qt_erlang_c_wait(c, lam, mu), 1e-8, what);
            expect_close(r.p_block, 0.0, 0.0, what);
            expect_close(r.p_abandon, 0.0, 0.0, what);
        }
    }
}

Test(queueing, erlang_c_from_erlang_b_recursion)
{
    for (size_t i = 0; i < N_OF(managers); i++) {
        for (size_t j = 0; j < N_OF(loads); j++) {
            unsigned c = managers[i];
            double a = loads[j] * c;
            double b = erlang_b(c, a);
            char what[64];
            snprintf(what, sizeof what, "C vs B(c=%u, a=%g)", c, a);
            expect_close(qt_erlang_c(c, a), c * b / (c - a * (1.0 - b)), REL, what);
        }
    }
    /* Far into the range where a^c / c! alone would overflow a double. */
    expect_close(qt_erlang_c(2000, 1950.0),
                 2000 * erlang_b(2000, 1950.0) /
                     (2000 - 1950.0 * (1.0 - erlang_b(2000, 1950.0))),
                 1e-8, "C(2000, 1950)");
}

Test(queueing, mm1_closed_forms)
{
    for (size_t j = 0; j < N_OF(loads); j++) {
        double rho = loads[j], mu = 3.0;
        struct qt_chain_result r = solve(1, rho * mu, mu, 0.0, QT_NO_CAP);
        expect_close(r.p_wait, rho, 1e-10, "M/M/1 P(wait)");
        expect_close(qt_erlang_c(1, rho), rho, REL, "M/M/1 C");
        expect_close(r.lq, rho * rho / (1.0 - rho), 1e-9, "M/M/1 Lq");
        expect_close(r.l, rho / (1.0 - rho), 1e-9, "M/M/1 L");
        expect_close(r.utilization, rho, 1e-10, "M/M/1 utilisation");
        expect_close(r.wait_mean, rho / (mu * (1.0 - rho)), 1e-9, "M/M/1 Wq");
    }
}

Test(queueing, mm1k_blocking_closed_form)
{
    static const size_t caps[] = {1, 2, 5, 20, 60};
    static const double rhos[] = {0.3, 0.9, 1.0, 1.1, 2.0, 5.0};
    for (size_t i = 0; i < N_OF(caps); i++) {
        for (size_t j = 0; j < N_OF(rhos); j++) {
            size_t k = caps[i];
            double rho = rhos[j], kd = (double)k;
            double want = rho == 1.0
                              ? 1.0 / (kd + 1.0)
                              : (1.0 - rho) * pow(rho, kd) / (1.0 - pow(rho, kd + 1.0));
            char what[64];
            snprintf(what, sizeof what, "M/M/1/%zu rho=%g", k, rho);
            expect_close(qt_mmck_block(1, rho * 2.0, 2.0, k), want, REL, what);
        }
    }
}

Test(queueing, mmcc_blocking_is_erlang_b)
{
    for (size_t i = 0; i < N_OF(managers); i++) {
        unsigned c = managers[i];
        for (double rho = 0.2; rho < 3.0; rho += 0.7) {
            double a = rho * c;
            char what[64];
            snprintf(what, sizeof what, "M/M/%u/%u a=%g", c, c, a);
            expect_close(qt_mmck_block(c, a, 1.0, c), erlang_b(c, a), REL, what);
        }
    }
}

/* With theta = mu every lead leaves at rate mu whether served or waiting,
 * so the death rate is n mu in every state: the chain is M/M/infinity and
 * N ~ Poisson(a).  Since n P(N = n) = a P(N = n - 1),
 *   E[Lq] = sum_{n>c} (n - c) P(N = n) = a P(N >= c) - c P(N > c),
 * written with upper tails so that a tiny E[Lq] is not the difference of
 * two numbers near 1, and
 *   P(abandon) = theta E[Lq] / lam = E[Lq] / a,
 *   P(wait) = P(N >= c),  utilisation = E[min(N, c)] / c = (a - E[Lq]) / c. */
Test(queueing, erlang_a_with_theta_mu_is_poisson)
{
    static const unsigned cs[] = {1, 2, 3, 10, 40};
    static const double as[] = {0.5, 2.4, 6.0, 20.0, 60.0};
    double mu = 2.0;
    for (size_t i = 0; i < N_OF(cs); i++) {
        for (size_t j = 0; j < N_OF(as); j++) {
            unsigned c = cs[i];
            double a = as[j];
            double lq = a * gsl_cdf_poisson_Q(c - 1, a) - c * gsl_cdf_poisson_Q(c, a);
            struct qt_chain_result r = solve(c, a * mu, mu, mu, QT_NO_CAP);
            char what[64];
            snprintf(what, sizeof what, "Erlang A theta=mu c=%u a=%g", c, a);
            expect_close(r.l, a, 1e-10, what);
            expect_close(r.lq, lq, 1e-8, what);
            expect_close(r.p_abandon, lq / a, 1e-8, what);
            expect_close(qt_erlang_a_abandon(c, a * mu, mu, mu), lq / a, 1e-8, what);
            expect_close(r.p_wait, gsl_cdf_poisson_Q(c - 1, a), 1e-9, what);
            expect_close(r.utilization, (a - lq) / c, 1e-9, what);
        }
    }
}

/* Rate balance: what arrives (and is not blocked) leaves, served or
 * abandoned: lam (1 - p_block) = mu c u + theta E[Lq].  It follows from
 * the stationary equations but is not how the solver forms any figure. */
Test(queueing, flow_balance)
{
    static const double thetas[] = {0.0, 0.1, 1.0, 4.0};
    static const size_t caps[] = {3, 8, 30, QT_NO_CAP};
    static const double rhos[] = {0.5, 0.9, 1.2, 2.0};
    unsigned c = 3;
    double mu = 2.0;
    for (size_t i = 0; i < N_OF(thetas); i++)
        for (size_t k = 0; k < N_OF(caps); k++)
            for (size_t j = 0; j < N_OF(rhos); j++) {
                if (thetas[i] == 0.0 && caps[k] == QT_NO_CAP && rhos[j] >= 1.0)
                    continue;
                double lam = rhos[j] * c * mu;
                struct qt_chain_result r = solve(c, lam, mu, thetas[i], caps[k]);
                char what[80];
                snprintf(what, sizeof what, "balance theta=%g cap=%zu rho=%g",
                         thetas[i], caps[k], rhos[j]);
                expect_close(mu * c * r.utilization + thetas[i] * r.lq,
                             lam * (1.0 - r.p_block), 1e-9, what);
                expect_close(r.l, r.lq + c * r.utilization, 1e-10, what);
                expect_close(r.p_abandon + c * mu * r.utilization / lam + r.p_block,
                             1.0, 1e-9, what);
            }
}

Test(queueing, erlang_a_tends_to_erlang_c)
{
    /* Patience of a million hours: nobody leaves in practice. */
    double mu = 2.0, lam = 4.8;
    struct qt_chain_result r = solve(3, lam, mu, 1e-6, QT_NO_CAP);
    expect_close(r.p_wait, qt_erlang_c(3, lam / mu), 1e-5, "Erlang A -> C");
    cr_expect_lt(r.p_abandon, 1e-6);
}

/* Conditioned on finding n >= c leads, an arrival waits for n - c + 1
 * departures at rate c mu: W ~ Gamma(n - c + 1, c mu), whose Laplace
 * transform at theta is (c mu / (c mu + theta))^(n - c + 1).  Summing over
 * the chain gives the cold share without the closed form's geometric sum. */
Test(queueing, decay_formula_equals_sum_over_chain)
{
    static const double rhos[] = {0.3, 0.5, 0.8, 0.9, 0.97};
    static const double thetas[] = {0.01, 0.7, 3.0};
    unsigned c = 3;
    double mu = 2.0;
    for (size_t i = 0; i < N_OF(rhos); i++)
        for (size_t k = 0; k < N_OF(thetas); k++) {
            double lam = rhos[i] * c * mu, theta = thetas[k];
            struct qt_chain_result r;
            double *p = distribution(c, lam, mu, 0.0, QT_NO_CAP, &r);
            double keep = c * mu / (c * mu + theta), cold = 0.0;
            for (size_t n = c; n < r.states; n++)
                cold += p[n] * (1.0 - pow(keep, (double)(n - c + 1)));
            free(p);
            char what[64];
            snprintf(what, sizeof what, "cold rho=%g theta=%g", rhos[i], theta);
            expect_close(qt_decay_cold(c, lam, mu, theta), cold, 1e-9, what);
        }
    expect_close(qt_decay_cold(3, 4.8, 2.0, 0.0), 0.0, 0.0, "no decay");
}

Test(queueing, probabilities_sum_to_one)
{
    static const double thetas[] = {0.0, 0.5, 2.0};
    static const size_t caps[] = {4, 8, 200, QT_NO_CAP};
    static const double rhos[] = {0.2, 0.8, 0.99, 1.5, 3.0};
    unsigned c = 4;
    double mu = 1.5;
    for (size_t i = 0; i < N_OF(thetas); i++)
        for (size_t k = 0; k < N_OF(caps); k++)
            for (size_t j = 0; j < N_OF(rhos); j++) {
                if (thetas[i] == 0.0 && caps[k] == QT_NO_CAP && rhos[j] >= 1.0)
                    continue;
                struct qt_chain_result r;
                double *p = distribution(c, rhos[j] * c * mu, mu, thetas[i], caps[k], &r);
                double sum = 0.0;
                for (size_t n = 0; n < r.states; n++) {
                    cr_expect(p[n] >= 0.0 && p[n] <= 1.0);
                    sum += p[n];
                }
                free(p);
                char what[80];
                snprintf(what, sizeof what, "sum theta=%g cap=%zu rho=%g",
                         thetas[i], caps[k], rhos[j]);
                expect_close(sum, 1.0, 1e-12, what);
                expect_close(r.p_idle + r.p_wait + r.p_block, 1.0, 1e-12, what);
                if (caps[k] != QT_NO_CAP)
                    cr_expect_eq(r.states, caps[k] + 1);
            }
}

/* The truncation of an uncapped chain must not show: capping it far past
 * the truncation point leaves a blocking below the tail bound and the same
 * figures. */
Test(queueing, truncation_is_invisible)
{
    static const double thetas[] = {0.0, 0.3};
    static const double rhos[] = {0.5, 0.95, 1.8};
    unsigned c = 3;
    double mu = 2.0;
    for (size_t i = 0; i < N_OF(thetas); i++)
        for (size_t j = 0; j < N_OF(rhos); j++) {
            if (thetas[i] == 0.0 && rhos[j] >= 1.0)
                continue;
            double lam = rhos[j] * c * mu;
            struct qt_chain_result open = solve(c, lam, mu, thetas[i], QT_NO_CAP);
            struct qt_chain_result capped = solve(c, lam, mu, thetas[i], 4 * open.states);
            cr_expect_lt(capped.p_block, QT_TAIL);
            expect_close(open.p_wait, capped.p_wait, 1e-11, "truncated P(wait)");
            expect_close(open.lq, capped.lq, 1e-10, "truncated Lq");
            expect_close(open.utilization, capped.utilization, 1e-11, "truncated u");
        }
}

Test(queueing, outside_the_domain)
{
    struct qt_chain_result r;
    struct qt_chain unstable = {.lam = 6.0, .mu = 2.0, .theta = 0.0, .c = 3, .cap = QT_NO_CAP};
    cr_expect_eq(qt_chain_solve(&unstable, &r, NULL, 0), QT_ERR);
    struct qt_chain small_cap = {.lam = 1.0, .mu = 2.0, .theta = 0.0, .c = 3, .cap = 2};
    cr_expect_eq(qt_chain_solve(&small_cap, &r, NULL, 0), QT_ERR);
    struct qt_chain nobody = {.lam = 1.0, .mu = 2.0, .theta = 0.0, .c = 0, .cap = QT_NO_CAP};
    cr_expect_eq(qt_chain_solve(&nobody, &r, NULL, 0), QT_ERR);
    cr_expect(isnan(qt_erlang_c(3, 3.0)));
    cr_expect(isnan(qt_erlang_c(3, 0.0)));
    cr_expect(isnan(qt_erlang_c_wait(3, 7.0, 2.0)));
    cr_expect(isnan(qt_decay_cold(3, 7.0, 2.0, 1.0)));
    /* Erlang A needs no stability: impatience empties any queue. */
    cr_expect(isfinite(qt_erlang_a_abandon(3, 60.0, 2.0, 0.5)));
}
