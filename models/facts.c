/* SPDX-License-Identifier: MIT */
/*
 * facts.c - the facts of a lead history (facts.h).
 *
 * Counting is one pass over the leads; the Kaplan-Meier estimate sorts the
 * contact times once; the line is GSL's.  Nothing here is random.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>

#include "models/facts.h"
#include "sim/mem.h"

const double facts_km_probs[FACTS_KM_QUANTILES] = {0.5, 0.8, 0.9};

/* ---- Kaplan-Meier ------------------------------------------------------------ */

struct km_obs {
    double t;
    bool event;
};

/* By time; at a tie, events first: a lead censored at t was still at risk
 * at t (the usual convention). */
static int km_cmp(const void *a, const void *b)
{
    const struct km_obs *x = a, *y = b;
    if (x->t < y->t)
        return -1;
    if (x->t > y->t)
        return 1;
    return (int)y->event - (int)x->event;
}

void facts_km_estimate(const double *time, const bool *event, size_t n, struct facts_km *km)
{
    memset(km, 0, sizeof *km);
    km->s_end = n > 0 ? 1.0 : NAN;
    for (size_t q = 0; q < FACTS_KM_QUANTILES; q++)
        km->quantile[q] = NAN;
    km->at_risk = n;
    if (n == 0)
        return;
    struct km_obs *o = sim_calloc(n, sizeof *o);
    for (size_t i = 0; i < n; i++) {
        o[i].t = time[i] > 0 ? time[i] : 0;
        o[i].event = event[i];
        if (event[i])
            km->events++;
        else
            km->censored++;
    }
    qsort(o, n, sizeof *o, km_cmp);
    km->t = sim_calloc(km->events > 0 ? km->events : 1, sizeof *km->t);
    km->s = sim_calloc(km->events > 0 ? km->events : 1, sizeof *km->s);
    double s = 1.0;
    size_t risk = n;
    for (size_t i = 0; i < n;) {
        /* At each distinct time: its events (sorted first), then its
         * censorings, which leave the risk set after the step. */
        size_t d = 0, c = 0;
        while (i + d < n && o[i + d].t == o[i].t && o[i + d].event)
            d++;
        while (i + d + c < n && o[i + d + c].t == o[i].t)
            c++;
        if (d > 0) {
            s *= 1.0 - (double)d / (double)risk;
            km->t[km->n_steps] = o[i].t;
            km->s[km->n_steps] = s;
            km->n_steps++;
            for (size_t q = 0; q < FACTS_KM_QUANTILES; q++)
                /* A tolerance: S is a product of ratios, and 1 - 0.5
                 * computed as a product must count as reached. */
                if (isnan(km->quantile[q]) && s <= 1.0 - facts_km_probs[q] + 1e-12)
                    km->quantile[q] = o[i].t;
        }
        risk -= d + c;
        i += d + c;
    }
    km->s_end = s;
    free(o);
}

void facts_km_free(struct facts_km *km)
{
    free(km->t);
    free(km->s);
    km->t = km->s = NULL;
    km->n_steps = 0;
}

/* ---- the line -------------------------------------------------------------------- */

void facts_fit_line(const double *x, const double *y, size_t n, struct facts_line *line)
{
    line->n = n;
    line->intercept = line->slope = line->slope_lo = line->slope_hi = line->r2 = NAN;
    if (n < 2)
        return;
    double c0, c1, cov00, cov01, cov11, sumsq;
    if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0 ||
        !isfinite(c1))
        return;     /* every x equal: no slope */
    line->intercept = c0;
    line->slope = c1;
    double mean = 0, tss = 0;
    for (size_t i = 0; i < n; i++)
        mean += y[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        tss += (y[i] - mean) * (y[i] - mean);
    line->r2 = tss > 0 ? 1.0 - sumsq / tss : NAN;
    if (n < 3)
        return;
    /* gsl_fit_linear's cov11 is the residual variance sumsq / (n - 2)
     * times 1 / sum (x - mean x)^2: the slope's estimated variance. */
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));
    double half = t * sqrt(cov11 > 0 ? cov11 : 0);
    line->slope_lo = c1 - half;
    line->slope_hi = c1 + half;
}

/* ---- the facts --------------------------------------------------------------------- */

static bool resolved(unsigned status)
{
    return status == HISTORY_WON || status == HISTORY_QUALIFIED || status == HISTORY_LOST;
}

static size_t week_of(const struct facts *f, double h)
{
    double w = floor(h / FACTS_HOURS_PER_WEEK);
    if (!(w >= 0))
        return 0;
    return (size_t)w < f->n_weeks ? (size_t)w : f->n_weeks - 1;
}

static size_t channel_of(const struct history *h, const struct facts *f, uint32_t c)
{
    (void)f;
    return c < h->n_channels ? c : h->n_channels;   /* the unnamed one */
}

const char *facts_channel_name(const struct history *h, const struct facts *f, size_t c)
{
    (void)f;
    return c < h->n_channels ? h->channel[c] : "unnamed";
}

/* Owners' active weeks.  An owner the managers file dates (a start or an
 * end) works from its start (week 0 when open) to its end (the last week
 * when open).  Otherwise the owner's leads say it: from the week of the
 * first thing done (a lead's first contact, else its closing, else its
 * creation) to the week of the last, where a first week of 0 or 1 counts
 * as present from the start and a last week of the last or the one before
 * as present at the end (FACTS_OWNER_GRACE_WEEKS): the leads an owner
 * gets in the history's first and last days are few and partly still
 * open, so a week of silence there says nothing. */
static void owners(const struct history *h, struct facts *f)
{
    f->n_owners = h->n_owners;
    f->owner = sim_calloc(h->n_owners ? h->n_owners : 1, sizeof *f->owner);
    for (size_t o = 0; o < h->n_owners; o++)
        f->owner[o].first_week = f->owner[o].last_week = -1;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        if (l->owner >= h->n_owners)
            continue;
        double t[2] = {isfinite(l->first_contact_h) ? l->first_contact_h
                       : isfinite(l->closed_h) ? l->closed_h : l->created_h,
                       isfinite(l->closed_h) ? l->closed_h
                       : isfinite(l->first_contact_h) ? l->first_contact_h : l->created_h};
        struct facts_owner *fo = &f->owner[l->owner];
        long w0 = (long)week_of(f, t[0]), w1 = (long)week_of(f, t[1]);
        if (fo->first_week < 0 || w0 < fo->first_week)
            fo->first_week = w0;
        if (w1 > fo->last_week)
            fo->last_week = w1;
    }
    long last = (long)f->n_weeks - 1;
    for (size_t o = 0; o < h->n_owners; o++) {
        const struct history_owner *ho = &h->owner[o];
        struct facts_owner *fo = &f->owner[o];
        if (isfinite(ho->start_h) || isfinite(ho->end_h)) {
            fo->first_week = !isfinite(ho->start_h) || ho->start_h <= 0
                ? 0 : ho->start_h >= h->horizon_h ? last + 1 : (long)week_of(f, ho->start_h);
            fo->last_week = !isfinite(ho->end_h) || ho->end_h >= h->horizon_h
                ? last : ho->end_h < 0 ? -1 : (long)week_of(f, ho->end_h);
        } else if (fo->first_week >= 0) {
            if (fo->first_week <= FACTS_OWNER_GRACE_WEEKS)
                fo->first_week = 0;
            if (fo->last_week >= last - FACTS_OWNER_GRACE_WEEKS)
                fo->last_week = last;
        } else {
            continue;       /* no lead, no dates: never seen working */
        }
        if (fo->last_week < fo->first_week) {
            fo->first_week = fo->last_week = -1;    /* not employed in the history */
            continue;
        }
        fo->hired = fo->first_week > 0;
        fo->left = fo->last_week < last;
    }
}

void facts_compute(const struct history *h, struct facts *f)
{
    memset(f, 0, sizeof *f);
    f->n = h->n;
    f->weeks = h->horizon_h / FACTS_HOURS_PER_WEEK;
    f->n_weeks = (size_t)ceil(f->weeks - 1e-9);
    if (f->n_weeks == 0)
        f->n_weeks = 1;
    f->n_complete = (size_t)floor(f->weeks + 1e-9);
    f->day0_weekday = h->origin.dated ? (unsigned)sim_date_weekday(h->origin.date) : 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->lead[i].channel >= h->n_channels)
            f->unnamed = true;
    f->n_channels = h->n_channels + (f->unnamed ? 1 : 0);
    size_t nw = f->n_weeks, nc = f->n_channels ? f->n_channels : 1;
    f->channel_leads = sim_calloc(nc, sizeof *f->channel_leads);
    f->leads_week = sim_calloc(nw * nc, sizeof *f->leads_week);
    f->handed_week = sim_calloc(nw, sizeof *f->handed_week);
    f->resolved_week = sim_calloc(nw, sizeof *f->resolved_week);
    f->lost_week = sim_calloc(nw, sizeof *f->lost_week);
    f->reason_week = sim_calloc(nw * HISTORY_REASONS, sizeof *f->reason_week);
    f->managers_week = sim_calloc(nw, sizeof *f->managers_week);
    f->junk_week = sim_calloc(nw, sizeof *f->junk_week);
    f->load_week = sim_calloc(nw, sizeof *f->load_week);
    f->line_week = sim_calloc(nw, sizeof *f->line_week);

    double *km_t = sim_calloc(h->n ? h->n : 1, sizeof *km_t);
    bool *km_e = sim_calloc(h->n ? h->n : 1, sizeof *km_e);
    size_t km_n = 0, handed = 0, res = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        unsigned st = l->status < HISTORY_STATUSES ? l->status : HISTORY_OPEN;
        f->status[st]++;
        size_t w = week_of(f, l->created_h);
        size_t c = channel_of(h, f, l->channel);
        f->channel_leads[c]++;
        f->leads_week[w * nc + c]++;
        double day = floor(l->created_h / 24.0);
        unsigned wd = (unsigned)(((long)day + (long)f->day0_weekday) % 7);
        unsigned hr = (unsigned)floor(l->created_h - 24.0 * day);
        f->arrivals[wd][hr < 24 ? hr : 23]++;
        if (st != HISTORY_DISQUALIFIED) {
            f->handed_week[w]++;
            handed++;
        }
        if (resolved(st)) {
            f->resolved_week[w]++;
            res++;
        }
        unsigned r = st == HISTORY_LOST && l->reason < HISTORY_REASON_NONE ? l->reason
            : st == HISTORY_LOST ? HISTORY_REASON_OTHER : HISTORY_REASON_NONE;
        f->reason[r]++;
        if (st == HISTORY_LOST) {
            f->lost_week[w]++;
            f->reason_week[w * HISTORY_REASONS + r]++;
        }
        bool contacted = isfinite(l->first_contact_h);
        if (!contacted)
            f->never_contacted++;
        if (contacted && resolved(st) && r != JUNK_UNREACHABLE && r != JUNK_ABANDONED)
            f->reached++;
        if (st == HISTORY_DISQUALIFIED)
            continue;       /* never at risk of a call */
        if (contacted) {
            km_t[km_n] = l->first_contact_h - l->created_h;
            km_e[km_n++] = true;
        } else {
            double end = st != HISTORY_OPEN && isfinite(l->closed_h) ? l->closed_h : h->horizon_h;
            km_t[km_n] = end - l->created_h;
            km_e[km_n++] = false;
        }
    }
    facts_km_estimate(km_t, km_e, km_n, &f->km);
    free(km_t);
    free(km_e);
    f->junk_rate = res > 0 ? (double)f->status[HISTORY_LOST] / (double)res : NAN;

    owners(h, f);
    for (size_t o = 0; o < f->n_owners; o++)
        for (long w = f->owner[o].first_week; w >= 0 && w <= f->owner[o].last_week; w++)
            f->managers_week[w]++;
    double *xs = sim_calloc(nw, sizeof *xs), *ys = sim_calloc(nw, sizeof *ys);
    size_t np = 0;
    for (size_t w = 0; w < nw; w++) {
        f->manager_weeks += f->managers_week[w];
        f->junk_week[w] = f->resolved_week[w] > 0
            ? (double)f->lost_week[w] / (double)f->resolved_week[w] : NAN;
        f->load_week[w] = f->managers_week[w] > 0
            ? (double)f->handed_week[w] / (double)f->managers_week[w] : NAN;
        f->line_week[w] = w < f->n_complete && f->managers_week[w] > 0 &&
                          f->resolved_week[w] >= FACTS_MIN_RESOLVED;
        if (f->line_week[w]) {
            xs[np] = f->load_week[w];
            ys[np++] = f->junk_week[w];
        }
    }
    f->handed_per_manager_week = f->manager_weeks > 0
        ? (double)handed / (double)f->manager_weeks : NAN;
    facts_fit_line(xs, ys, np, &f->line);
    free(xs);
    free(ys);
}

void facts_free(struct facts *f)
{
    free(f->channel_leads);
    free(f->leads_week);
    free(f->handed_week);
    free(f->resolved_week);
    free(f->lost_week);
    free(f->reason_week);
    free(f->managers_week);
    free(f->junk_week);
    free(f->load_week);
    free(f->line_week);
    free(f->owner);
    facts_km_free(&f->km);
    memset(f, 0, sizeof *f);
}

/* ---- facts.json ------------------------------------------------------------------ */

static void add_num(cJSON *o, const char *name, double x)
{
    if (isfinite(x))
        cJSON_AddNumberToObject(o, name, x);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *num_array(const double *x, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, isfinite(x[i]) ? cJSON_CreateNumber(x[i]) : cJSON_CreateNull());
    return a;
}

static cJSON *count_array(const size_t *x, size_t n, size_t stride)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)x[i * stride]));
    return a;
}

cJSON *facts_json(const struct history *h, const struct facts *f, const cJSON *import_json)
{
    cJSON *root = cJSON_CreateObject();
    if (h->origin.dated) {
        char buf[SIM_DATE_TEXT];
        cJSON_AddStringToObject(root, "start_date", sim_date_format(h->origin.date, buf));
    } else {
        cJSON_AddNullToObject(root, "start_date");
    }
    add_num(root, "horizon_days", h->horizon_h / 24.0);
    add_num(root, "weeks", f->weeks);

    cJSON *counts = cJSON_AddObjectToObject(root, "counts");
    cJSON_AddNumberToObject(counts, "leads", (double)f->n);
    /* rows, parsed and skipped: the import's own account of the file. */
    static const char *const from_import[] = {"rows", "parsed", "skipped"};
    for (size_t k = 0; k < 3; k++) {
        const cJSON *v = import_json ? cJSON_GetObjectItemCaseSensitive(import_json,
                                                                        from_import[k]) : NULL;
        if (cJSON_IsNumber(v))
            cJSON_AddNumberToObject(counts, from_import[k], v->valuedouble);
        else if (k == 1)
            cJSON_AddNumberToObject(counts, "parsed", (double)f->n);
        else
            cJSON_AddNullToObject(counts, from_import[k]);
    }
    cJSON *st = cJSON_AddObjectToObject(counts, "status");
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        cJSON_AddNumberToObject(st, history_status_name(s), (double)f->status[s]);
    cJSON *rs = cJSON_AddObjectToObject(counts, "lost_by_reason");
    for (unsigned r = 0; r < HISTORY_REASON_NONE; r++)
        cJSON_AddNumberToObject(rs, history_reason_name(r), (double)f->reason[r]);
    cJSON_AddNumberToObject(counts, "reached", (double)f->reached);
    cJSON_AddNumberToObject(counts, "never_contacted", (double)f->never_contacted);

    add_num(root, "junk_rate", f->junk_rate);
    add_num(root, "handed_per_manager_week", f->handed_per_manager_week);
    cJSON_AddNumberToObject(root, "manager_weeks", (double)f->manager_weeks);

    cJSON *ch = cJSON_AddArrayToObject(root, "channels");
    for (size_t c = 0; c < f->n_channels; c++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", facts_channel_name(h, f, c));
        cJSON_AddNumberToObject(o, "leads", (double)f->channel_leads[c]);
        add_num(o, "per_week", f->weeks > 0 ? (double)f->channel_leads[c] / f->weeks : NAN);
        cJSON_AddItemToObject(o, "leads_by_week",
                              count_array(f->leads_week + c, f->n_weeks, f->n_channels));
        cJSON_AddItemToArray(ch, o);
    }

    cJSON *arr = cJSON_AddObjectToObject(root, "arrivals");
    cJSON_AddStringToObject(arr, "rows", "weekday, Monday first");
    cJSON_AddStringToObject(arr, "columns", "hour of the day, from 00:00");
    cJSON *cells = cJSON_AddArrayToObject(arr, "counts");
    for (unsigned d = 0; d < 7; d++)
        cJSON_AddItemToArray(cells, count_array(f->arrivals[d], 24, 1));

    cJSON *km = cJSON_AddObjectToObject(root, "first_contact");
    cJSON_AddStringToObject(km, "method", "Kaplan-Meier; open leads never contacted censored "
                            "at the horizon, closed ones at their closing; disqualified leads "
                            "not at risk");
    cJSON_AddNumberToObject(km, "at_risk", (double)f->km.at_risk);
    cJSON_AddNumberToObject(km, "contacted", (double)f->km.events);
    cJSON_AddNumberToObject(km, "censored", (double)f->km.censored);
    static const char *const qnames[FACTS_KM_QUANTILES] = {"p50_hours", "p80_hours",
                                                           "p90_hours"};
    for (size_t q = 0; q < FACTS_KM_QUANTILES; q++)
        add_num(km, qnames[q], f->km.quantile[q]);
    add_num(km, "not_contacted_by_last_event", f->km.s_end);
    add_num(km, "never_contacted_share", f->n ? (double)f->never_contacted / (double)f->n : NAN);

    cJSON *wk = cJSON_AddObjectToObject(root, "weekly");
    cJSON_AddItemToObject(wk, "handed", count_array(f->handed_week, f->n_weeks, 1));
    cJSON_AddItemToObject(wk, "resolved", count_array(f->resolved_week, f->n_weeks, 1));
    cJSON_AddItemToObject(wk, "lost", count_array(f->lost_week, f->n_weeks, 1));
    cJSON_AddItemToObject(wk, "managers", count_array(f->managers_week, f->n_weeks, 1));
    cJSON_AddItemToObject(wk, "junk_rate", num_array(f->junk_week, f->n_weeks));
    cJSON_AddItemToObject(wk, "load", num_array(f->load_week, f->n_weeks));
    cJSON *wr = cJSON_AddObjectToObject(wk, "lost_by_reason");
    for (unsigned r = 0; r < HISTORY_REASON_NONE; r++)
        cJSON_AddItemToObject(wr, history_reason_name(r),
                              count_array(f->reason_week + r, f->n_weeks, HISTORY_REASONS));

    cJSON *ln = cJSON_AddObjectToObject(root, "junk_vs_load");
    cJSON_AddStringToObject(ln, "method", "ordinary least squares of the weekly junk rate on "
                            "handed leads per working manager; complete weeks with at least 5 "
                            "resolved leads; 95% interval of the slope from Student's t");
    cJSON_AddNumberToObject(ln, "weeks", (double)f->line.n);
    add_num(ln, "intercept", f->line.intercept);
    add_num(ln, "slope", f->line.slope);
    double ci[2] = {f->line.slope_lo, f->line.slope_hi};
    cJSON_AddItemToObject(ln, "slope_ci95", num_array(ci, 2));
    add_num(ln, "r2", f->line.r2);

    cJSON *ow = cJSON_AddArrayToObject(root, "owners");
    for (size_t o = 0; o < f->n_owners; o++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", h->owner[o].name);
        if (h->owner[o].group != NULL)
            cJSON_AddStringToObject(x, "group", h->owner[o].group);
        add_num(x, "first_week", (double)f->owner[o].first_week);
        add_num(x, "last_week", (double)f->owner[o].last_week);
        cJSON_AddBoolToObject(x, "hired", f->owner[o].hired);
        cJSON_AddBoolToObject(x, "left", f->owner[o].left);
        cJSON_AddItemToArray(ow, x);
    }
    return root;
}
