/* SPDX-License-Identifier: MIT */
/*
 * schema_day.c - keys that take a day or a date, and the date that is
 * their origin (schema.h, "Days and dates").  Kept apart from schema.c,
 * which calls sim_schema_fill_day() for the three types.
 */
#include "sim/schema.h"

#include <assert.h>
#include <limits.h>

static void *at(void *base, size_t off)
{
    return (char *)base + off;
}

/* An absent key: an error if required, otherwise SIM_OK (the default). */
static int absent_day(struct sim_schema_ctx *c, const struct sim_schema_key *k)
{
    if (!(k->flags & SIM_SCHEMA_REQUIRED))
        return SIM_OK;
    return sim_schema_fail(c, "required key missing (%s)", k->help);
}

/* Field by field: a struct assignment may copy the padding of `o`, and a
 * compiled scenario is compared byte for byte. */
static void store_origin(const struct sim_schema_key *k, void *base, struct sim_date_origin o)
{
    if (k->off == SIM_SCHEMA_NOSTORE)
        return;
    struct sim_date_origin *p = at(base, k->off);
    p->dated = o.dated;
    p->date = o.date;
}

/* The DATE key: the origin of the days of its object and all beneath. */
static int fill_date(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     void *base)
{
    char got[64], why[96];
    struct sim_date_origin o = {false, 0};
    c->origin_key = k->name;
    c->origin = o;
    if (v == NULL) {
        int rc = absent_day(c, k);
        if (rc == SIM_OK)
            store_origin(k, base, o);
        return rc;
    }
    if (!cJSON_IsString(v))
        return sim_schema_fail(c, "must be a date written YYYY-MM-DD, as in \"2026-03-02\" "
                               "(got %s)", sim_schema_describe(v, got));
    if (!sim_date_parse(v->valuestring, &o.date, why, sizeof why))
        return sim_schema_fail(c, "must be a date YYYY-MM-DD: %s (got %s)", why,
                               sim_schema_describe(v, got));
    o.dated = true;
    c->origin = o;
    store_origin(k, base, o);
    return SIM_OK;
}

int sim_schema_read_day(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                        unsigned *out)
{
    char got[64], why[96], range[96], o_text[SIM_DATE_TEXT], num[32];
    assert(k->lo >= 0 && k->hi <= UINT_MAX);
    *out = (unsigned)k->def;
    if (v != NULL && !cJSON_IsString(v) && !cJSON_IsNumber(v))
        return sim_schema_fail(c, "must be a day number or a date YYYY-MM-DD (got %s)",
                               sim_schema_describe(v, got));
    if (!cJSON_IsString(v)) {
        double x;
        int rc = sim_schema_read_number(c, v, k, &x);
        if (rc == SIM_OK)
            *out = (unsigned)x;
        return rc;
    }
    int32_t date;
    if (!sim_date_parse(v->valuestring, &date, why, sizeof why))
        return sim_schema_fail(c, "must be a day number or a date YYYY-MM-DD: %s (got %s)",
                               why, sim_schema_describe(v, got));
    const char *origin = c->origin_key != NULL ? c->origin_key : "the date of day 0";
    if (!c->origin.dated)
        return sim_schema_fail(c, "a date needs %s (the date of day 0); without it, "
                               "write the day number (got %s)", origin,
                               sim_schema_describe(v, got));
    sim_date_format(c->origin.date, o_text);
    double day = (double)date - (double)c->origin.date;
    if (day < 0)
        return sim_schema_fail(c, "%s is before %s %s (day 0)", v->valuestring, origin,
                               o_text);
    bool lo_ok = k->flags & SIM_SCHEMA_LO_OPEN ? day > k->lo : day >= k->lo;
    bool hi_ok = k->flags & SIM_SCHEMA_HI_OPEN ? day < k->hi : day <= k->hi;
    if (!lo_ok || !hi_ok) {
        sim_schema_range_text(k, range, sizeof range);
        return sim_schema_fail(c, "must be %s (got %s, day %s from %s %s)", range,
                               sim_schema_describe(v, got), sim_schema_num(num, day),
                               origin, o_text);
    }
    *out = (unsigned)day;
    return SIM_OK;
}

static int fill_day(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                    void *base)
{
    unsigned day;
    int rc = sim_schema_read_day(c, v, k, &day);
    if (rc == SIM_OK && k->off != SIM_SCHEMA_NOSTORE)
        *(unsigned *)at(base, k->off) = day;
    return rc;
}

static int fill_days(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     void *base)
{
    char got[64];
    if (v == NULL) {
        *(unsigned *)at(base, k->count_off) = 0;
        return absent_day(c, k);
    }
    if (!cJSON_IsArray(v))
        return sim_schema_fail(c, "must be an array of day numbers or dates (got %s)",
                               sim_schema_describe(v, got));
    size_t n = 0;
    for (const cJSON *e = v->child; e != NULL && n <= k->max_items; e = e->next)
        n++;
    if (n > k->max_items)
        return sim_schema_fail(c, "must have at most %u %ss", k->max_items, k->noun);
    unsigned *days = at(base, k->off);
    size_t i = 0;
    for (const cJSON *e = v->child; e != NULL; e = e->next, i++) {
        size_t mark = sim_schema_push_index(c, i);
        int rc = sim_schema_read_day(c, e, k, &days[i]);
        sim_schema_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    *(unsigned *)at(base, k->count_off) = (unsigned)n;
    return SIM_OK;
}

int sim_schema_fill_day(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                        void *base)
{
    switch (k->type) {
    case SIM_SCHEMA_DAY: return fill_day(c, v, k, base);
    case SIM_SCHEMA_DAYS: return fill_days(c, v, k, base);
    case SIM_SCHEMA_DATE: return fill_date(c, v, k, base);
    default: assert(!"not a day key"); return SIM_ERR_INPUT;
    }
}
