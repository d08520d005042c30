/* SPDX-License-Identifier: MIT */
#include "sim/msm.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_qrng.h>

#include "sim/mem.h"

/* Eigenvalues of A below this share of the largest are taken as zero: the
 * direction is not identified. */
#define MSM_RANK_TOL 1e-9

static bool msm_used(const struct msm *p, size_t j)
{
    return p->w[j] > 0 && !isnan(p->obs[j]);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* A = G'WG and g = G'W(obs - m) over the moments used and, when m is
 * given, defined in m (g is then left alone when m is NULL). */
static void normal_equations(const struct msm *p, const double *G, const double *m, double *A,
                             double *g)
{
    size_t k = p->k;
    memset(A, 0, k * k * sizeof *A);
    if (m != NULL)
        memset(g, 0, k * sizeof *g);
    for (size_t j = 0; j < p->n; j++) {
        if (!msm_used(p, j) || (m != NULL && isnan(m[j])))
            continue;
        const double *row = &G[j * k];
        for (size_t a = 0; a < k; a++) {
            if (m != NULL)
                g[a] += row[a] * p->w[j] * (p->obs[j] - m[j]);
            for (size_t c = 0; c < k; c++)
                A[a * k + c] += row[a] * p->w[j] * row[c];
        }
    }
}

/* The symmetric k x k A's pseudo-inverse into Ainv, and in null[i]
 * whether parameter i loads on a direction A does not see. */
static void pseudo_inverse(const double *A, size_t k, double *Ainv, bool *null)
{
    gsl_matrix *M = gsl_matrix_alloc(k, k), *vec = gsl_matrix_alloc(k, k);
    gsl_vector *val = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(k);
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < k; c++)
            gsl_matrix_set(M, a, c, A[a * k + c]);
    gsl_eigen_symmv(M, val, vec, ws);
    double top = 0;
    for (size_t e = 0; e < k; e++)
        top = fmax(top, gsl_vector_get(val, e));
    memset(Ainv, 0, k * k * sizeof *Ainv);
    for (size_t i = 0; i < k; i++)
        null[i] = false;
    for (size_t e = 0; e < k; e++) {
        double l = gsl_vector_get(val, e);
        bool zero = !(top > 0) || l <= MSM_RANK_TOL * top;
        for (size_t a = 0; a < k; a++) {
            double va = gsl_matrix_get(vec, a, e);
            if (zero) {
                if (fabs(va) > 1e-3)
                    null[a] = true;
                continue;
            }
            for (size_t c = 0; c < k; c++)
                Ainv[a * k + c] += va * gsl_matrix_get(vec, c, e) / l;
        }
    }
    gsl_eigen_symmv_free(ws);
    gsl_vector_free(val);
    gsl_matrix_free(M);
    gsl_matrix_free(vec);
}

/* Least squares of each moment on (1, u - c) over the N points us[] with
 * moments ms[] (N x n): the intercepts into a, the slopes into G.  A
 * moment defined at fewer than k + 2 points gets its mean and no slope. */
static void surface_fit(const struct msm *p, const double *c, const double *us,
                        const double *ms, size_t N, double *a, double *G)
{
    size_t k = p->k, n = p->n, q = k + 1;
    gsl_matrix *X = gsl_matrix_alloc(q, q);
    gsl_vector *b = gsl_vector_alloc(q), *x = gsl_vector_alloc(q);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    for (size_t j = 0; j < n; j++) {
        gsl_matrix_set_zero(X);
        gsl_vector_set_zero(b);
        size_t defined = 0;
        double sum = 0;
        for (size_t r = 0; r < N; r++) {
            double y = ms[r * n + j];
            if (isnan(y))
                continue;
            double row[MSM_MAX_PARAMS + 1];
            row[0] = 1;
            for (size_t i = 0; i < k; i++)
                row[i + 1] = us[r * k + i] - c[i];
            for (size_t s = 0; s < q; s++) {
                for (size_t t = 0; t < q; t++)
                    *gsl_matrix_ptr(X, s, t) += row[s] * row[t];
                *gsl_vector_ptr(b, s) += row[s] * y;
            }
            defined++;
            sum += y;
        }
        for (size_t i = 0; i < k; i++)
            G[j * k + i] = 0;
        a[j] = defined ? sum / (double)defined : NAN;
        if (defined < k + 2)
            continue;
        /* a coordinate the design could not vary (pinned at a bound) */
        for (size_t s = 1; s < q; s++)
            if (!(gsl_matrix_get(X, s, s) > 1e-12))
                gsl_matrix_set(X, s, s, 1);
        if (gsl_linalg_cholesky_decomp1(X) != 0 || gsl_linalg_cholesky_solve(X, b, x) != 0)
            continue;
        a[j] = gsl_vector_get(x, 0);
        for (size_t i = 0; i < k; i++)
            G[j * k + i] = gsl_vector_get(x, i + 1);
    }
    gsl_set_error_handler(old);
    gsl_matrix_free(X);
    gsl_vector_free(b);
    gsl_vector_free(x);
}

int msm_local(struct msm *p, double *u, double delta, unsigned N, unsigned max_rounds,
              double *G, struct sim_err *err)
{
    assert(p->k <= MSM_MAX_PARAMS && N > p->k + 1);
    size_t k = p->k, n = p->n;
    double *us = sim_calloc((size_t)N * k, sizeof *us);
    double *ms = sim_calloc((size_t)N * (n ? n : 1), sizeof *ms);
    double *a = sim_calloc(n ? n : 1, sizeof *a);
    int rc = SIM_OK;
    for (unsigned round = 0; round < max_rounds && rc == SIM_OK; round++) {
        /* the design: the centre, then a Sobol sequence over the box.
         * GSL's sequence starts at the cube's centre, which would be this
         * box's centre again: an evaluation paid for twice (a simulation
         * at one point gives the same moments each time), so it is
         * skipped. */
        gsl_qrng *qr = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)k);
        double v[MSM_MAX_PARAMS];
        gsl_qrng_get(qr, v);
        for (unsigned r = 0; r < N && rc == SIM_OK; r++) {
            double jv;
            if (r > 0)
                gsl_qrng_get(qr, v);
            for (size_t i = 0; i < k; i++)
                us[r * k + i] = r == 0 ? u[i] : clamp01(u[i] + delta * (2 * v[i] - 1));
            if ((rc = p->eval(p->user, &us[r * k], &ms[r * n], &jv, err)) == SIM_OK)
                p->evals++;
        }
        gsl_qrng_free(qr);
        if (rc != SIM_OK)
            break;
        surface_fit(p, u, us, ms, N, a, G);
        /* Gauss-Newton on the surface: A d = G'W (obs - a) */
        double A[MSM_MAX_PARAMS * MSM_MAX_PARAMS], g[MSM_MAX_PARAMS];
        double Ainv[MSM_MAX_PARAMS * MSM_MAX_PARAMS], d[MSM_MAX_PARAMS], longest = 0;
        bool null[MSM_MAX_PARAMS];
        normal_equations(p, G, a, A, g);
        pseudo_inverse(A, k, Ainv, null);
        for (size_t i = 0; i < k; i++) {
            d[i] = 0;
            for (size_t c = 0; c < k; c++)
                d[i] += Ainv[i * k + c] * g[c];
            longest = fmax(longest, fabs(d[i]));
        }
        /* a step beyond the box is cut to twice its half-width: the
         * surface is trusted only near its design */
        double cut = longest > 2 * delta ? 2 * delta / longest : 1;
        for (size_t i = 0; i < k; i++)
            u[i] = clamp01(u[i] + cut * d[i]);
        if (longest <= delta / 2)
            break;      /* the minimum is near the centre: G is its slope */
    }
    free(us);
    free(ms);
    free(a);
    return rc;
}

void msm_covariance(const struct msm *p, const double *G, const double *each, size_t M,
                    struct msm_cov *out)
{
    assert(M >= 2 && p->k <= MSM_MAX_PARAMS);
    size_t k = p->k, n = p->n;
    memset(out, 0, sizeof *out);
    /* The used moments, and their replications centred (an undefined
     * value replaced by the others' mean: no deviation). */
    size_t *use = sim_calloc(n ? n : 1, sizeof *use), nu = 0;
    for (size_t j = 0; j < n; j++)
        if (msm_used(p, j))
            use[nu++] = j;
    double *dev = sim_calloc(M * (nu ? nu : 1), sizeof *dev);
    for (size_t a = 0; a < nu; a++) {
        size_t j = use[a], defined = 0;
        double mean = 0;
        for (size_t r = 0; r < M; r++)
            if (!isnan(each[r * n + j])) {
                mean += each[r * n + j];
                defined++;
            }
        mean = defined ? mean / (double)defined : 0;
        for (size_t r = 0; r < M; r++)
            dev[r * nu + a] = isnan(each[r * n + j]) ? 0 : each[r * n + j] - mean;
    }
    /* z_r = G'W dev_r: the middle G'W Omega W G is their covariance, and
     * H dev_r = G A^-1 z_r is the part of dev_r the estimate absorbs. */
    double *z = sim_calloc(M * k, sizeof *z);
    double A[MSM_MAX_PARAMS * MSM_MAX_PARAMS], mid[MSM_MAX_PARAMS * MSM_MAX_PARAMS] = {0};
    normal_equations(p, G, NULL, A, NULL);
    for (size_t r = 0; r < M; r++) {
        double *zr = &z[r * k];
        for (size_t a = 0; a < nu; a++)
            for (size_t x = 0; x < k; x++)
                zr[x] += G[use[a] * k + x] * p->w[use[a]] * dev[r * nu + a];
        for (size_t x = 0; x < k; x++)
            for (size_t y = 0; y < k; y++)
                mid[x * k + y] += zr[x] * zr[y] / (double)(M - 1);
    }
    double Ainv[MSM_MAX_PARAMS * MSM_MAX_PARAMS];
    bool null[MSM_MAX_PARAMS];
    pseudo_inverse(A, k, Ainv, null);
    double f = 1 + 1.0 / (p->reps ? p->reps : 1);
    for (size_t x = 0; x < k; x++)
        for (size_t y = 0; y < k; y++) {
            double v = 0;
            for (size_t s = 0; s < k; s++)
                for (size_t t = 0; t < k; t++)
                    v += Ainv[x * k + s] * mid[s * k + t] * Ainv[t * k + y];
            out->V[x * k + y] = f * v;
        }
    for (size_t x = 0; x < k; x++)
        out->sd[x] = null[x] ? INFINITY : sqrt(fmax(out->V[x * k + x], 0));
    /* J's reference (msm.h): B = W C over the used moments, C the
     * covariance of P eps_data + H eps_fit - eps_M, estimated from each
     * deviation's two parts, hd_r = H dev_r and P dev_r = dev_r - hd_r. */
    double *hd = sim_calloc(M * (nu ? nu : 1), sizeof *hd);
    double fit_noise = 1.0 / (p->reps ? p->reps : 1), check_noise = 1.0 / (double)M;
    for (size_t r = 0; r < M; r++) {
        double c[MSM_MAX_PARAMS] = {0};
        for (size_t x = 0; x < k; x++)
            for (size_t y = 0; y < k; y++)
                c[x] += Ainv[x * k + y] * z[r * k + y];
        for (size_t a = 0; a < nu; a++)
            for (size_t x = 0; x < k; x++)
                hd[r * nu + a] += G[use[a] * k + x] * c[x];
    }
    /* tr(B) = sum_a w_a C_aa; tr(B^2) = sum_ab w_a C_ab w_b C_ba. */
    double tr = 0, tr2 = 0;
    for (size_t a = 0; a < nu; a++)
        for (size_t b = 0; b < nu; b++) {
            double c = 0;
            for (size_t r = 0; r < M; r++) {
                size_t ra = r * nu + a, rb = r * nu + b;
                c += (dev[ra] - hd[ra]) * (dev[rb] - hd[rb]) + fit_noise * hd[ra] * hd[rb] +
                     check_noise * dev[ra] * dev[rb];
            }
            c /= (double)(M - 1);
            if (a == b)
                tr += p->w[use[a]] * c;
            tr2 += p->w[use[a]] * c * p->w[use[b]] * c;
        }
    /* C is estimated from nu_df = M - 1 deviations, and tr((WC)^2) sums
     * nu^2 squared entries each inflated by its noise: for a Wishart
     * estimate, E[tr((WC)^2)] = t2 (1 + 1/nu_df) + t1^2 / nu_df and
     * E[tr(WC)^2] = t1^2 + 2 t2 / nu_df, solved here for t2. */
    double nu_df = (double)(M - 1);
    tr2 = (tr2 - tr * tr / nu_df) / (1 + 1 / nu_df - 2 / (nu_df * nu_df));
    if (tr > 0 && tr2 > 0 && nu > k) {
        /* d cannot exceed the moments' count less the keys' (the
         * correction can overshoot when M is small against nu) */
        out->j_dof = fmin(tr * tr / tr2, (double)(nu - k));
        out->j_scale = tr / out->j_dof;
    } else {
        out->j_scale = out->j_dof = NAN;
    }
    free(z);
    free(hd);
    free(dev);
    free(use);
}

double msm_j_pvalue(const struct msm_cov *c, double j)
{
    if (!(c->j_scale > 0) || !(c->j_dof > 0) || !isfinite(j))
        return NAN;
    return gsl_cdf_chisq_Q(j / c->j_scale, c->j_dof);
}
