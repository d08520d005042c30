/* SPDX-License-Identifier: MIT */
#include "models/moments.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/mem.h"

#define Z95 1.959963984540054

static const char *const per_channel[MOMENTS_PER_CHANNEL] = {
    "bad_fit", "theorist", "went_cold_early", "went_cold_mid", "went_cold_late",
    "unreachable_early", "unreachable_mid", "unreachable_late", "ttfc_p50", "ttfc_p90",
    "conversion",
};

static bool in_window(const struct moments_spec *s, const struct history_lead *l)
{
    return l->created_h >= s->from_h && l->created_h < s->to_h;
}

static bool contacted(const struct history_lead *l)
{
    return !isnan(l->first_contact_h);
}

static bool reached(const struct history_lead *l)
{
    if (l->status == HISTORY_WON || l->status == HISTORY_QUALIFIED)
        return true;
    return l->status == HISTORY_LOST && l->reason != JUNK_UNREACHABLE &&
           l->reason != JUNK_ABANDONED;
}

/* A CRM's "not interested": went_cold, and misjudged for an export that
 * maps a reason to it (a lead log never does). */
static bool went_cold(const struct history_lead *l)
{
    return l->status == HISTORY_LOST &&
           (l->reason == JUNK_WENT_COLD || l->reason == JUNK_MISJUDGED);
}

/* The spec's index of h's channel c, or -1. */
static int spec_channel(const struct moments_spec *s, const struct history *h, uint32_t c)
{
    if (c == HISTORY_NONE || c >= h->n_channels)
        return -1;
    for (size_t i = 0; i < s->n_channels; i++)
        if (strcmp(s->channel[i], h->channel[c]) == 0)
            return (int)i;
    return -1;
}

/* The (1-based rank) quantile p of the n sorted values: the order
 * statistic at ceil(n p). */
static double quantile_sorted(const double *x, size_t n, double p)
{
    size_t k = (size_t)ceil((double)n * p);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return x[k - 1];
}

/* Quantile p of n sorted values and its variance from the order
 * statistics at the ends of its distribution-free 95% interval (ranks
 * n p -+ 1.96 sqrt(n p (1-p))): ((hi - lo) / (2 x 1.96))^2, at least the
 * variance of a value rounded to a minute. */
static void quantile_with_var(const double *x, size_t n, double p, double *q, double *var)
{
    if (n == 0) {
        *q = *var = NAN;
        return;
    }
    *q = quantile_sorted(x, n, p);
    double half = Z95 * sqrt((double)n * p * (1 - p));
    double rlo = floor((double)n * p - half), rhi = ceil((double)n * p + half);
    size_t lo = rlo < 1 ? 1 : (size_t)rlo, hi = rhi > (double)n ? n : (size_t)rhi;
    double w = (x[hi - 1] - x[lo - 1]) / (2 * Z95);
    double floor_var = (1.0 / 60) * (1.0 / 60) / 12;
    *var = w * w > floor_var ? w * w : floor_var;
}

/* A rate k/n and its binomial variance, with k + 1/2 over n + 1 inside
 * the variance so that 0 and 1 keep a finite weight. */
static void rate_with_var(double k, double n, double *rate, double *var)
{
    if (n <= 0) {
        *rate = *var = NAN;
        return;
    }
    *rate = k / n;
    double p = (k + 0.5) / (n + 1);
    *var = p * (1 - p) / n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void moments_spec_init(struct moments_spec *spec, const struct history *obs, double from_h,
                       double to_h)
{
    memset(spec, 0, sizeof *spec);
    spec->from_h = from_h;
    spec->to_h = to_h > 0 ? to_h : obs->horizon_h;
    spec->n_channels = obs->n_channels < MOMENTS_CHANNELS ? obs->n_channels : MOMENTS_CHANNELS;
    double *t = sim_calloc(obs->n ? obs->n : 1, sizeof *t);
    for (size_t c = 0; c < spec->n_channels; c++) {
        spec->channel[c] = obs->channel[c];
        size_t n = 0;
        for (size_t i = 0; i < obs->n; i++) {
            const struct history_lead *l = &obs->lead[i];
            if (l->channel == c && in_window(spec, l) && contacted(l))
                t[n++] = l->first_contact_h - l->created_h;
        }
        qsort(t, n, sizeof *t, cmp_double);
        spec->split_h[c][0] = n ? quantile_sorted(t, n, 1.0 / 3) : INFINITY;
        spec->split_h[c][1] = n ? quantile_sorted(t, n, 2.0 / 3) : INFINITY;
    }
    free(t);
}

/* Counts of one channel. */
struct chan_count {
    double reached, bad_fit, theorist;
    double reached_in[3], cold[3];          /* by third of first-contact time */
    double contacted_in[3], unreach[3];
    double handed, won;
};

/* The weekly junk rate against the load: slope and its variance. */
static void junk_load_slope(const struct moments_spec *s, const struct history *h,
                            double *slope, double *var)
{
    *slope = *var = NAN;
    size_t weeks = (size_t)floor((s->to_h - s->from_h) / 168.0);
    if (weeks < 3)
        return;
    double *lost = sim_calloc(weeks, sizeof *lost), *resolved = sim_calloc(weeks, sizeof *resolved);
    double *handed = sim_calloc(weeks, sizeof *handed), *managers = sim_calloc(weeks, sizeof *managers);
    /* owner o last counted in week seen[o] - 1 */
    size_t *seen = sim_calloc(h->n_owners ? h->n_owners : 1, sizeof *seen);
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        if (!in_window(s, l))
            continue;
        size_t w = (size_t)((l->created_h - s->from_h) / 168.0);
        if (w >= weeks || l->status == HISTORY_DISQUALIFIED)
            continue;
        handed[w]++;
        if (l->status != HISTORY_OPEN)
            resolved[w]++;
        if (l->status == HISTORY_LOST)
            lost[w]++;
        if (l->owner != HISTORY_NONE && l->owner < h->n_owners && seen[l->owner] != w + 1) {
            seen[l->owner] = w + 1;
            managers[w]++;
        }
    }
    double *x = sim_calloc(weeks, sizeof *x), *y = sim_calloc(weeks, sizeof *y);
    size_t n = 0;
    for (size_t w = 0; w < weeks; w++) {
        if (resolved[w] < MOMENTS_WEEK_MIN)
            continue;
        x[n] = handed[w] / (managers[w] > 0 ? managers[w] : 1);
        y[n] = lost[w] / resolved[w];
        n++;
    }
    if (n >= 3) {
        double mx = gsl_stats_mean(x, 1, n), my = gsl_stats_mean(y, 1, n);
        double sxx = 0, sxy = 0;
        for (size_t i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (sxx > 0) {
            double b = sxy / sxx, a = my - b * mx, rss = 0;
            for (size_t i = 0; i < n; i++)
                rss += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
            *slope = b;
            *var = rss / (double)(n - 2) / sxx;
            if (!(*var > 0))
                *var = 1e-12 / sxx;
        }
    }
    free(x);
    free(y);
    free(lost);
    free(resolved);
    free(handed);
    free(managers);
    free(seen);
}

void moments_compute(const struct moments_spec *s, const struct history *h, struct moments *m)
{
    size_t nc = s->n_channels;
    struct chan_count cnt[MOMENTS_CHANNELS];
    memset(cnt, 0, sizeof cnt);
    int map[MOMENTS_CHANNELS * 4];
    size_t nmap = h->n_channels < sizeof map / sizeof map[0] ? h->n_channels
                                                             : sizeof map / sizeof map[0];
    for (size_t c = 0; c < nmap; c++)
        map[c] = spec_channel(s, h, (uint32_t)c);
    double *t = sim_calloc(h->n ? h->n : 1, sizeof *t);
    m->n = 0;
    for (size_t c = 0; c < nc; c++) {
        struct chan_count *k = &cnt[c];
        size_t n = 0;
        for (size_t i = 0; i < h->n; i++) {
            const struct history_lead *l = &h->lead[i];
            if (l->channel >= nmap || map[l->channel] != (int)c || !in_window(s, l))
                continue;
            if (l->status != HISTORY_DISQUALIFIED)
                k->handed++;
            if (l->status == HISTORY_WON)
                k->won++;
            if (contacted(l)) {
                double ttfc = l->first_contact_h - l->created_h;
                t[n++] = ttfc;
                int third = ttfc <= s->split_h[c][0] ? 0 : ttfc <= s->split_h[c][1] ? 1 : 2;
                k->contacted_in[third]++;
                k->unreach[third] += l->status == HISTORY_LOST && l->reason == JUNK_UNREACHABLE;
                if (reached(l)) {
                    k->reached_in[third]++;
                    k->cold[third] += went_cold(l);
                }
            }
            if (reached(l)) {
                k->reached++;
                k->bad_fit += l->status == HISTORY_LOST && l->reason == JUNK_BAD_FIT;
                k->theorist += l->status == HISTORY_LOST && l->reason == JUNK_THEORIST;
            }
        }
        qsort(t, n, sizeof *t, cmp_double);
        size_t b = m->n;
        rate_with_var(k->bad_fit, k->reached, &m->value[b], &m->var[b]);
        rate_with_var(k->theorist, k->reached, &m->value[b + 1], &m->var[b + 1]);
        for (int i = 0; i < 3; i++) {
            rate_with_var(k->cold[i], k->reached_in[i], &m->value[b + 2 + i], &m->var[b + 2 + i]);
            rate_with_var(k->unreach[i], k->contacted_in[i], &m->value[b + 5 + i],
                          &m->var[b + 5 + i]);
        }
        quantile_with_var(t, n, 0.5, &m->value[b + 8], &m->var[b + 8]);
        quantile_with_var(t, n, 0.9, &m->value[b + 9], &m->var[b + 9]);
        rate_with_var(k->won, k->handed, &m->value[b + 10], &m->var[b + 10]);
        for (size_t j = 0; j < MOMENTS_PER_CHANNEL; j++)
            snprintf(m->name[b + j], MOMENTS_NAME_MAX, "%.40s:%s", s->channel[c], per_channel[j]);
        m->n += MOMENTS_PER_CHANNEL;
    }
    free(t);
    size_t b = m->n++;
    snprintf(m->name[b], MOMENTS_NAME_MAX, "junk_load_slope");
    junk_load_slope(s, h, &m->value[b], &m->var[b]);
}

void moments_mean(const struct moments *each, size_t n, struct moments *mean, unsigned *n_def)
{
    if (n == 0) {
        mean->n = 0;
        return;
    }
    mean->n = each[0].n;
    for (size_t j = 0; j < mean->n; j++) {
        memcpy(mean->name[j], each[0].name[j], MOMENTS_NAME_MAX);
        double sum = 0, vsum = 0;
        unsigned k = 0;
        for (size_t r = 0; r < n; r++)
            if (!isnan(each[r].value[j])) {
                sum += each[r].value[j];
                vsum += each[r].var[j];
                k++;
            }
        mean->value[j] = k ? sum / k : NAN;
        mean->var[j] = k ? vsum / k / k : NAN;     /* of the mean */
        if (n_def != NULL)
            n_def[j] = k;
    }
}

void moments_week_bootstrap(const struct moments_spec *s, const struct history *h, unsigned B,
                            uint64_t seed, struct moments *m)
{
    size_t weeks = (size_t)ceil((s->to_h - s->from_h) / 168.0);
    if (B < 2 || weeks < 2)
        return;
    /* The window's leads by week: first[w] .. first[w + 1] in `idx`. */
    size_t *first = sim_calloc(weeks + 1, sizeof *first);
    size_t *idx = sim_calloc(h->n ? h->n : 1, sizeof *idx);
    for (size_t i = 0; i < h->n; i++)
        if (in_window(s, &h->lead[i]))
            first[(size_t)((h->lead[i].created_h - s->from_h) / 168.0) + 1]++;
    for (size_t w = 0; w < weeks; w++)
        first[w + 1] += first[w];
    size_t *fill = sim_calloc(weeks, sizeof *fill);
    for (size_t i = 0; i < h->n; i++)
        if (in_window(s, &h->lead[i])) {
            size_t w = (size_t)((h->lead[i].created_h - s->from_h) / 168.0);
            idx[first[w] + fill[w]++] = i;
        }
    size_t most = 1;      /* the largest week: a resampling holds at most weeks x most */
    for (size_t w = 0; w < weeks; w++)
        if (first[w + 1] - first[w] > most)
            most = first[w + 1] - first[w];
    struct history b = *h;
    b.lead = sim_calloc(weeks * most, sizeof *b.lead);
    double *sum = sim_calloc(m->n, sizeof *sum), *sum2 = sim_calloc(m->n, sizeof *sum2);
    unsigned *cnt = sim_calloc(m->n, sizeof *cnt);
    struct moments *r = sim_calloc(1, sizeof *r);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
    for (unsigned k = 0; k < B; k++) {
        b.n = 0;
        for (size_t slot = 0; slot < weeks; slot++) {
            size_t w = (size_t)gsl_rng_uniform_int(rng, weeks);
            double shift = ((double)slot - (double)w) * 168.0;
            for (size_t j = first[w]; j < first[w + 1]; j++) {
                struct history_lead l = h->lead[idx[j]];
                l.created_h += shift;
                l.first_contact_h += shift;
                l.closed_h += shift;
                b.lead[b.n++] = l;
            }
        }
        moments_compute(s, &b, r);
        for (size_t j = 0; j < m->n && j < r->n; j++)
            if (!isnan(r->value[j])) {
                sum[j] += r->value[j];
                sum2[j] += r->value[j] * r->value[j];
                cnt[j]++;
            }
    }
    for (size_t j = 0; j < m->n; j++) {
        if (cnt[j] < 2 || isnan(m->var[j]))
            continue;
        double mean = sum[j] / cnt[j];
        double v = (sum2[j] - cnt[j] * mean * mean) / (cnt[j] - 1);
        if (v > m->var[j])
            m->var[j] = v;
    }
    gsl_rng_free(rng);
    free(r);
    free(sum);
    free(sum2);
    free(cnt);
    free(b.lead);
    free(fill);
    free(idx);
    free(first);
}
