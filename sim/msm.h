/*
 * msm.h - the method of simulated moments near its minimum: the moments'
 * Jacobian, a Levenberg-Marquardt polish of a search's best point, the
 * estimate's covariance (the sandwich) and the J statistic's reference
 * distribution.
 *
 * Concept: a model maps k parameters u, each scaled to [0, 1], to the mean
 * m(u) of n moments over R simulated replications that use the same
 * random streams at every u (common random numbers).  The data give the
 * observed moments m_obs and weights w_j (1 / the observed moment's
 * variance; W = diag(w)).  The estimate minimises
 *
 *     J(u) = sum_j w_j (m_obs_j - m_j(u))^2 / (1 + 1/R).
 *
 * Near the minimum, with G the n x k Jacobian of m, A = G'WG and Omega the
 * covariance of one replication's moments (a replication being a history
 * of the observed one's size, so that Omega is also the data's):
 *
 *     cov(u_hat) = (1 + 1/R) A^-1 (G'W Omega W G) A^-1,
 *
 * the sandwich of a weighted least-squares estimator, the 1 + 1/R being
 * the simulated mean's own noise (Pakes and Pollard 1989; McFadden 1989).
 * With the residuals e = P eps, P = I - G A^-1 G'W and eps of covariance
 * (1 + 1/R) Omega, J is the quadratic form eps'P'WP eps / (1 + 1/R).  W is
 * diagonal and the moments are correlated (the thirds of went_cold share
 * their leads), so J is not chi-square on n - k degrees of freedom; its
 * mean tr(B) and variance 2 tr(B^2), B = W P Omega P', give the scaled
 * chi-square a chi2(d) with the same two (Satterthwaite's approximation):
 * a = tr(B^2) / tr(B), d = tr(B)^2 / tr(B^2).
 *
 * The estimate and G come from a local response surface, not from J's
 * minimum among the points tried.  A queueing simulation does not keep
 * common random numbers smooth: a lead judged differently finishes at
 * another time, and every later event of that manager moves, so J at
 * R = 10 is rough at every scale (a step of 0.003 in a probability can
 * move it by 2) and the lowest J seen is partly the luckiest draw.
 * msm_local() therefore evaluates N points of a Sobol design in a box of
 * half-width delta around a centre, regresses each moment on u by least
 * squares (intercept a, slopes G: the Jacobian, its noise averaged over
 * the N points), and moves the centre to the minimum of the linearised J,
 * sum_j w_j (m_obs_j - a_j - G_j (u - c))^2 (Gauss-Newton on the
 * surface), until that minimum lies inside the box.  Cost: N evaluations
 * a round, a few rounds.  Omega is estimated from M replications at the
 * estimate with streams apart from the fit's (msm_covariance() takes
 * their moments), and the J test uses those M: J is computed by the caller
 * as sum_j w_j (m_obs_j - mean of the M)^2, whose residual is
 * P eps_data + H eps_fit - eps_M (H = G A^-1 G'W), of covariance
 * P Omega P' + H Omega H' / R + Omega / M, the reference's B being W times
 * that (the fit's own noise is counted as R replications: an upper bound,
 * the surface averaging over its N points).
 *
 * A moment enters where its weight is positive and m_obs is a number.  A
 * moment the model leaves undefined at a point of the differences gets a
 * zero row in G there: it says nothing of u.  A direction of u that no
 * moment moves (a singular A) has an infinite variance: the keys along it
 * are not identified by the data, and msm_covariance() says so.
 *
 * Ownership: all arrays are the caller's; n x k matrices are row major
 * (G[j * k + i]).  Nothing is kept between calls.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_MSM_H
#define SIM_MSM_H

#include <stddef.h>

#include "sim/err.h"

#define MSM_MAX_PARAMS 16

/* The model's mean moments m[0..n) and the objective *j at unit point u.
 * SIM_OK, or an error (which stops the caller's work and is returned). */
typedef int (*msm_eval_fn)(void *user, const double *u, double *m, double *j,
                           struct sim_err *err);

struct msm {
    size_t k;                   /* parameters, at most MSM_MAX_PARAMS */
    size_t n;                   /* moments */
    const double *obs;          /* n observed moments; NAN: not used */
    const double *w;            /* n weights; 0: not used */
    unsigned reps;              /* R, replications in each simulated mean */
    msm_eval_fn eval;
    void *user;
    unsigned evals;             /* evaluations made through this struct */
};

/* The response surface (see above) from centre u (in: the search's best
 * point; out: the estimate), boxes of half-width delta, N design points a
 * round, at most max_rounds rounds.  On return G (n x k) holds the slopes
 * of the last round's surface.  SIM_OK or the evaluation's error. */
int msm_local(struct msm *p, double *u, double delta, unsigned N, unsigned max_rounds,
              double *G, struct sim_err *err);

struct msm_cov {
    double V[MSM_MAX_PARAMS * MSM_MAX_PARAMS];  /* cov(u_hat), k x k */
    double sd[MSM_MAX_PARAMS];  /* standard errors on the unit scale;
                                   INFINITY: not identified */
    double j_scale, j_dof;      /* J's reference: j_scale x chi2(j_dof) */
};

/* The covariance of the estimate and J's reference distribution from G
 * (n x k, at the estimate) and each[M x n], the moments of M single
 * replications there (NAN where one is undefined: it is replaced by the
 * others' mean), J being the caller's over their mean (see above).
 * M >= 2. */
void msm_covariance(const struct msm *p, const double *G, const double *each, size_t M,
                    struct msm_cov *out);

/* The J test's p value for J under out's reference; NAN without one. */
double msm_j_pvalue(const struct msm_cov *c, double j);

#endif
