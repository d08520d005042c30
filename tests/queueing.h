/*
 * queueing.h - exact queueing-theory values for the validation tests.
 *
 * The validation contract (docs/design.md) says that the funnel, configured as a
 * pure queue, must agree with queueing theory.  This module computes the
 * theory's side, from formulas and never from pasted numbers, so that a
 * load point can be moved freely and the expected value follows.
 *
 * Notation (docs/field-figures.md, 'Queueing notation'): lam arrivals per
 * hour, mu services per hour and per manager, c managers, a = lam / mu the
 * offered load, theta the rate at which a waiting lead leaves (abandonment)
 * or cools (decay), cap the most leads in the system (waiting plus in
 * contact; QT_NO_CAP for none).
 *
 * Two kinds of routine:
 *   - closed forms (Erlang C, the decay formula) evaluated in log space
 *     with GSL special functions, stable for any c;
 *   - one birth-death chain solver that covers M/M/c, M/M/c/K and M/M/c+M
 *     (Erlang A): birth lam (0 at n = cap), death min(n, c) mu +
 *     max(n - c, 0) theta.  Its stationary distribution is built by the
 *     product recursion in log space and normalised by a log-sum-exp, so a
 *     load of hundreds of managers neither overflows nor underflows.  An
 *     uncapped chain is truncated where a geometric bound on the remaining
 *     tail falls below QT_TAIL of the queue's own mass and mean length (a
 *     bound, not a guess: past c the ratio p_{n+1}/p_n never grows), so
 *     even a P(wait) of 1e-40 keeps its relative precision.
 *
 * Every figure the chain returns is "per arrival" (PASTA: an arrival sees
 * the time-stationary distribution), held-back arrivals included.  The
 * funnel's rates count only the leads handed to sales; divide by
 * 1 - p_block to compare (for an uncapped chain p_block is 0 and the two
 * agree).
 *
 * Errors: a routine returns NaN (or QT_ERR) for parameters outside its
 * domain, such as an unstable uncapped queue; nothing aborts.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_QUEUEING_H
#define TESTS_QUEUEING_H

#include <stddef.h>

#define QT_NO_CAP ((size_t)-1)

/* An uncapped chain stops where the tail beyond is below this share of
 * P(n >= c) and of E[Lq]. */
#define QT_TAIL 1e-12

/* Largest truncation the solver accepts before it gives up (rho -> 1). */
#define QT_MAX_STATES ((size_t)50000000)

enum qt_status { QT_OK = 0, QT_ERR = -1 };

struct qt_chain {
    double lam;             /* arrivals per hour, > 0 */
    double mu;              /* services per hour per manager, > 0 */
    double theta;           /* leaving rate of a waiting lead, >= 0 */
    unsigned c;             /* managers, >= 1 */
    size_t cap;             /* most leads in the system (>= c), or QT_NO_CAP */
};

struct qt_chain_result {
    size_t states;          /* states used: cap + 1, or the truncation */
    double p_block;         /* p_cap: an arrival is held back; 0 uncapped */
    double p_wait;          /* sum over n = c .. cap-1 of p_n */
    double p_idle;          /* sum over n < c: an arrival starts at once */
    double lq;              /* E[leads waiting] */
    double l;               /* E[leads in the system] */
    double utilization;     /* E[min(n, c)] / c: share of managers busy */
    double p_abandon;       /* theta lq / lam */
    double wait_mean;       /* lq / lam: blocked arrivals count a 0 wait */
};

/* Solves the chain.  When `p` is not NULL it receives p_0 .. p_{n-1} for
 * n = min(p_len, states) (the rest of p is left alone).  QT_OK, or QT_ERR
 * for bad parameters, an uncapped chain that is not stable (theta = 0 and
 * lam >= c mu), or a truncation past QT_MAX_STATES. */
int qt_chain_solve(const struct qt_chain *q, struct qt_chain_result *out,
                   double *p, size_t p_len);

/* Erlang C: the probability that an arrival waits in M/M/c, for offered
 * load 0 < a < c.  NaN otherwise. */
double qt_erlang_c(unsigned c, double a);

/* Mean wait of all arrivals in M/M/c: C / (c mu - lam).  NaN if unstable. */
double qt_erlang_c_wait(unsigned c, double lam, double mu);

/* Decay instead of abandonment: the probability that a lead of an M/M/c
 * queue has gone cold by its first contact when its interest fades at rate
 * theta, E[1 - exp(-theta W)] = C theta / (c mu - lam + theta). */
double qt_decay_cold(unsigned c, double lam, double mu, double theta);

/* Erlang A (M/M/c+M): the share of arrivals that abandon, from the
 * uncapped chain.  NaN on failure. */
double qt_erlang_a_abandon(unsigned c, double lam, double mu, double theta);

/* M/M/c/cap: the share of arrivals that find cap leads and are blocked. */
double qt_mmck_block(unsigned c, double lam, double mu, size_t cap);

#endif
