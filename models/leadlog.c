/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE     /* copy_file_range(2): the join copies in the kernel */
#include "leadlog.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/csv.h"
#include "sim/date.h"
#include "sim/mem.h"

static const char *const outcome_names[LEADLOG_OUTCOMES] = {
    [JUNK_BAD_FIT] = "bad_fit",         [JUNK_THEORIST] = "theorist",
    [JUNK_UNREACHABLE] = "unreachable", [JUNK_WENT_COLD] = "went_cold",
    [JUNK_MISJUDGED] = "misjudged",     [JUNK_ABANDONED] = "abandoned",
    [LEADLOG_QUALIFIED] = "qualified",  [LEADLOG_HELD_BACK] = "held_back",
    [LEADLOG_FILTERED] = "filtered",    [LEADLOG_NURTURED] = "nurtured",
    [LEADLOG_UNRESOLVED] = "unresolved",
};
_Static_assert(JUNK_REASONS == 6, "a name for every junk reason");

/* What a CRM shows (leadlog.h, "status"): a won deal overrides qualified. */
static const char *const status_of[LEADLOG_OUTCOMES] = {
    [JUNK_BAD_FIT] = "lost",          [JUNK_THEORIST] = "lost",
    [JUNK_UNREACHABLE] = "lost",      [JUNK_WENT_COLD] = "lost",
    [JUNK_MISJUDGED] = "lost",        [JUNK_ABANDONED] = "lost",
    [LEADLOG_QUALIFIED] = "qualified", [LEADLOG_HELD_BACK] = "disqualified",
    [LEADLOG_FILTERED] = "disqualified", [LEADLOG_NURTURED] = "disqualified",
    [LEADLOG_UNRESOLVED] = "open",
};

/* The reason a CRM records: the junk reason, but a misjudgement is written
 * down as "not interested" (went_cold); empty when not lost. */
static const char *const stated_of[LEADLOG_OUTCOMES] = {
    [JUNK_BAD_FIT] = "bad_fit",         [JUNK_THEORIST] = "theorist",
    [JUNK_UNREACHABLE] = "unreachable", [JUNK_WENT_COLD] = "went_cold",
    [JUNK_MISJUDGED] = "went_cold",     [JUNK_ABANDONED] = "abandoned",
    [LEADLOG_QUALIFIED] = "",           [LEADLOG_HELD_BACK] = "",
    [LEADLOG_FILTERED] = "",            [LEADLOG_NURTURED] = "",
    [LEADLOG_UNRESOLVED] = "",
};

const char *leadlog_status_name(unsigned outcome, int deal)
{
    if (outcome >= LEADLOG_OUTCOMES)
        return "?";
    return outcome == LEADLOG_QUALIFIED && deal == 1 ? "won" : status_of[outcome];
}

const char *leadlog_stated_reason(unsigned outcome)
{
    return outcome < LEADLOG_OUTCOMES ? stated_of[outcome] : "?";
}

const char *leadlog_outcome_name(unsigned outcome)
{
    return outcome < LEADLOG_OUTCOMES ? outcome_names[outcome] : "?";
}

enum { DEAL_NONE = 2 };
/* One lead's record; NAN: did not happen. */
struct leadlog_rec {
    uint64_t lead;
    double created, handed, first_contact, resolved, waited, value;
    uint32_t attempts;
    uint16_t manager;           /* LEAD_NO_MANAGER: never attempted */
    uint8_t channel;
    uint8_t outcome;
    uint8_t deal;               /* 0, 1 or DEAL_NONE */
    uint8_t open;               /* a slot in use (side array) */
    uint8_t ready;              /* final, waiting in the ring for its turn */
};

/* The text buffer: rows are built in it and written in blocks of about
 * this size, one write(2) each. */
#define LEADLOG_BUF ((size_t)1 << 18)

struct leadlog {
    const struct leadlog_sink *sink;
    unsigned rep;
    const struct sim *sim;
    const struct lead_pool *pool;
    const struct team *team;
    struct leadlog_rec *slot;   /* by pool index */
    uint32_t slots;
    uint64_t next;              /* the next lead number */
    /* The rows as they become due (leadlog.h): */
    struct leadlog_rec *ring;   /* the final records of leads out .. next - 1,
                                   at lead % LEADLOG_RING; NULL once spilled */
    uint64_t out;               /* the next lead to write as a row */
    int text;                   /* where the rows go: the log (direct) or the
                                   replication's CSV file */
    off_t start;                /* direct: the log's length before this
                                   replication, to cut back to on failure */
    struct names *nm;
    struct iso_cache *iso;
    char *buf;                  /* LEADLOG_BUF + a row */
    size_t used;
    /* After a spill: the records of leads spill_from .. go through the
     * binary file, at (lead - spill_from) x their size. */
    bool spilled;
    uint64_t spill_from;
    struct leadlog_rec *window; /* leads base .. base + LEADLOG_WINDOW - 1 */
    uint64_t base;
    int fd;                     /* the binary records; -1 before a spill */
    int error;                  /* errno of the first failure, 0 */
    char bin[PATH_MAX], csv[PATH_MAX];
    /* In memory (sink.hist): the history and what a record becomes. */
    struct history *h;
    double last;                /* the latest time of any lead */
    uint8_t status[LEADLOG_OUTCOMES][2], reason[LEADLOG_OUTCOMES];
};

/* The replication's two files in the sink's directory. */
static int rep_path(char *buf, const struct leadlog_sink *s, unsigned rep, const char *ext)
{
    int n = snprintf(buf, PATH_MAX, "%s/r%u.%s", s->dir, rep, ext);
    return n < 0 || n >= PATH_MAX ? ENAMETOOLONG : 0;
}

/* ---- the sink --------------------------------------------------------------- */

/* The header, first in the log (the rows of a direct sink follow at once). */
static void write_header(const struct leadlog_sink *s)
{
    struct sim_csv w = sim_csv_on(s->out.fp);
    static const char *const header[] = {
        "replication", "lead", "channel", "created_h", "handed_h", "first_contact_h",
        "resolved_h", "group", "manager", "attempts", "outcome", "deal", "value", "waited_h",
        "status", "stated_reason",
    };
    static const char *const dated[] = {"created_at", "handed_at", "first_contact_at",
                                        "resolved_at"};
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        sim_csv_text(&w, header[i]);
    for (size_t i = 0; s->scn->start_date.dated && i < sizeof dated / sizeof dated[0]; i++)
        sim_csv_text(&w, dated[i]);
    sim_csv_end(&w);
}

int leadlog_sink_open(struct leadlog_sink *s, const char *path, const struct scenario *scn,
                      struct sim_err *err)
{
    memset(s, 0, sizeof *s);
    s->scn = scn;
    s->reps = scn->replications;
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 1;
    if (dlen >= sizeof dir)
        return sim_err_set(err, SIM_ERR_INPUT, "--leads %s: path too long", path);
    if (slash == NULL) {
        strcpy(dir, ".");
    } else if (dlen == 0) {
        strcpy(dir, "/");
    } else {
        memcpy(dir, path, dlen);
        dir[dlen] = '\0';
    }
    struct stat st;
    if (*name == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return sim_err_set(err, SIM_ERR_INPUT, "--leads %s: names a directory, not a file",
                           path);
    struct sim_err e = {0};
    if (sim_file_open(&s->out, dir, name, &e) != SIM_OK)
        return sim_err_set(err, SIM_ERR_INPUT, "--leads %s: cannot write the file: %s",
                           path, e.msg);
    int n = snprintf(s->dir, sizeof s->dir, "%s.d", s->out.tmp);
    if (n < 0 || (size_t)n >= sizeof s->dir || mkdir(s->dir, 0700) != 0) {
        int en = n < 0 || (size_t)n >= sizeof s->dir ? ENAMETOOLONG : errno;
        sim_file_discard(&s->out);
        s->dir[0] = '\0';
        return sim_err_set(err, SIM_ERR_INPUT, "--leads %s: cannot write there: %s", path,
                           strerror(en));
    }
    setvbuf(s->out.fp, NULL, _IOFBF, (size_t)1 << 20);   /* before any output */
    write_header(s);
    return SIM_OK;
}

static void remove_rep_files(struct leadlog_sink *s)
{
    char p[PATH_MAX];
    for (unsigned r = 0; r < s->reps; r++) {
        if (rep_path(p, s, r, "csv") == 0)
            unlink(p);
        if (rep_path(p, s, r, "bin") == 0)
            unlink(p);
    }
    if (s->dir[0] != '\0')
        rmdir(s->dir);
    s->dir[0] = '\0';
}

/* Appends the file at `from` to fp: in the kernel (copy_file_range),
 * or through a buffer where the kernel cannot. */
static int append_file(FILE *fp, const char *from)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return errno;
    int e = fflush(fp) != 0 ? errno : 0;
    bool kernel = true;
    while (!e) {
        ssize_t k;
        if (kernel) {
            k = copy_file_range(in, NULL, fileno(fp), NULL, (size_t)1 << 30, 0);
            if (k < 0 && (errno == ENOSYS || errno == EXDEV || errno == EINVAL ||
                           errno == EOPNOTSUPP)) {
                kernel = false;
                continue;
            }
        } else {
            static char buf[1 << 16];  /* the command's thread only */
            k = read(in, buf, sizeof buf);
            if (k > 0 && fwrite(buf, 1, (size_t)k, fp) != (size_t)k)
                e = errno ? errno : EIO;
        }
        if (k < 0 && errno != EINTR)
            e = errno;
        if (k == 0)
            break;
    }
    if (!e && !kernel && fflush(fp) != 0)
        e = errno ? errno : EIO;
    close(in);
    return e;
}

void leadlog_sink_memory(struct leadlog_sink *s, const struct scenario *scn,
                         struct history *hist)
{
    *s = (struct leadlog_sink){.scn = scn, .reps = scn->replications, .hist = hist};
}

int leadlog_sink_commit(struct leadlog_sink *s, const bool *done, struct sim_err *err)
{
    if (s->hist != NULL)
        return SIM_OK;
    int e = 0;
    char p[PATH_MAX];
    if (fflush(s->out.fp) != 0)
        e = errno ? errno : EIO;
    for (unsigned r = 0; r < s->reps && !e && !s->direct; r++)
        if (done[r] && (e = rep_path(p, s, r, "csv")) == 0)
            e = append_file(s->out.fp, p);
    remove_rep_files(s);
    if (e) {
        sim_file_discard(&s->out);
        return sim_err_set(err, SIM_ERR_RUNTIME, "--leads %s: %s", s->out.path, strerror(e));
    }
    return sim_file_commit(&s->out, err);
}

void leadlog_sink_discard(struct leadlog_sink *s)
{
    if (s->hist != NULL)
        return;
    remove_rep_files(s);
    if (s->out.fp != NULL)
        sim_file_discard(&s->out);
}

/* ---- the rows ----------------------------------------------------------------
 *
 * A row is built in a buffer by hand and written with one fwrite: a
 * fprintf per field cost four times the replication itself (2.5 million
 * rows of bench-funnel).  The names (channel, group, outcome) are quoted
 * once, by sim/csv, and copied; numbers are written here. */

/* A name as sim/csv writes it: at most every character doubled, quotes. */
#define LEADLOG_QUOTED (2 * SCN_NAME_MAX + 3)

/* With their lengths (a strlen a field showed in the profile), and the
 * row's tail "status,stated_reason" by outcome and whether won. */
struct names {
    char channel[SCN_MAX_CHANNELS][LEADLOG_QUOTED];
    char group[SCN_MAX_GROUPS][LEADLOG_QUOTED];
    char outcome[LEADLOG_OUTCOMES][LEADLOG_QUOTED];
    char tail[LEADLOG_OUTCOMES][2][32];
    uint8_t channel_len[SCN_MAX_CHANNELS], group_len[SCN_MAX_GROUPS];
    uint8_t outcome_len[LEADLOG_OUTCOMES], tail_len[LEADLOG_OUTCOMES][2];
};

static int quote(char *buf, const char *s)
{
    FILE *m = fmemopen(buf, LEADLOG_QUOTED, "w");
    if (m == NULL)
        return errno;
    struct sim_csv w = sim_csv_on(m);
    sim_csv_text(&w, s);
    int e = ferror(m) ? EIO : 0;
    fclose(m);      /* writes the terminating NUL */
    return e;
}

static int quote_names(struct names *n, const struct scenario *scn)
{
    int e = 0;
    for (unsigned c = 0; c < scn->n_channels && !e; c++)
        e = quote(n->channel[c], scn->channels[c].name);
    for (unsigned g = 0; g < scn->n_groups && !e; g++)
        e = quote(n->group[g], scn->team[g].name);
    for (unsigned o = 0; o < LEADLOG_OUTCOMES && !e; o++)
        e = quote(n->outcome[o], outcome_names[o]);
    for (unsigned c = 0; c < scn->n_channels; c++)
        n->channel_len[c] = (uint8_t)strlen(n->channel[c]);
    for (unsigned g = 0; g < scn->n_groups; g++)
        n->group_len[g] = (uint8_t)strlen(n->group[g]);
    for (unsigned o = 0; o < LEADLOG_OUTCOMES; o++) {
        n->outcome_len[o] = (uint8_t)strlen(n->outcome[o]);
        for (int won = 0; won < 2; won++)
            n->tail_len[o][won] = (uint8_t)snprintf(n->tail[o][won], sizeof n->tail[o][won],
                                                    "%s,%s", leadlog_status_name(o, won),
                                                    stated_of[o]);
    }
    return e;
}

static char *put_text(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* "00" .. "99": two digits a division. */
static const char digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* u in decimal at p, written in place from its last digit (the digit
 * count first, from a table): no temporary and no copy of variable length,
 * which cost more than the digits themselves (perf). */
static char *put_uint(char *p, uint64_t u)
{
    static const uint64_t pow10[] = {
        10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
        10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
        1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
        10000000000000000000u};
    unsigned n = 1;
    while (n < 20 && u >= pow10[n - 1])
        n++;
    char *q = p + n;
    while (u >= 100) {
        unsigned k = (unsigned)(u % 100) * 2;
        u /= 100;
        q -= 2;
        memcpy(q, digits2 + k, 2);
    }
    if (u >= 10)
        memcpy(q - 2, digits2 + u * 2, 2);
    else
        q[-1] = (char)('0' + u);
    return p + n;
}

/* x to 1e-9 (nine decimals, trailing zeros dropped); nothing for NaN.
 * Hours and deal values stay below 1e9; anything else takes %.17g.  The
 * rounding is llround's (half away from zero) without the call: for y >=
 * 0.5, y + 0.5 is exact or rounds to the integer llround gives, and below
 * 0.5 the answer is 0 (where y + 0.5 could round up to 1). */
static char *put_real(char *p, double x)
{
    if (isnan(x))
        return p;
    if (!(x >= 0.0 && x < 1e9))
        return p + sprintf(p, "%.17g", x);
    double y = x * 1e9;
    uint64_t n = y < 0.5 ? 0 : (uint64_t)(y + 0.5);
    p = put_uint(p, n / 1000000000u);
    uint32_t f = (uint32_t)(n % 1000000000u);
    if (f == 0)
        return p;
    *p = '.';
    for (int i = 8; i > 0; i -= 2, f /= 100)
        memcpy(p + i, digits2 + f % 100 * 2, 2);
    p[1] = (char)('0' + f);
    int k = 9;
    while (p[k] == '0')
        k--;
    return p + k + 1;
}

/* Day 0's date and the last day formatted: rows come in creation order,
 * so most timestamps fall on the day of the one before and the calendar
 * arithmetic runs about once a day, not four times a row. */
struct iso_cache {
    bool dated;
    int32_t date0;              /* day number of day 0 */
    int64_t day;                /* the day of `text`, INT64_MIN: none */
    char text[SIM_DATE_TEXT];
};

/* Hours since day 0 as `YYYY-MM-DDTHH:MM:SS`, to the nearest second;
 * nothing for NaN. */
static char *put_iso(char *p, struct iso_cache *c, double h)
{
    if (isnan(h))
        return p;
    int64_t sec = llround(h * 3600.0);
    int64_t day = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    int64_t in = sec - day * 86400;
    if (day != c->day) {
        sim_date_format((int32_t)(c->date0 + day), c->text);
        c->day = day;
    }
    memcpy(p, c->text, SIM_DATE_TEXT - 1);
    p += SIM_DATE_TEXT - 1;
    unsigned hh = (unsigned)(in / 3600), mm = (unsigned)(in / 60 % 60), ss = (unsigned)(in % 60);
    p[0] = 'T';
    memcpy(p + 1, digits2 + 2 * hh, 2);
    p[3] = ':';
    memcpy(p + 4, digits2 + 2 * mm, 2);
    p[6] = ':';
    memcpy(p + 7, digits2 + 2 * ss, 2);
    return p + 9;
}

/* One record as a CSV row into p (room: 14 numbers, three names, the
 * status, the reason and four timestamps). */
static char *put_row(char *p, const struct leadlog *g, const struct names *nm,
                     struct iso_cache *iso, const struct leadlog_rec *r)
{
    p = put_uint(p, g->rep);
    *p++ = ',';
    p = put_uint(p, r->lead);
    *p++ = ',';
    p = put_text(p, nm->channel[r->channel], nm->channel_len[r->channel]);
    const double t[] = {r->created, r->handed, r->first_contact, r->resolved};
    for (unsigned i = 0; i < 4; i++) {
        *p++ = ',';
        p = put_real(p, t[i]);
    }
    *p++ = ',';
    if (r->manager != LEAD_NO_MANAGER) {
        unsigned gr = g->team->mgr[r->manager].group;
        p = put_text(p, nm->group[gr], nm->group_len[gr]);
        *p++ = ',';
        p = put_uint(p, r->manager);
    } else {
        *p++ = ',';
    }
    *p++ = ',';
    p = put_uint(p, r->attempts);
    *p++ = ',';
    p = put_text(p, nm->outcome[r->outcome], nm->outcome_len[r->outcome]);
    *p++ = ',';
    if (r->deal != DEAL_NONE)
        *p++ = (char)('0' + r->deal);
    *p++ = ',';
    p = put_real(p, r->value);
    *p++ = ',';
    p = put_real(p, r->waited);
    *p++ = ',';
    int won = r->deal == 1;
    p = put_text(p, nm->tail[r->outcome][won], nm->tail_len[r->outcome][won]);
    if (iso->dated)
        for (unsigned i = 0; i < 4; i++) {
            *p++ = ',';
            p = put_iso(p, iso, t[i]);
        }
    *p++ = '\n';
    return p;
}

/* ---- in memory ----------------------------------------------------------------
 *
 * What history_read_leadlog makes of a row, without the row: each final
 * record goes to its lead's place in the history (lead numbers are dense,
 * so no ring and no order to wait for), with the scenario's channel and
 * manager numbers; at the end one pass in lead order turns those into the
 * history's names, indexed by first appearance as the reader does. */

/* The index of `name` in names(0 .. n-1), -1: none. */
static int name_index(const char *(*names)(unsigned), unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(names(i), name) == 0)
            return (int)i;
    return -1;
}

/* A name as the reader gets it back from the CSV: libcsv drops the spaces
 * around a field that sim_csv wrote unquoted (no comma, quote or line
 * break in it), so " web " comes back "web" (and an import of the log
 * names it so too: the fit matches channels by name). */
static const char *as_read(char buf[SCN_NAME_MAX + 1], const char *name)
{
    if (name[strcspn(name, ",\"\r\n")] != '\0')
        return name;
    name += strspn(name, " ");
    size_t n = strnlen(name, SCN_NAME_MAX);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

static void memory_open(struct leadlog *g, struct history *h)
{
    memset(h, 0, sizeof *h);
    g->h = h;
    /* The status and stated reason by the names the CSV would carry, so
     * both paths follow the same tables (leadlog_status_name, stated_of). */
    for (unsigned o = 0; o < LEADLOG_OUTCOMES; o++) {
        for (int won = 0; won < 2; won++)
            g->status[o][won] = (uint8_t)name_index(history_status_name, HISTORY_STATUSES,
                                                    leadlog_status_name(o, won));
        int re = *stated_of[o] ? name_index(history_reason_name, HISTORY_REASONS, stated_of[o])
                               : HISTORY_REASON_NONE;
        g->reason[o] = (uint8_t)(g->status[o][0] != HISTORY_LOST ? HISTORY_REASON_NONE
                                 : re == HISTORY_REASON_NONE ? HISTORY_REASON_OTHER : re);
    }
}

static void memory_emit(struct leadlog *g, const struct leadlog_rec *r)
{
    struct history *h = g->h;
    if (r->lead >= h->cap) {    /* amortised: doubling */
        h->cap = h->cap ? 2 * h->cap : 1024;
        while (h->cap <= r->lead)
            h->cap *= 2;
        h->lead = sim_reallocarray(h->lead, h->cap, sizeof *h->lead);
    }
    unsigned st = g->status[r->outcome][r->deal == 1];
    bool closed = st == HISTORY_WON || st == HISTORY_LOST || st == HISTORY_DISQUALIFIED;
    h->lead[r->lead] = (struct history_lead){
        .created_h = r->created, .first_contact_h = r->first_contact,
        .closed_h = closed ? r->resolved : NAN, .value = st == HISTORY_WON ? r->value : NAN,
        .channel = r->channel,  /* the scenario's numbers until memory_close */
        .owner = r->manager != LEAD_NO_MANAGER ? r->manager : HISTORY_NONE,
        .attempts = (uint16_t)(r->attempts > UINT16_MAX ? UINT16_MAX : r->attempts),
        .status = (uint8_t)st, .reason = g->reason[r->outcome],
    };
    const double t[] = {r->created, r->first_contact, r->resolved};
    for (int i = 0; i < 3; i++)
        if (t[i] > g->last)
            g->last = t[i];
}

/* Every record is in: names and indices by first appearance, the horizon
 * as the reader takes it (the end of the latest time's day), the origin. */
static int memory_close(struct leadlog *g, struct sim_err *err)
{
    struct history *h = g->h;
    const struct scenario *scn = g->sink->scn;
    h->n = (size_t)g->next;
    if (h->n == 0)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: replication %u: no lead (nothing to "
                           "make a history of)", scn->source, g->rep);
    uint32_t chan[SCN_MAX_CHANNELS];
    uint32_t *owner = sim_malloc((g->team->n + 1) * sizeof *owner);
    for (unsigned c = 0; c < SCN_MAX_CHANNELS; c++)
        chan[c] = UINT32_MAX - 1;
    for (unsigned m = 0; m < g->team->n; m++)
        owner[m] = UINT32_MAX - 1;
    for (size_t i = 0; i < h->n; i++) {
        struct history_lead *l = &h->lead[i];
        if (chan[l->channel] == UINT32_MAX - 1) {
            char buf[SCN_NAME_MAX + 1];
            const char *name = as_read(buf, scn->channels[l->channel].name);
            chan[l->channel] = *name ? history_channel(h, name) : HISTORY_NONE;
        }
        l->channel = chan[l->channel];
        if (l->owner == HISTORY_NONE)
            continue;
        if (owner[l->owner] == UINT32_MAX - 1) {
            char name[16], buf[SCN_NAME_MAX + 1];
            snprintf(name, sizeof name, "%u", (unsigned)l->owner);
            uint32_t o = history_owner(h, name);
            const char *grp = as_read(buf, scn->team[g->team->mgr[l->owner].group].name);
            if (*grp && h->owner[o].group == NULL)
                h->owner[o].group = sim_strdup(grp);
            owner[l->owner] = o;
        }
        l->owner = owner[l->owner];
    }
    free(owner);
    h->horizon_h = (floor(g->last / 24.0) + 1.0) * 24.0;
    if (scn->start_date.dated)
        h->origin = (struct sim_date_origin){.dated = true, .date = scn->start_date.date};
    history_sort(h);    /* creation order is created_h order: a check, no move */
    return SIM_OK;
}

/* ---- one replication -------------------------------------------------------- */

/* The room a row may take: three quoted names, 14 numbers, the status,
 * the reason and four date-times. */
#define LEADLOG_ROW (3 * LEADLOG_QUOTED + 14 * 32 + 2 * 16 + 4 * 24)

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void flush_text(struct leadlog *g)
{
    if (!g->error && g->used > 0)
        g->error = write_all(g->text, g->buf, g->used);
    g->used = 0;
}

static void write_row(struct leadlog *g, const struct leadlog_rec *r)
{
    g->used = (size_t)(put_row(g->buf + g->used, g, g->nm, g->iso, r) - g->buf);
    if (g->used >= LEADLOG_BUF)
        flush_text(g);
}

struct leadlog *leadlog_open(const struct leadlog_sink *s, unsigned rep, const struct sim *sim,
                             const struct lead_pool *pool, const struct team *team)
{
    struct leadlog *g = sim_calloc(1, sizeof *g);
    g->sink = s;
    g->rep = rep;
    g->sim = sim;
    g->pool = pool;
    g->team = team;
    g->fd = -1;
    g->text = -1;
    g->start = -1;
    if (s->hist != NULL) {
        memory_open(g, &s->hist[rep]);
        return g;
    }
    g->ring = sim_calloc(LEADLOG_RING, sizeof *g->ring);
    g->nm = sim_malloc(sizeof *g->nm);
    g->iso = sim_malloc(sizeof *g->iso);
    *g->iso = (struct iso_cache){.dated = s->scn->start_date.dated,
                                 .date0 = s->scn->start_date.date, .day = INT64_MIN};
    g->buf = sim_malloc(LEADLOG_BUF + LEADLOG_ROW);
    g->error = quote_names(g->nm, s->scn);
    if (!g->error)
        g->error = rep_path(g->bin, s, rep, "bin");
    if (!g->error)
        g->error = rep_path(g->csv, s, rep, "csv");
    if (g->error)
        return g;
    if (s->direct) {
        /* The header (or the replications before) is in the stdio buffer:
         * out first, then the rows go to the file's descriptor. */
        if (fflush(s->out.fp) != 0 || (g->start = lseek(fileno(s->out.fp), 0, SEEK_END)) < 0)
            g->error = errno ? errno : EIO;
        g->text = fileno(s->out.fp);
    } else if ((g->text = open(g->csv, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
        g->error = errno;
    }
    return g;
}

/* Binary records n from lead `at` on, into the file. */
static void put(struct leadlog *g, const struct leadlog_rec *r, uint64_t at, size_t n)
{
    if (g->error || n == 0)
        return;
    size_t bytes = n * sizeof *r;
    off_t off = (off_t)((at - g->spill_from) * sizeof *r);
    const char *p = (const char *)r;
    while (bytes > 0) {
        ssize_t k = pwrite(g->fd, p, bytes, off);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            g->error = errno;
            return;
        }
        p += k;
        off += k;
        bytes -= (size_t)k;
    }
}

/* Writes the window out and moves it to start at `base`. */
static void slide(struct leadlog *g, uint64_t base)
{
    uint64_t n = g->next - g->base < LEADLOG_WINDOW ? g->next - g->base : LEADLOG_WINDOW;
    put(g, g->window, g->base, (size_t)n);
    memset(g->window, 0, LEADLOG_WINDOW * sizeof *g->window);
    g->base = base;
}

/* After a spill: the record of lead r is final, into the window or in
 * place. */
static void emit_spilled(struct leadlog *g, const struct leadlog_rec *r)
{
    if (r->lead < g->base) {
        put(g, r, r->lead, 1);
        return;
    }
    if (r->lead >= g->base + LEADLOG_WINDOW)
        slide(g, r->lead - (r->lead - g->spill_from) % LEADLOG_WINDOW);
    g->window[r->lead - g->base] = *r;
}

/* The record of lead r is final: its row now if every lead before it is
 * written, else it waits in the ring; then the rows that were waiting
 * for it. */
static void emit(struct leadlog *g, const struct leadlog_rec *r)
{
    if (g->h != NULL) {
        memory_emit(g, r);
        return;
    }
    if (g->spilled) {
        emit_spilled(g, r);
        return;
    }
    if (r->lead == g->out) {    /* most leads: in order, straight out */
        write_row(g, r);
        g->out++;
    } else {
        struct leadlog_rec *s = &g->ring[r->lead % LEADLOG_RING];
        *s = *r;
        s->ready = 1;
    }
    while (g->out < g->next) {
        struct leadlog_rec *s = &g->ring[g->out % LEADLOG_RING];
        if (!s->ready)
            break;
        write_row(g, s);
        s->ready = 0;
        g->out++;
    }
}

/* The ring is full: lead `out` has stayed in the system for LEADLOG_RING
 * newer leads.  From now on the records go through the binary file (the
 * rows before `out` are written already). */
static void spill(struct leadlog *g)
{
    g->spilled = true;
    g->spill_from = g->base = g->out;
    g->window = sim_calloc(LEADLOG_WINDOW, sizeof *g->window);
    if (!g->error && (g->fd = open(g->bin, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
        g->error = errno;
    for (uint64_t k = g->out; k < g->next; k++)
        if (g->ring[k % LEADLOG_RING].ready)
            emit_spilled(g, &g->ring[k % LEADLOG_RING]);
    free(g->ring);
    g->ring = NULL;
}

static inline uint32_t index_of(const struct leadlog *g, const struct lead *l)
{
    return (uint32_t)(l - g->pool->leads);
}

static inline struct leadlog_rec *rec_of(struct leadlog *g, const struct lead *l)
{
    return &g->slot[index_of(g, l)];
}

void leadlog_created(struct leadlog *g, const struct lead *l)
{
    uint32_t id = index_of(g, l);
    if (id >= g->slots) {       /* the pool grew: amortised, as the pool */
        uint32_t n = g->pool->cap > id ? g->pool->cap : id + 1;
        g->slot = sim_reallocarray(g->slot, n, sizeof *g->slot);
        memset(g->slot + g->slots, 0, (size_t)(n - g->slots) * sizeof *g->slot);
        g->slots = n;
    }
    if (g->h == NULL && !g->spilled && g->next - g->out >= LEADLOG_RING)
        spill(g);
    struct leadlog_rec *r = &g->slot[id];
    *r = (struct leadlog_rec){
        .lead = g->next++, .created = sim_now(g->sim), .handed = NAN,
        .first_contact = NAN, .resolved = NAN, .waited = NAN, .value = NAN,
        .manager = LEAD_NO_MANAGER, .channel = l->channel, .deal = DEAL_NONE, .open = 1,
    };
}

void leadlog_handed(struct leadlog *g, const struct lead *l)
{
    rec_of(g, l)->handed = sim_now(g->sim);
}

void leadlog_first_contact(struct leadlog *g, const struct lead *l)
{
    if (l->flags & LEAD_ATTEMPTED)
        rec_of(g, l)->first_contact = sim_now(g->sim);
}

void leadlog_attempt(struct leadlog *g, const struct lead *l)
{
    rec_of(g, l)->attempts++;
}

void leadlog_deal(struct leadlog *g, const struct lead *l, bool won, double value)
{
    struct leadlog_rec *r = rec_of(g, l);
    r->deal = won;
    if (won)
        r->value = value;
}

/* Fills what the lead itself knows and writes the record. */
static void finish(struct leadlog *g, struct leadlog_rec *r, const struct lead *l,
                   unsigned outcome, double t)
{
    r->outcome = (uint8_t)outcome;
    r->resolved = t;
    if (l->flags & LEAD_ATTEMPTED)
        r->manager = l->mgr;
    if (outcome <= LEADLOG_QUALIFIED)   /* resolved: its wait is final */
        r->waited = l->waited;
    r->open = 0;
    emit(g, r);
}

void leadlog_left(struct leadlog *g, const struct lead *l, unsigned outcome)
{
    finish(g, rec_of(g, l), l, outcome, sim_now(g->sim));
}

/* After a spill: the binary records, in lead order, as rows. */
static int format_spilled(struct leadlog *g)
{
    if (lseek(g->fd, 0, SEEK_SET) < 0)
        return errno;
    uint64_t left = g->next - g->spill_from;
    while (left > 0) {
        size_t want = left < LEADLOG_WINDOW ? (size_t)left : LEADLOG_WINDOW;
        ssize_t k = read(g->fd, g->window, want * sizeof *g->window);
        if (k <= 0 || (size_t)k % sizeof *g->window)
            return k < 0 ? errno : EIO;
        size_t n = (size_t)k / sizeof *g->window;
        for (size_t i = 0; i < n; i++)
            write_row(g, &g->window[i]);
        left -= n;
    }
    return 0;
}

int leadlog_close(struct leadlog *g, int rc, struct sim_err *err)
{
    if (g == NULL)
        return rc;
    if (rc == SIM_OK) {
        for (uint32_t i = 0; i < g->slots; i++)
            if (g->slot[i].open)
                finish(g, &g->slot[i], &g->pool->leads[i], LEADLOG_UNRESOLVED, NAN);
        if (g->h != NULL)
            rc = memory_close(g, err);
        if (g->spilled) {
            slide(g, g->next);
            if (!g->error)
                g->error = format_spilled(g);
        }
        flush_text(g);
        if (g->error)
            rc = sim_err_set(err, SIM_ERR_RUNTIME, "--leads %s: replication %u: %s",
                             g->sink->out.path, g->rep, strerror(g->error));
    }
    if (g->h != NULL && rc != SIM_OK)
        history_free(g->h);    /* nothing half built is left to the caller */
    if (g->sink->direct && g->start >= 0 && rc != SIM_OK) {
        /* An interrupted or failed replication leaves no row in the log. */
        if (ftruncate(g->text, g->start) != 0 || lseek(g->text, g->start, SEEK_SET) < 0)
            rc = sim_err_set(err, SIM_ERR_RUNTIME, "--leads %s: %s", g->sink->out.path,
                             strerror(errno));
    }
    if (!g->sink->direct && g->text >= 0 && close(g->text) != 0 && rc == SIM_OK)
        rc = sim_err_set(err, SIM_ERR_RUNTIME, "--leads %s: replication %u: %s",
                         g->sink->out.path, g->rep, strerror(errno));
    if (g->fd >= 0)
        close(g->fd);
    if (g->bin[0] != '\0')
        unlink(g->bin);
    free(g->slot);
    free(g->ring);
    free(g->window);
    free(g->nm);
    free(g->iso);
    free(g->buf);
    free(g);
    return rc;
}
