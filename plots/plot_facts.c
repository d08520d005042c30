/* SPDX-License-Identifier: MIT */
/*
 * plot_facts.c - the numbers a 1-D sweep's charts and report are built on
 * (plot_facts.h, where struct plot_facts defines each).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_facts.h"
#include "sim/feasible.h"
#include "sim/mem.h"

double plot_facts_per_month(double total, double horizon_days, double warmup_days)
{
    double days = horizon_days - warmup_days;
    return days > 0 ? total / days * PLOT_FACTS_DAYS_PER_MONTH : NAN;
}

const char *const plot_facts_reason_words[JUNK_REASONS] = {
    "bad fit", "theorists", "unreachable", "went cold", "misjudged", "abandoned",
};

bool plot_facts_values_whole(const struct plot_sweep *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->pts[i].value != floor(s->pts[i].value))
            return false;
    return true;
}

double plot_facts_interp(const size_t *order, size_t n, const double *xs, const double *ys,
                         double x)
{
    if (n == 0 || !isfinite(x))
        return NAN;
    for (size_t i = 0; i < n; i++) {
        double xi = xs[order[i]];
        if (x == xi)
            return ys[order[i]];
        if (i + 1 < n) {
            double xj = xs[order[i + 1]];
            if (x > xi && x < xj)
                return ys[order[i]] + (ys[order[i + 1]] - ys[order[i]]) * (x - xi) / (xj - xi);
        }
    }
    return NAN;
}

double plot_facts_first_rise(const size_t *order, size_t n, const double *xs,
                             const double *ys, double level, bool from_end)
{
    /* The feasible set's extreme (sim/feasible.h, the rule `size` uses),
     * then the crossing to its neighbour outside the set. */
    double *sorted = sim_reallocarray(NULL, n > 0 ? n : 1, sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = ys[order[i]];
    size_t i = sim_feasible_extreme(sorted, n, level, !from_end);
    free(sorted);
    if (i == n)
        return NAN;
    size_t j = from_end ? i - 1 : i + 1;    /* wraps below 0 */
    if (j >= n)
        return NAN;
    size_t a = order[i], b = order[j];
    return xs[a] + (xs[b] - xs[a]) * (level - ys[a]) / (ys[b] - ys[a]);
}

static const struct plot_point *sort_pts;

static int by_value(const void *a, const void *b)
{
    double x = sort_pts[*(const size_t *)a].value, y = sort_pts[*(const size_t *)b].value;
    return (x > y) - (x < y);
}

/* x where the polyline (x_i, y_i) first crosses level, or NAN. */
static double crossing(const double *x, const double *y, size_t n, double level)
{
    for (size_t i = 0; i + 1 < n; i++) {
        double a = y[i] - level, b = y[i + 1] - level;
        if (a == 0)
            return x[i];
        if ((a < 0 && b > 0) || (a > 0 && b < 0))
            return x[i] + (x[i + 1] - x[i]) * a / (a - b);
    }
    return n > 0 && y[n - 1] == level ? x[n - 1] : NAN;
}

/* Which reasons rise with load (see struct plot_facts). */
static void rising_reasons(const struct plot_sweep *s, struct plot_facts *f)
{
    size_t lo = 0, hi = 0;
    for (size_t i = 1; i < s->n; i++) {
        if (s->pts[i].load < s->pts[lo].load)
            lo = i;
        if (s->pts[i].load > s->pts[hi].load)
            hi = i;
    }
    f->low_load = lo;
    f->high_load = hi;
    f->load_varies = s->n > 1 && s->pts[hi].load > s->pts[lo].load;
    f->n_rising = 0;
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        const struct plot_ci *a = &s->pts[lo].reason[r], *b = &s->pts[hi].reason[r];
        bool apart = isfinite(a->hi) && isfinite(b->lo) ? b->lo > a->hi : true;
        f->rises[r] = f->load_varies && b->mean - a->mean >= PLOT_FACTS_RISE_MIN && apart;
        f->n_rising += f->rises[r];
    }
}

/* The Kneedle rule on the sorted curve (see struct plot_facts). */
static size_t knee_of(const struct plot_sweep *s, const size_t *ord, size_t n)
{
    if (n < 3)
        return (size_t)-1;
    const struct plot_point *a = &s->pts[ord[0]], *b = &s->pts[ord[n - 1]];
    bool moves = (b->junk.mean > a->junk.hi || b->junk.mean < a->junk.lo) &&
                 (a->junk.mean > b->junk.hi || a->junk.mean < b->junk.lo);
    if (!moves || !(b->value > a->value))
        return (size_t)-1;
    double slope = (b->junk.mean - a->junk.mean) / (b->value - a->value);
    double best = 0.0;
    size_t knee = (size_t)-1;
    for (size_t i = 1; i + 1 < n; i++) {
        const struct plot_point *p = &s->pts[ord[i]];
        double gap = a->junk.mean + slope * (p->value - a->value) - p->junk.mean;
        if (gap > best) {
            best = gap;
            knee = ord[i];
        }
    }
    return knee;
}

void plot_facts_compute(const struct plot_sweep *s, double target, struct plot_facts *f)
{
    memset(f, 0, sizeof *f);
    f->n = s->n;
    f->knee = (size_t)-1;
    f->cap_value = f->cap_offered = f->threshold = f->edge = NAN;
    f->today = f->today_junk = f->today_wasted_month = f->today_revenue_month = NAN;
    f->inflow = s->axis.tag == PLOT_TAG_INFLOW;
    size_t n = s->n;
    f->order = sim_reallocarray(NULL, n, sizeof *f->order);
    double *buf = sim_calloc(n, 7 * sizeof *buf);
    for (size_t i = 0; i < n; i++)
        f->order[i] = i;
    sort_pts = s->pts;
    qsort(f->order, n, sizeof *f->order, by_value);
    sort_pts = NULL;

    /* Sorted copies, for the crossings; raw (point-indexed) ones for
     * plot_facts_interp(), which takes the order. */
    double *x = buf, *load = buf + n, *junk = buf + 2 * n, *off = buf + 3 * n;
    double *raw_x = buf + 4 * n, *raw_junk = buf + 5 * n, *raw_money = buf + 6 * n;
    for (size_t i = 0; i < n; i++) {
        const struct plot_point *p = &s->pts[f->order[i]];
        x[i] = p->value;
        load[i] = p->load;
        junk[i] = p->junk.mean;
        off[i] = p->offered;
        raw_x[i] = s->pts[i].value;
        raw_junk[i] = s->pts[i].junk.mean;
    }
    /* Which end of the feasible set is the answer: the key table's tag
     * (an inflow: the largest; a head count: the smallest), else the
     * direction of the ends. */
    if (f->inflow)
        f->rising = true;
    else if (s->axis.tag == PLOT_TAG_HEADCOUNT)
        f->rising = false;
    else if (n > 0)
        f->rising = junk[n - 1] > junk[0];

    f->cap_value = crossing(x, load, n, 1.0);
    f->cap_offered = crossing(off, load, n, 1.0);
    f->knee = knee_of(s, f->order, n);
    rising_reasons(s, f);

    /* The values holding the target (sim/feasible.h, as `size` reads
     * them): their largest (rising) or smallest, and the crossing to the
     * next value beyond it.  The curve need not be monotone. */
    f->n_feasible = sim_feasible_intervals(x, junk, n, target, f->feasible,
                                           PLOT_FACTS_MAX_FEASIBLE);
    size_t best = sim_feasible_extreme(junk, n, target, f->rising);
    f->all_below = n > 0 && f->n_feasible == 1 && f->feasible[0].first == 0 &&
                   f->feasible[0].last == n - 1;
    f->all_above = best == n;
    f->edge = best < n ? x[best] : NAN;
    if (!f->all_below && !f->all_above)
        f->threshold = plot_facts_first_rise(f->order, n, raw_x, raw_junk, target, !f->rising);

    f->today = s->base_value;
    f->today_junk = plot_facts_interp(f->order, n, raw_x, raw_junk, f->today);
    for (size_t i = 0; i < n; i++)
        raw_money[i] = s->pts[i].wasted.mean;
    f->today_wasted_month =
        plot_facts_per_month(plot_facts_interp(f->order, n, raw_x, raw_money, f->today),
                             s->horizon_days, s->warmup_days);
    for (size_t i = 0; i < n; i++)
        raw_money[i] = s->pts[i].revenue.mean;
    f->today_revenue_month =
        plot_facts_per_month(plot_facts_interp(f->order, n, raw_x, raw_money, f->today),
                             s->horizon_days, s->warmup_days);
    free(buf);
}

void plot_facts_free(struct plot_facts *f)
{
    free(f->order);
    f->order = NULL;
}
