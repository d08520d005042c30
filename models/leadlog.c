/* SPDX-License-Identifier: MIT */
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

const char *leadlog_outcome_name(unsigned outcome)
{
    return outcome < LEADLOG_OUTCOMES ? outcome_names[outcome] : "?";
}

/* Significant digits of times and values: 1e-12 relative, so sums
 * recomputed from the log agree with the results to far better than 1e-9. */
#define LEADLOG_DIGITS 13

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
};

struct leadlog {
    const struct leadlog_sink *sink;
    unsigned rep;
    const struct sim *sim;
    const struct lead_pool *pool;
    const struct team *team;
    struct leadlog_rec *slot;   /* by pool index */
    uint32_t slots;
    uint64_t next;              /* the next lead number */
    struct leadlog_rec *window; /* leads base .. base + LEADLOG_WINDOW - 1 */
    uint64_t base;
    int fd;                     /* the binary records */
    int error;                  /* errno of the first failure, 0 */
    char bin[PATH_MAX], csv[PATH_MAX];
};

/* The replication's two files in the sink's directory. */
static int rep_path(char *buf, const struct leadlog_sink *s, unsigned rep, const char *ext)
{
    int n = snprintf(buf, PATH_MAX, "%s/r%u.%s", s->dir, rep, ext);
    return n < 0 || n >= PATH_MAX ? ENAMETOOLONG : 0;
}

/* ---- the sink --------------------------------------------------------------- */

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

/* Copies the file at `from` to fp. */
static int append_file(FILE *fp, const char *from)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL)
        return errno;
    static char buf[1 << 16];  /* the command's thread only */
    size_t n;
    int e = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, fp) != n) {
            e = errno ? errno : EIO;
            break;
        }
    if (!e && ferror(in))
        e = errno ? errno : EIO;
    fclose(in);
    return e;
}

int leadlog_sink_commit(struct leadlog_sink *s, const bool *done, struct sim_err *err)
{
    struct sim_csv w = sim_csv_on(s->out.fp);
    static const char *const header[] = {
        "replication", "lead", "channel", "created_h", "handed_h", "first_contact_h",
        "resolved_h", "group", "manager", "attempts", "outcome", "deal", "value", "waited_h",
    };
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        sim_csv_text(&w, header[i]);
    sim_csv_end(&w);
    int e = 0;
    char p[PATH_MAX];
    for (unsigned r = 0; r < s->reps && !e; r++)
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
    remove_rep_files(s);
    if (s->out.fp != NULL)
        sim_file_discard(&s->out);
}

/* ---- one replication -------------------------------------------------------- */

struct leadlog *leadlog_open(const struct leadlog_sink *s, unsigned rep, const struct sim *sim,
                             const struct lead_pool *pool, const struct team *team)
{
    struct leadlog *g = sim_calloc(1, sizeof *g);
    g->sink = s;
    g->rep = rep;
    g->sim = sim;
    g->pool = pool;
    g->team = team;
    g->window = sim_calloc(LEADLOG_WINDOW, sizeof *g->window);
    g->fd = -1;
    g->error = rep_path(g->bin, s, rep, "bin");
    if (!g->error)
        g->error = rep_path(g->csv, s, rep, "csv");
    if (!g->error) {
        g->fd = open(g->bin, O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (g->fd < 0)
            g->error = errno;
    }
    return g;
}

static void put(struct leadlog *g, const struct leadlog_rec *r, uint64_t at, size_t n)
{
    if (g->error || n == 0)
        return;
    size_t bytes = n * sizeof *r;
    off_t off = (off_t)(at * sizeof *r);
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

/* The record of lead r is final: into the window, or in place. */
static void emit(struct leadlog *g, const struct leadlog_rec *r)
{
    if (r->lead < g->base) {
        put(g, r, r->lead, 1);
        return;
    }
    if (r->lead >= g->base + LEADLOG_WINDOW)
        slide(g, r->lead - r->lead % LEADLOG_WINDOW);
    g->window[r->lead - g->base] = *r;
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

/* The binary records, in lead order, as CSV rows. */
static int format_rows(struct leadlog *g)
{
    const struct scenario *scn = g->sink->scn;
    FILE *out = fopen(g->csv, "wb");
    if (out == NULL)
        return errno;
    if (lseek(g->fd, 0, SEEK_SET) < 0) {
        int e = errno;
        fclose(out);
        return e;
    }
    struct sim_csv w = sim_csv_on(out);
    uint64_t left = g->next;
    int e = 0;
    while (left > 0 && !e) {
        size_t want = left < LEADLOG_WINDOW ? (size_t)left : LEADLOG_WINDOW;
        ssize_t k = read(g->fd, g->window, want * sizeof *g->window);
        if (k <= 0 || (size_t)k % sizeof *g->window) {
            e = k < 0 ? errno : EIO;
            break;
        }
        size_t n = (size_t)k / sizeof *g->window;
        for (size_t i = 0; i < n; i++) {
            const struct leadlog_rec *r = &g->window[i];
            sim_csv_uint(&w, g->rep);
            sim_csv_uint(&w, r->lead);
            sim_csv_text(&w, scn->channels[r->channel].name);
            sim_csv_real(&w, r->created, LEADLOG_DIGITS);
            sim_csv_real(&w, r->handed, LEADLOG_DIGITS);
            sim_csv_real(&w, r->first_contact, LEADLOG_DIGITS);
            sim_csv_real(&w, r->resolved, LEADLOG_DIGITS);
            if (r->manager != LEAD_NO_MANAGER) {
                sim_csv_text(&w, scn->team[g->team->mgr[r->manager].group].name);
                sim_csv_uint(&w, r->manager);
            } else {
                sim_csv_empty(&w);
                sim_csv_empty(&w);
            }
            sim_csv_uint(&w, r->attempts);
            sim_csv_text(&w, leadlog_outcome_name(r->outcome));
            if (r->deal != DEAL_NONE)
                sim_csv_uint(&w, r->deal);
            else
                sim_csv_empty(&w);
            sim_csv_real(&w, r->value, LEADLOG_DIGITS);
            sim_csv_real(&w, r->waited, LEADLOG_DIGITS);
            sim_csv_end(&w);
        }
        left -= n;
    }
    if (fflush(out) != 0 && !e)
        e = errno ? errno : EIO;
    if (ferror(out) && !e)
        e = EIO;
    if (fclose(out) != 0 && !e)
        e = errno ? errno : EIO;
    return e;
}

int leadlog_close(struct leadlog *g, int rc, struct sim_err *err)
{
    if (g == NULL)
        return rc;
    if (rc == SIM_OK) {
        for (uint32_t i = 0; i < g->slots; i++)
            if (g->slot[i].open)
                finish(g, &g->slot[i], &g->pool->leads[i], LEADLOG_UNRESOLVED, NAN);
        slide(g, g->next);
        if (!g->error)
            g->error = format_rows(g);
        if (g->error)
            rc = sim_err_set(err, SIM_ERR_RUNTIME, "--leads %s: replication %u: %s",
                             g->sink->out.path, g->rep, strerror(g->error));
    }
    if (g->fd >= 0)
        close(g->fd);
    if (g->bin[0] != '\0')
        unlink(g->bin);
    free(g->slot);
    free(g->window);
    free(g);
    return rc;
}
