/* SPDX-License-Identifier: MIT */
#include "queueing.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>

/* ---- birth-death chain ---------------------------------------------------- */

static double death_rate(const struct qt_chain *q, size_t n)
{
    size_t busy = n < q->c ? n : q->c;
    size_t waiting = n > q->c ? n - q->c : 0;
    return (double)busy * q->mu + (double)waiting * q->theta;
}

/* log(e^x + e^y) without overflow: the larger term is factored out. */
static double log_add(double x, double y)
{
    double hi = x > y ? x : y, lo = x > y ? y : x;
    if (lo == -INFINITY)
        return hi;
    return hi + gsl_sf_log_1plusx(exp(lo - hi));
}

static int chain_valid(const struct qt_chain *q)
{
    if (q->c == 0 || !(q->lam > 0.0) || !(q->mu > 0.0) || !(q->theta >= 0.0) ||
        !isfinite(q->lam) || !isfinite(q->mu) || !isfinite(q->theta))
        return 0;
    if (q->cap != QT_NO_CAP)
        return q->cap >= q->c;
    /* Without a cap and without anyone leaving the queue, only a stable
     * queue has a stationary distribution. */
    return q->theta > 0.0 || q->lam < (double)q->c * q->mu;
}

/* The number of states to keep and the log of the unnormalised mass
 * (p_0 = 1).  The log-weights are recomputed by the same additions in the
 * second pass, so they need not be stored: a chain near rho = 1 has
 * hundreds of thousands of states.
 *
 * An uncapped chain stops at a state n > c once the tail beyond n is below
 * QT_TAIL of the queue's own figures, P(n >= c) and E[Lq] so far, rather
 * than of the whole mass: at light load P(wait) is itself far below 1e-12
 * and must still come out to full relative precision.  From c on the
 * death rate never decreases, so every ratio p_{k+1}/p_k with k >= n is at
 * most r = lam / death(n + 1), and with s = r / (1 - r)
 *     sum_{k>n} p_k           <= p_n s,
 *     sum_{k>n} (k - c) p_k   <= p_n s ((n - c) + 1 / (1 - r)). */
static int chain_extent(const struct qt_chain *q, size_t *states, double *log_mass)
{
    const double log_tail = log(QT_TAIL);
    double log_lam = log(q->lam);
    double lp = 0.0, mass = 0.0;
    double queue_mass = -INFINITY, queue_moment = -INFINITY;
    size_t n = 0;
    for (;;) {
        if (q->cap != QT_NO_CAP && n == q->cap)
            break;
        if (n >= q->c) {
            queue_mass = log_add(queue_mass, lp);
            if (n > q->c)
                queue_moment = log_add(queue_moment, lp + log((double)(n - q->c)));
        }
        if (q->cap == QT_NO_CAP && n > q->c) {
            double r = q->lam / death_rate(q, n + 1);
            if (r < 1.0) {
                double log_s = log(r) - gsl_sf_log_1plusx(-r);
                double log_moment = log((double)(n - q->c) + 1.0 / (1.0 - r));
                if (lp + log_s - queue_mass < log_tail &&
                    lp + log_s + log_moment - queue_moment < log_tail)
                    break;
            }
        }
        if (n + 1 >= QT_MAX_STATES)
            return QT_ERR;
        n++;
        lp += log_lam - log(death_rate(q, n));
        mass = log_add(mass, lp);
    }
    *states = n + 1;
    *log_mass = mass;
    return QT_OK;
}

int qt_chain_solve(const struct qt_chain *q, struct qt_chain_result *out,
                   double *p, size_t p_len)
{
    if (!chain_valid(q))
        return QT_ERR;
    size_t states;
    double log_mass;
    if (chain_extent(q, &states, &log_mass) != QT_OK)
        return QT_ERR;

    double log_lam = log(q->lam), lp = 0.0;
    double p_wait = 0.0, p_idle = 0.0, p_last = 0.0;
    double lq = 0.0, l = 0.0, busy = 0.0;
    for (size_t n = 0; n < states; n++) {
        if (n > 0)
            lp += log_lam - log(death_rate(q, n));
        double pn = exp(lp - log_mass);
        if (p != NULL && n < p_len)
            p[n] = pn;
        if (n < q->c)
            p_idle += pn;
        else if (q->cap == QT_NO_CAP || n < q->cap)
            p_wait += pn;
        l += (double)n * pn;
        busy += (double)(n < q->c ? n : q->c) * pn;
        if (n > q->c)
            lq += (double)(n - q->c) * pn;
        p_last = pn;
    }
    out->states = states;
    out->p_block = q->cap == QT_NO_CAP ? 0.0 : p_last;
    out->p_wait = p_wait;
    out->p_idle = p_idle;
    out->lq = lq;
    out->l = l;
    out->utilization = busy / (double)q->c;
    out->p_abandon = q->theta * lq / q->lam;
    out->wait_mean = lq / q->lam;
    return QT_OK;
}

/* ---- closed forms --------------------------------------------------------- */

/* With N ~ Poisson(a), the terms of Erlang C are S = sum_{k<c} a^k/k! =
 * e^a P(N < c) = e^a Q(c, a) (regularised upper incomplete gamma) and
 * T = a^c/c! = e^a P(N = c), so
 *     C = T c/(c-a) / (S + T c/(c-a)) = 1 / (1 + (1 - a/c) S/T),
 * where S/T is formed in logs: T alone underflows for large c. */
double qt_erlang_c(unsigned c, double a)
{
    double cd = (double)c;
    if (c == 0 || !(a > 0.0) || !(a < cd))
        return NAN;
    gsl_sf_result q, lg;
    if (gsl_sf_gamma_inc_Q_e(cd, a, &q) != GSL_SUCCESS ||
        gsl_sf_lngamma_e(cd + 1.0, &lg) != GSL_SUCCESS || !(q.val > 0.0))
        return NAN;
    double log_t = cd * log(a) - a - lg.val;
    double x = gsl_sf_log_1plusx(-a / cd) + log(q.val) - log_t;
    /* 1 / (1 + e^x), written so that neither branch overflows. */
    if (x > 0.0) {
        double e = exp(-x);
        return e / (1.0 + e);
    }
    return 1.0 / (1.0 + exp(x));
}

double qt_erlang_c_wait(unsigned c, double lam, double mu)
{
    if (!(mu > 0.0))
        return NAN;
    return qt_erlang_c(c, lam / mu) / ((double)c * mu - lam);
}

/* The wait W of an M/M/c FIFO arrival is 0 with probability 1 - C and
 * exponential with rate c mu - lam otherwise, so
 * E[1 - e^{-theta W}] = C (1 - (c mu - lam) / (c mu - lam + theta)). */
double qt_decay_cold(unsigned c, double lam, double mu, double theta)
{
    if (!(theta >= 0.0) || !(mu > 0.0))
        return NAN;
    return qt_erlang_c(c, lam / mu) * theta / ((double)c * mu - lam + theta);
}

double qt_erlang_a_abandon(unsigned c, double lam, double mu, double theta)
{
    struct qt_chain q = {.lam = lam, .mu = mu, .theta = theta, .c = c, .cap = QT_NO_CAP};
    struct qt_chain_result r;
    if (qt_chain_solve(&q, &r, NULL, 0) != QT_OK)
        return NAN;
    return r.p_abandon;
}

double qt_mmck_block(unsigned c, double lam, double mu, size_t cap)
{
    if (cap == QT_NO_CAP)
        return NAN;
    struct qt_chain q = {.lam = lam, .mu = mu, .theta = 0.0, .c = c, .cap = cap};
    struct qt_chain_result r;
    if (qt_chain_solve(&q, &r, NULL, 0) != QT_OK)
        return NAN;
    return r.p_block;
}
