/*
 * test_history.c - a lead history (models/history.h): the names, the
 * stable order by creation, history_save/history_load reading back every
 * field exactly (hours to the last bit, NAN where a time did not happen),
 * and one replication of a lead log read through the built-in map, which
 * never looks at `outcome`.  Also the timestamps CRM exports carry
 * (sim/timestamp.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/history.h"
#include "sim/date.h"
#include "sim/timestamp.h"
#include "tests/cli_harness.h"

Test(history, names)
{
    cr_assert_str_eq(history_status_name(HISTORY_WON), "won");
    cr_assert_str_eq(history_status_name(HISTORY_DISQUALIFIED), "disqualified");
    cr_assert_str_eq(history_status_name(HISTORY_STATUSES), "?");
    cr_assert_str_eq(history_reason_name(JUNK_WENT_COLD), "went_cold");
    cr_assert_str_eq(history_reason_name(HISTORY_REASON_OTHER), "other");
    cr_assert_str_eq(history_reason_name(HISTORY_REASON_NONE), "");
}

static struct history_lead lead_at(double t)
{
    return (struct history_lead){
        .created_h = t, .first_contact_h = NAN, .closed_h = NAN, .value = NAN,
        .channel = HISTORY_NONE, .owner = HISTORY_NONE, .status = HISTORY_OPEN,
        .reason = HISTORY_REASON_NONE,
    };
}

Test(history, sort_is_stable_by_creation)
{
    struct history h = {0};
    const double t[] = {5, 1, 5, 0, 1, 5, 3};
    const char *id[] = {"a", "b", "c", "d", "e", "f", "g"};
    for (size_t i = 0; i < 7; i++) {
        struct history_lead l = lead_at(t[i]);
        history_add(&h, &l, id[i]);
    }
    history_sort(&h);
    const char *want = "dbegacf";
    for (size_t i = 0; i < h.n; i++) {
        cr_assert_eq(h.id[i][0], want[i], "lead %zu is %s", i, h.id[i]);
        if (i > 0)
            cr_assert_geq(h.lead[i].created_h, h.lead[i - 1].created_h);
    }
    history_free(&h);
}

/* A history with every kind of field, times that need all 17 digits. */
static void sample(struct history *h, bool dated)
{
    memset(h, 0, sizeof *h);
    h->origin.dated = dated;
    h->origin.date = sim_date_from_ymd(2024, 1, 1);
    h->horizon_h = 24.0 * 14;
    uint32_t web = history_channel(h, "web, \"paid\"");
    uint32_t fair = history_channel(h, "выставка");
    uint32_t ann = history_owner(h, "Анна");
    uint32_t bob = history_owner(h, "bob");
    h->owner[ann].group = strdup("inbound");
    h->owner[ann].start_h = 0;
    h->owner[bob].end_h = 200.0 / 3.0;
    for (unsigned i = 0; i < 40; i++) {
        struct history_lead l = lead_at(i * (3.14159265358979 + 1.0 / 3.0));
        l.channel = i % 3 == 0 ? HISTORY_NONE : i % 3 == 1 ? web : fair;
        l.owner = i % 4 == 0 ? HISTORY_NONE : i % 2 ? ann : bob;
        l.status = (uint8_t)(i % HISTORY_STATUSES);
        l.reason = l.status == HISTORY_LOST ? (uint8_t)(i % HISTORY_REASON_NONE)
                                            : HISTORY_REASON_NONE;
        if (l.status != HISTORY_OPEN && l.status != HISTORY_DISQUALIFIED)
            l.first_contact_h = l.created_h + 1.0 / 7.0;
        if (l.status == HISTORY_WON || l.status == HISTORY_LOST ||
            l.status == HISTORY_DISQUALIFIED)
            l.closed_h = l.created_h + exp(1.0);
        if (l.status == HISTORY_WON)
            l.value = 1000.0 / 3.0;
        l.attempts = (uint16_t)(i % 5);
        char id[32];
        snprintf(id, sizeof id, "L-%u", i);
        history_add(h, &l, id);
    }
}

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void roundtrip(bool dated)
{
    struct history a, b;
    sample(&a, dated);
    char *dir = harness_tmpdir();
    struct sim_err err = {0};
    cr_assert_eq(history_save(&a, dir, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(history_load(dir, &b, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(b.origin.dated, dated);
    if (dated)
        cr_assert_eq(b.origin.date, a.origin.date);
    cr_assert_eq(b.horizon_h, a.horizon_h);
    cr_assert_eq(b.n, a.n);
    cr_assert_eq(b.n_channels, a.n_channels);
    for (size_t i = 0; i < a.n_channels; i++)
        cr_assert_str_eq(b.channel[i], a.channel[i]);
    cr_assert_eq(b.n_owners, a.n_owners);
    for (size_t i = 0; i < a.n_owners; i++) {
        cr_assert_str_eq(b.owner[i].name, a.owner[i].name);
        cr_assert((a.owner[i].group == NULL) == (b.owner[i].group == NULL));
        if (a.owner[i].group)
            cr_assert_str_eq(b.owner[i].group, a.owner[i].group);
        cr_assert(same(b.owner[i].start_h, a.owner[i].start_h));
        cr_assert(same(b.owner[i].end_h, a.owner[i].end_h));
    }
    for (size_t i = 0; i < a.n; i++) {
        const struct history_lead *x = &a.lead[i], *y = &b.lead[i];
        cr_assert_str_eq(b.id[i], a.id[i]);
        cr_assert(same(x->created_h, y->created_h), "lead %zu created", i);
        cr_assert(same(x->first_contact_h, y->first_contact_h), "lead %zu first contact", i);
        cr_assert(same(x->closed_h, y->closed_h), "lead %zu closed", i);
        cr_assert(same(x->value, y->value), "lead %zu value", i);
        cr_assert_eq(x->channel, y->channel);
        cr_assert_eq(x->owner, y->owner);
        cr_assert_eq(x->attempts, y->attempts);
        cr_assert_eq(x->status, y->status);
        cr_assert_eq(x->reason, y->reason);
    }
    if (dated) {
        char *p = harness_path(dir, "leads.csv");
        char *text = harness_read_file(p, NULL);
        cr_assert(harness_contains(text, ",created_at,first_contact_at,closed_at\n"));
        /* lead 1: 3.4749... hours after 2024-01-01 00:00 */
        cr_assert(harness_contains(text, "2024-01-01T03:28:30"), "%s", text);
        free(text);
        free(p);
    }
    history_free(&a);
    history_free(&b);
    harness_rmtree(dir);
    free(dir);
}

Test(history, save_load_roundtrip_exact) { roundtrip(false); }
Test(history, save_load_roundtrip_dated) { roundtrip(true); }

Test(history, load_names_a_bad_file)
{
    char *dir = harness_tmpdir();
    struct history h;
    struct sim_err err = {0};
    cr_assert_eq(history_load(dir, &h, &err), SIM_ERR_INPUT);
    cr_assert(harness_contains(err.msg, "history.json"), "%s", err.msg);
    struct history a;
    sample(&a, false);
    cr_assert_eq(history_save(&a, dir, &err), SIM_OK, "%s", err.msg);
    history_free(&a);
    char *p = harness_path(dir, "leads.csv");
    FILE *fp = fopen(p, "a");
    fputs("x,1,,,,,,wonn,,\n", fp);
    fclose(fp);
    sim_err_clear(&err);
    cr_assert_eq(history_load(dir, &h, &err), SIM_ERR_INPUT);
    cr_assert(harness_contains(err.msg, "leads.csv line 42"), "%s", err.msg);
    free(p);
    harness_rmtree(dir);
    free(dir);
}

/* A lead log as `run --leads` writes it, with outcomes that contradict the
 * statuses: the reader must take the statuses and stated reasons. */
static const char leadlog_text[] =
    "replication,lead,channel,created_h,handed_h,first_contact_h,resolved_h,group,manager,"
    "attempts,outcome,deal,value,waited_h,status,stated_reason,created_at\n"
    "0,0,web,1.5,1.5,2,3,sdr,0,1,misjudged,,,0.5,lost,went_cold,2024-03-04T01:30:00\n"
    "0,1,fair,30,30,31,31.25,sdr,1,2,qualified,1,5000,1,won,,2024-03-05T06:00:00\n"
    "0,2,web,40,,,40,,,0,filtered,,,,disqualified,,2024-03-05T16:00:00\n"
    "0,3,web,50,50,,,,,0,unresolved,,,,open,,2024-03-06T02:00:00\n"
    "1,0,web,7,7,8,9,sdr,0,1,bad_fit,,,0,lost,bad_fit,2024-03-04T07:00:00\n";

Test(history, leadlog_one_replication_without_outcome)
{
    char *dir = harness_tmpdir();
    char *p = harness_path(dir, "leads.csv");
    FILE *fp = fopen(p, "w");
    fputs(leadlog_text, fp);
    fclose(fp);
    struct history h;
    struct sim_err err = {0};
    cr_assert_eq(history_read_leadlog(p, 0, &h, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(h.n, 4);
    cr_assert(h.origin.dated);
    cr_assert_eq(h.origin.date, sim_date_from_ymd(2024, 3, 4));
    cr_assert_eq(h.horizon_h, 72.0, "the end of the last day: %g", h.horizon_h);
    cr_assert_eq(h.lead[0].status, HISTORY_LOST);
    cr_assert_eq(h.lead[0].reason, JUNK_WENT_COLD, "the stated reason, not the outcome");
    cr_assert_eq(h.lead[0].closed_h, 3.0);
    cr_assert_eq(h.lead[1].status, HISTORY_WON);
    cr_assert_eq(h.lead[1].value, 5000.0);
    cr_assert_eq(h.lead[1].reason, HISTORY_REASON_NONE);
    cr_assert_eq(h.lead[2].status, HISTORY_DISQUALIFIED);
    cr_assert(isnan(h.lead[2].first_contact_h));
    cr_assert_eq(h.lead[2].owner, HISTORY_NONE);
    cr_assert_eq(h.lead[3].status, HISTORY_OPEN);
    cr_assert(isnan(h.lead[3].closed_h));
    cr_assert_eq(h.n_owners, 2);
    cr_assert_str_eq(h.owner[0].group, "sdr");
    cr_assert_eq(h.n_channels, 2);
    history_free(&h);
    cr_assert_eq(history_read_leadlog(p, 1, &h, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(h.n, 1);
    cr_assert_eq(h.lead[0].reason, JUNK_BAD_FIT);
    history_free(&h);
    cr_assert_eq(history_read_leadlog(p, 2, &h, &err), SIM_ERR_INPUT);
    cr_assert(harness_contains(err.msg, "no rows of replication 2"), "%s", err.msg);
    /* an old log: no status column */
    fp = fopen(p, "w");
    fputs("replication,lead,channel,created_h,handed_h,first_contact_h,resolved_h,group,"
          "manager,attempts,outcome,deal,value,waited_h\n0,0,web,1,1,2,3,sdr,0,1,misjudged,,,0\n",
          fp);
    fclose(fp);
    sim_err_clear(&err);
    cr_assert_eq(history_read_leadlog(p, 0, &h, &err), SIM_ERR_INPUT);
    cr_assert(harness_contains(err.msg, "line 1: no column \"status\""), "%s", err.msg);
    free(p);
    harness_rmtree(dir);
    free(dir);
}

/* ---- timestamps ---------------------------------------------------------------- */

static struct sim_ts ts_ok(const char *s, enum sim_ts_format f)
{
    struct sim_ts ts;
    char why[96] = "";
    cr_assert(sim_ts_parse(s, f, "%d %b %Y %H:%M", &ts, why, sizeof why), "%s: %s", s, why);
    return ts;
}

Test(history, timestamps_in_every_form)
{
    int32_t d = sim_date_from_ymd(2024, 3, 31);
    struct sim_ts t = ts_ok("2024-03-31", SIM_TS_ISO);
    cr_assert(t.date == d && !t.has_time);
    t = ts_ok("2024-03-31T09:30:15+03:00", SIM_TS_ISO);
    cr_assert(t.date == d && t.sec == 9 * 3600 + 30 * 60 + 15 && t.offset_min == 180);
    t = ts_ok(" 31.03.2024 09:30 ", SIM_TS_DMY_DOT);
    cr_assert(t.date == d && t.sec == 9 * 3600 + 30 * 60 && !t.has_offset);
    t = ts_ok("1.4.2024", SIM_TS_DMY_DOT);
    cr_assert_eq(t.date, d + 1);
    cr_assert_eq(ts_ok("31/03/2024", SIM_TS_DMY_SLASH).date, d);
    cr_assert_eq(ts_ok("03/31/2024", SIM_TS_MDY_SLASH).date, d);
    cr_assert_eq(ts_ok("2024/03/31 23:59:59Z", SIM_TS_YMD_SLASH).offset_min, 0);
    t = ts_ok("31 Mar 2024 10:00", SIM_TS_STRPTIME);
    cr_assert(t.date == d && t.sec == 36000);
    struct sim_ts bad;
    char why[96];
    cr_assert_not(sim_ts_parse("31.02.2024", SIM_TS_DMY_DOT, NULL, &bad, why, sizeof why));
    cr_assert(harness_contains(why, "2024-02 has 29 days"), "%s", why);
    cr_assert_not(sim_ts_parse("2024-03-31 25:00", SIM_TS_ISO, NULL, &bad, why, sizeof why));
    cr_assert_not(sim_ts_parse("2024-03-31x", SIM_TS_ISO, NULL, &bad, why, sizeof why));
    cr_assert_not(sim_ts_parse("", SIM_TS_ISO, NULL, &bad, why, sizeof why));
}

Test(history, timestamp_detection_and_offsets)
{
    const char *dmy[] = {"01.02.2024", "", "13.02.2024 10:00"};
    cr_assert_eq(sim_ts_detect(dmy, 3, NULL), SIM_TS_DMY_DOT);
    const char *us[] = {"02/01/2024", "02/13/2024"};
    cr_assert_eq(sim_ts_detect(us, 2, NULL), SIM_TS_MDY_SLASH, "13 is no month");
    const char *eu[] = {"02/01/2024", "13/02/2024"};
    cr_assert_eq(sim_ts_detect(eu, 2, NULL), SIM_TS_DMY_SLASH);
    int m;
    cr_assert(sim_ts_parse_offset("+03:00", &m) && m == 180);
    cr_assert(sim_ts_parse_offset("UTC-5", &m) && m == -300);
    cr_assert(sim_ts_parse_offset("Z", &m) && m == 0);
    cr_assert_not(sim_ts_parse_offset("Europe/Moscow", &m));
    /* 2024-01-01T22:00Z is 01:00 the next day at +03:00 */
    struct sim_ts t = ts_ok("2024-01-01T22:00:00Z", SIM_TS_ISO);
    int32_t day0 = sim_date_from_ymd(2024, 1, 1);
    cr_assert_eq(sim_ts_hours(&t, day0, true, 180), 25.0);
    cr_assert_eq(sim_ts_hours(&t, day0, false, 0), 22.0, "no timezone: the wall clock");
}
