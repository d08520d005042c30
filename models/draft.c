/* SPDX-License-Identifier: MIT */
/*
 * draft.c - a draft scenario from a lead history (draft.h).
 *
 * The document is built as cJSON and checked by the scenario's own
 * compiler, so the key table stays the only judge of what a key is.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/draft.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "sim/file.h"
#include "sim/mem.h"

/* s cut to at most SCN_NAME_MAX - 1 bytes, never inside a UTF-8
 * character, control characters as spaces; an empty name becomes
 * `fallback`. */
static void name_copy(char *buf, const char *s, const char *fallback)
{
    if (s == NULL || s[0] == '\0')
        s = fallback;
    size_t n = strlen(s);
    if (n > SCN_NAME_MAX - 1) {
        n = SCN_NAME_MAX - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* A CRM's name may hold a line break (a quoted field); a scenario's
     * may not: control characters become spaces. */
    for (char *p = buf; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
}

static void note(cJSON *notes, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void note(cJSON *notes, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(notes, cJSON_CreateString(buf));
}

/* Rounded to 4 significant digits: a measured rate, not a constant. */
static double sig4(double x)
{
    if (x == 0 || !isfinite(x))
        return x;
    double p = pow(10.0, 3 - floor(log10(fabs(x))));
    return round(x * p) / p;
}

/* What the leads of channel c (SIZE_MAX: all) say of intent and fit. */
struct judged {
    size_t reached, theorist, bad_fit;
};

static struct judged judged_of(const struct history *h, size_t c)
{
    struct judged j = {0, 0, 0};
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        size_t lc = l->channel < h->n_channels ? l->channel : h->n_channels;
        if (c != SIZE_MAX && lc != c)
            continue;
        bool res = l->status == HISTORY_WON || l->status == HISTORY_QUALIFIED ||
                   l->status == HISTORY_LOST;
        unsigned r = l->status == HISTORY_LOST ? l->reason : HISTORY_REASON_NONE;
        if (!res || !isfinite(l->first_contact_h) || r == JUNK_UNREACHABLE ||
            r == JUNK_ABANDONED)
            continue;
        j.reached++;
        j.theorist += r == JUNK_THEORIST;
        j.bad_fit += r == JUNK_BAD_FIT;
    }
    return j;
}

/* The file a trace channel k of the draft replays, in the draft's DIR. */
static void arrivals_name(char *buf, size_t n, size_t k)
{
    snprintf(buf, n, "arrivals-%zu.csv", k);
}

static void channel_doc(const struct history *h, const struct facts *f, size_t c,
                        bool traces, cJSON *channels, cJSON *notes)
{
    char name[SCN_NAME_MAX];
    name_copy(name, facts_channel_name(h, f, c), "unnamed");
    /* The same cut name twice (two long names alike): number the later. */
    for (unsigned k = 2; k < 100; k++) {
        bool dup = false;
        cJSON *e;
        cJSON_ArrayForEach(e, channels)
            dup = dup || strcmp(cJSON_GetObjectItem(e, "name")->valuestring, name) == 0;
        if (!dup)
            break;
        char base[SCN_NAME_MAX];
        name_copy(base, facts_channel_name(h, f, c), "unnamed");
        base[SCN_NAME_MAX - 5] = '\0';
        while (strlen(base) > 0 && ((unsigned char)base[strlen(base) - 1] & 0xC0) == 0x80)
            base[strlen(base) - 1] = '\0';
        char numbered[SCN_NAME_MAX + 16];
        snprintf(numbered, sizeof numbered, "%s-%u", base, k);
        name_copy(name, numbered, "unnamed");
    }
    cJSON *ch = cJSON_CreateObject();
    cJSON_AddStringToObject(ch, "name", name);
    /* Traces: the real arrivals replayed (campaigns, quiet weeks and all:
     * the load pattern that identifies misjudgement under load); the
     * Poisson rate and profile below stay in notes as the alternative. */
    cJSON *arr = cJSON_AddObjectToObject(ch, "arrivals");
    cJSON *pois = traces ? cJSON_CreateObject() : arr;
    cJSON_AddStringToObject(pois, "kind", "poisson");
    double per_week = (double)f->channel_leads[c] / f->weeks;
    cJSON_AddNumberToObject(pois, "per_week", traces ? sig4(per_week) : per_week);

    /* The profile: each weekday's leads over the days of that weekday in
     * the span, each hour's leads (every hour occurs every day). */
    size_t by_day[7] = {0}, by_hour[24] = {0}, days[7] = {0};
    size_t n_days = (size_t)ceil(h->horizon_h / 24.0 - 1e-9);
    for (size_t d = 0; d < n_days; d++)
        days[(d + f->day0_weekday) % 7]++;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        size_t lc = l->channel < h->n_channels ? l->channel : h->n_channels;
        if (lc != c)
            continue;
        double day = floor(l->created_h / 24.0);
        unsigned hr = (unsigned)floor(l->created_h - 24.0 * day);
        by_day[((size_t)day + f->day0_weekday) % 7]++;
        by_hour[hr < 24 ? hr : 23]++;
    }
    cJSON *prof = cJSON_AddObjectToObject(pois, "profile");
    cJSON *wd = cJSON_AddArrayToObject(prof, "weekday");
    for (unsigned d = 0; d < 7; d++)
        cJSON_AddItemToArray(wd, cJSON_CreateNumber(
            days[d] > 0 ? sig4((double)by_day[d] / (double)days[d]) : 0));
    cJSON *hw = cJSON_AddArrayToObject(prof, "hour");
    for (unsigned k = 0; k < 24; k++)
        cJSON_AddItemToArray(hw, cJSON_CreateNumber((double)by_hour[k]));
    if (traces) {
        char file[64];
        arrivals_name(file, sizeof file, (size_t)cJSON_GetArraySize(channels));
        cJSON_AddStringToObject(arr, "kind", "trace");
        cJSON_AddStringToObject(arr, "file", file);
        cJSON_AddStringToObject(arr, "column", "created_at");
        char *alt = cJSON_PrintUnformatted(pois);
        note(notes, "channel %s: arrivals replay the %zu creation times of the history "
             "(%s, column created_at, to the second). The Poisson alternative, for "
             "what-ifs on volume: %.2f weeks of history give \"arrivals\": %s (weekday "
             "weights are leads a day of that weekday, hour weights leads in that hour, "
             "Monday first, from 00:00).", name, f->channel_leads[c], file, f->weeks, alt);
        free(alt);
        cJSON_Delete(pois);
    } else {
        note(notes, "channel %s: %zu leads over %.2f weeks of history: per_week %.6g; "
             "profile: weekday weights are leads a day of that weekday, hour weights leads "
             "in that hour (Monday first, from 00:00).", name, f->channel_leads[c], f->weeks,
             per_week);
    }

    struct judged j = judged_of(h, c);
    const char *whose = "its own";
    if (j.reached == 0) {
        j = judged_of(h, SIZE_MAX);
        whose = "all channels'";
    }
    if (j.reached > 0) {
        double theo = (double)j.theorist / (double)j.reached;
        double fit = j.reached > j.theorist
            ? 1.0 - (double)j.bad_fit / (double)(j.reached - j.theorist) : 1.0;
        cJSON_AddNumberToObject(ch, "fit_share", sig4(fit));
        cJSON_AddNumberToObject(ch, "theorist_share", sig4(theo));
        note(notes, "channel %s: theorist_share %.4g = %zu stated 'theorist' / %zu reached "
             "leads (%s: contacted and resolved, not unreachable or abandoned); fit_share "
             "%.4g = 1 - %zu stated 'bad_fit' / %zu reached non-theorists.", name, sig4(theo),
             j.theorist, j.reached, whose, sig4(fit), j.bad_fit, j.reached - j.theorist);
    } else {
        note(notes, "channel %s: no reached lead in the history: fit_share and theorist_share "
             "left at their defaults.", name);
    }

    /* The deal value, from the won leads of the channel that give one. */
    double sum = 0, sum2 = 0;
    size_t nv = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        size_t lc = l->channel < h->n_channels ? l->channel : h->n_channels;
        if (lc == c && l->status == HISTORY_WON && isfinite(l->value) && l->value > 0) {
            sum += l->value;
            sum2 += l->value * l->value;
            nv++;
        }
    }
    if (nv >= 2) {
        double mean = sum / (double)nv;
        double var = (sum2 - sum * mean) / (double)(nv - 1);
        double cv = var > 0 ? sqrt(var) / mean : 0;
        cJSON *dv = cJSON_AddObjectToObject(ch, "deal_value");
        cJSON_AddStringToObject(dv, "dist", "lognormal");
        cJSON_AddNumberToObject(dv, "mean", sig4(mean));
        cJSON_AddNumberToObject(dv, "cv", sig4(cv > 100 ? 100 : cv));
        note(notes, "channel %s: deal_value lognormal, mean %.6g and cv %.3g of the %zu won "
             "deals' values.", name, sig4(mean), sig4(cv), nv);
    }
    cJSON_AddItemToArray(channels, ch);
}

/* ---- the team ------------------------------------------------------------------ */

static void team_doc(const struct history *h, const struct facts *f, cJSON *team,
                     cJSON *notes)
{
    long last = (long)f->n_weeks - 1;
    /* Groups in order of first appearance; owners without a group in
     * "sales". */
    const char **groups = sim_calloc(h->n_owners + 1, sizeof *groups);
    size_t ng = 0;
    for (size_t o = 0; o < h->n_owners; o++) {
        if (f->owner[o].first_week < 0)
            continue;
        const char *g = h->owner[o].group && h->owner[o].group[0] ? h->owner[o].group : "sales";
        size_t k = 0;
        while (k < ng && strcmp(groups[k], g) != 0)
            k++;
        if (k == ng)
            groups[ng++] = g;
    }
    for (size_t k = 0; k < ng; k++) {
        long at0 = 0, at_end = 0, hires = 0, leavers = 0;
        long hire_week = -1, leave_week = -1;
        bool simple = true;
        for (size_t o = 0; o < h->n_owners; o++) {
            const struct facts_owner *fo = &f->owner[o];
            const char *g = h->owner[o].group && h->owner[o].group[0] ? h->owner[o].group
                                                                       : "sales";
            if (fo->first_week < 0 || strcmp(g, groups[k]) != 0)
                continue;
            at0 += fo->first_week == 0;
            at_end += fo->last_week == last;
            if (fo->hired) {
                hires++;
                simple = simple && (hire_week < 0 || hire_week == fo->first_week);
                hire_week = fo->first_week;
            }
            if (fo->left) {
                leavers++;
                simple = simple && (leave_week < 0 || leave_week == fo->last_week);
                leave_week = fo->last_week;
            }
        }
        /* The counts hold whoever is hired or leaves (the format takes
         * the newest to leave first); day 0 needs a manager. */
        simple = simple && at0 >= 1;
        char name[SCN_NAME_MAX];
        name_copy(name, groups[k], "sales");
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "name", name);
        if (simple) {
            cJSON_AddNumberToObject(g, "count", (double)at0);
            if (hires > 0) {
                cJSON *hi = cJSON_AddObjectToObject(g, "hires");
                cJSON_AddNumberToObject(hi, "count", (double)hires);
                cJSON_AddNumberToObject(hi, "start", 7.0 * (double)hire_week);
            }
            if (leavers > 0) {
                cJSON *le = cJSON_AddObjectToObject(g, "leaves");
                cJSON_AddNumberToObject(le, "count", (double)leavers);
                cJSON_AddNumberToObject(le, "on", 7.0 * (double)(leave_week + 1));
            }
            note(notes, "team %s: %ld owners active in week 0%s%s; owners' weeks from the "
                 "managers file when given, else from their first and last actions on leads.",
                 name, at0,
                 hires ? ", hires in the week they first appear" : "",
                 leavers ? ", leavers after the week they last appear" : "");
        } else {
            cJSON_AddNumberToObject(g, "count", (double)(at_end > 0 ? at_end : 1));
            note(notes, "team %s: %ld owners active in the last week (the count); %ld hired "
                 "and %ld left in several weeks over the history, which one hires and one "
                 "leaves entry cannot hold: see facts.json `owners`.", name, at_end, hires,
                 leavers);
        }
        cJSON_AddItemToArray(team, g);
    }
    if (ng == 0) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "name", "sales");
        cJSON_AddNumberToObject(g, "count", 1);
        cJSON_AddItemToArray(team, g);
        note(notes, "team: the history names no owner, so the team is a placeholder of one "
             "manager: set team[0].count.");
    }
    free(groups);
}

/* ---- what the format defaults and the history can say ----------------------- */

/* The interest half-life the draft starts from: the reference scenario's
 * 720 h (docs/model.md, "Defaults"): B2B interest fades over weeks, the
 * speed-to-lead studies' minutes belong to reach.  A decay block is what
 * puts decay.half_life_hours among fit's default keys. */
#define DRAFT_HALF_LIFE_H 720.0
/* A conversation: lognormal, mean 0.35 h, cv 0.6 (docs/model.md: a
 * successful call of about 7.5 minutes, preparation and 5 minutes of
 * logging; field-figures.md section 4).  A CRM does not record it. */
#define DRAFT_DURATION_H 0.35
#define DRAFT_DURATION_CV 0.6

/* Working time from when first contacts began: a CRM dates them, and
 * managers call only at work.  Hours (weekdays, Monday first) holding at
 * least DRAFT_CAL_MIN_SHARE of the contacts are working ones: the first to
 * the last such hour is the day, the last such weekday ends the week.
 * Too few contacts (DRAFT_CAL_MIN_CONTACTS) or every hour and day in use:
 * the format's 24x7.  A contact begun at 17:55 counts for 17:00, so the
 * day is whole hours. */
#define DRAFT_CAL_MIN_SHARE 0.01
#define DRAFT_CAL_MIN_CONTACTS 100

static void calendar_doc(const struct history *h, const struct facts *f, cJSON *root,
                         cJSON *notes)
{
    size_t by_hour[24] = {0}, by_day[7] = {0}, n = 0;
    for (size_t i = 0; i < h->n; i++) {
        double t = h->lead[i].first_contact_h;
        if (!isfinite(t) || t < 0)
            continue;
        double day = floor(t / 24.0);
        unsigned hr = (unsigned)floor(t - 24.0 * day);
        by_hour[hr < 24 ? hr : 23]++;
        by_day[((size_t)day + f->day0_weekday) % 7]++;
        n++;
    }
    if (n < DRAFT_CAL_MIN_CONTACTS) {
        note(notes, "calendar: %zu dated first contacts, too few to tell working hours: "
             "24x7 (the format's default); set calendar if the team keeps office hours.", n);
        return;
    }
    int first = -1, last = -1, days = 0;
    for (int k = 0; k < 24; k++)
        if ((double)by_hour[k] >= DRAFT_CAL_MIN_SHARE * (double)n) {
            if (first < 0)
                first = k;
            last = k;
        }
    for (int d = 0; d < 7; d++)
        if ((double)by_day[d] >= DRAFT_CAL_MIN_SHARE * (double)n)
            days = d + 1;
    int hours = last - first + 1;
    if (first < 0 || (hours == 24 && days == 7)) {
        note(notes, "calendar: first contacts at every hour of every day: 24x7.");
        return;
    }
    cJSON *cal = cJSON_AddObjectToObject(root, "calendar");
    cJSON_AddStringToObject(cal, "mode", "business");
    cJSON_AddNumberToObject(cal, "start_hour", first);
    cJSON_AddNumberToObject(cal, "hours_per_day", hours);
    cJSON_AddNumberToObject(cal, "days_per_week", days);
    note(notes, "calendar: business, %d hours a day from %02d:00, %d days a week (Monday "
         "first): the hours and weekdays in which at least %.0f%% of the %zu first contacts "
         "began (managers call only at work). Holidays are not measured.", hours, first,
         days, 100 * DRAFT_CAL_MIN_SHARE, n);
}

static void contact_doc(const struct history *h, cJSON *root, cJSON *notes)
{
    cJSON *decay = cJSON_AddObjectToObject(root, "decay");
    cJSON_AddStringToObject(decay, "kind", "exponential");
    cJSON_AddNumberToObject(decay, "half_life_hours", DRAFT_HALF_LIFE_H);
    note(notes, "decay: exponential, half-life %.0f h (30 days), the reference scenario's "
         "(docs/model.md): a B2B buyer's interest fades over weeks. A CRM cannot show it: "
         "a start for `funnelsim fit`, which estimates decay.half_life_hours by default.",
         DRAFT_HALF_LIFE_H);

    cJSON *contact = cJSON_AddObjectToObject(root, "contact");
    cJSON *dur = cJSON_AddObjectToObject(contact, "duration");
    cJSON_AddStringToObject(dur, "dist", "lognormal");
    cJSON_AddNumberToObject(dur, "mean_hours", DRAFT_DURATION_H);
    cJSON_AddNumberToObject(dur, "cv", DRAFT_DURATION_CV);
    note(notes, "contact.duration: lognormal, mean %.2f h, cv %.1f: a CRM records no call "
         "lengths, so this is the reference figure (a successful call of about 7.5 minutes "
         "plus preparation and logging: docs/model.md). It sets the team's capacity, and so "
         "the wait before a first contact: put your own figure here.", DRAFT_DURATION_H,
         DRAFT_DURATION_CV);

    /* Attempts: the most any lead given up as unreachable got (the team
     * stopped there); without such a lead, the most any lead got. */
    unsigned most_unreach = 0, most = 0;
    size_t n_unreach = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        if (l->attempts > most)
            most = l->attempts;
        if (l->status == HISTORY_LOST && l->reason == JUNK_UNREACHABLE && l->attempts > 0) {
            n_unreach++;
            if (l->attempts > most_unreach)
                most_unreach = l->attempts;
        }
    }
    unsigned att = n_unreach > 0 ? most_unreach : most;
    if (att > SCN_MAX_ATTEMPTS)
        att = SCN_MAX_ATTEMPTS;
    if (att > 0) {
        cJSON_AddNumberToObject(contact, "max_attempts", att);
        if (n_unreach > 0)
            note(notes, "contact.max_attempts %u: the most attempts of the %zu leads lost as "
                 "unreachable (the team gave up there).", att, n_unreach);
        else
            note(notes, "contact.max_attempts %u: the most attempts of any lead (no lead "
                 "lost as unreachable states its attempts).", att);
    } else {
        note(notes, "contact.max_attempts: the history gives no attempts, so the format's "
             "default; retry_gap_hours is always the default (a CRM rarely dates retries).");
    }

    size_t won = 0, qual = 0;
    for (size_t i = 0; i < h->n; i++) {
        won += h->lead[i].status == HISTORY_WON;
        qual += h->lead[i].status == HISTORY_QUALIFIED;
    }
    if (won + qual > 0) {
        double w = (double)won / (double)(won + qual);
        cJSON *sales = cJSON_AddObjectToObject(root, "sales");
        cJSON_AddNumberToObject(sales, "win_rate", sig4(w));
        note(notes, "sales.win_rate %.4g = %zu won / (%zu won + %zu qualified): the share of "
             "the leads that passed first contact that became deals. The model decides a "
             "deal at qualification, so a qualified lead is one not won; the key is the rate "
             "of a manager of skill 1 and a fully interested lead, so this plain share is a "
             "lower bound of it.", sig4(w), won, won, qual);
    }
}

static cJSON *draft_build(const struct history *h, const struct facts *f, const char *name,
                          bool traces)
{
    cJSON *root = cJSON_CreateObject();
    char nm[SCN_NAME_MAX];
    name_copy(nm, name, "draft");
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "name", nm);
    cJSON_AddStringToObject(root, "description",
                            "Draft from an imported lead history (funnelsim facts)");
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    note(notes, "A draft from %zu leads of an imported history: the volumes, profiles, "
         "shares, team, working hours, attempts and win rate are measured; decay starts at a "
         "sourced figure, reach and misjudgement at the format's defaults, for `funnelsim "
         "fit` to estimate.", f->n);
    if (h->origin.dated) {
        char buf[SIM_DATE_TEXT];
        cJSON_AddStringToObject(root, "start_date", sim_date_format(h->origin.date, buf));
        note(notes, "start_date: the history's day 0 (the day of its first lead).");
    }
    cJSON_AddNumberToObject(root, "horizon_days", h->horizon_h / 24.0);
    cJSON_AddNumberToObject(root, "warmup_days", 0);
    note(notes, "horizon_days %.6g: the history's span; warmup_days 0: the leads start at "
         "day 0 as the history's do.", h->horizon_h / 24.0);
    cJSON *channels = cJSON_AddArrayToObject(root, "channels");
    for (size_t c = 0; c < f->n_channels; c++)
        if (f->channel_leads[c] > 0)
            channel_doc(h, f, c, traces && h->origin.dated, channels, notes);
    cJSON *team = cJSON_AddArrayToObject(root, "team");
    team_doc(h, f, team, notes);
    calendar_doc(h, f, root, notes);
    contact_doc(h, root, notes);
    note(notes, "team: new_lead_share (the share of a manager's time on new leads), skill "
         "and absences are the format's defaults: a CRM does not show them, and with "
         "contact.duration they set the team's capacity: put your own figures.");
    return root;
}

cJSON *draft_scenario(const struct history *h, const struct facts *f, const char *name)
{
    return draft_build(h, f, name, false);
}

cJSON *draft_scenario_traced(const struct history *h, const struct facts *f,
                             const char *name)
{
    return draft_build(h, f, name, true);
}

/* The creation times of channel c's leads as DIR/`file`: one column
 * created_at, YYYY-MM-DDTHH:MM:SS (rounded to the second, as leads.csv). */
static int arrivals_write(const struct history *h, size_t c, const char *dir,
                          const char *file, struct sim_err *err)
{
    size_t cap = 32 + 32 * h->n, len = 0;   /* a row is 20 bytes */
    char *text = sim_malloc(cap);
    len += (size_t)snprintf(text, cap, "created_at\n");
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        size_t lc = l->channel < h->n_channels ? l->channel : h->n_channels;
        if (lc != c)
            continue;
        double day = floor(l->created_h / 24.0);
        long sec = lround((l->created_h - 24.0 * day) * 3600.0);
        if (sec >= 86400) {
            day += 1;
            sec -= 86400;
        }
        char d[SIM_DATE_TEXT];
        sim_date_format(h->origin.date + (int32_t)day, d);
        int s = (int)sec;
        len += (size_t)snprintf(text + len, cap - len, "%sT%02d:%02d:%02d\n", d, s / 3600,
                                s / 60 % 60, s % 60);
    }
    int rc = sim_file_write_text(dir, file, text, err);
    free(text);
    return rc;
}

int draft_write(const struct history *h, const struct facts *f, const char *name,
                const char *dir, struct sim_err *err)
{
    if (f->n == 0 || !(f->weeks > 0))
        return sim_err_set(err, SIM_ERR_INPUT, "%s: the history has no lead, so no draft "
                           "scenario", dir);
    cJSON *doc = draft_scenario_traced(h, f, name);
    /* The traces first: the check below reads them, as a run would. */
    if (h->origin.dated) {
        size_t k = 0;
        for (size_t c = 0; c < f->n_channels; c++) {
            if (f->channel_leads[c] == 0)
                continue;
            char file[64];
            arrivals_name(file, sizeof file, k++);
            int rc = arrivals_write(h, c, dir, file, err);
            if (rc != SIM_OK) {
                cJSON_Delete(doc);
                return rc;
            }
        }
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    size_t len = strlen(text);
    char *with_nl = sim_malloc(len + 2);
    memcpy(with_nl, text, len);
    memcpy(with_nl + len, "\n", 2);
    free(text);
    /* The scenario's own checks, before anything is written. */
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.json", dir);
    struct scn_doc *sd = scn_doc_parse(with_nl, path, err);
    int rc = sd == NULL ? SIM_ERR_INPUT : SIM_OK;
    if (rc == SIM_OK) {
        struct scenario *scn = sim_malloc(sizeof *scn);
        rc = scn_doc_compile(sd, scn, err);
        free(scn);
    }
    scn_doc_free(sd);
    if (rc == SIM_OK)
        rc = sim_file_write_text(dir, "scenario.json", with_nl, err);
    free(with_nl);
    return rc;
}
