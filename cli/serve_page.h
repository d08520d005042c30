/*
 * serve_page.h - the what-if page of `funnelsim serve`: its files and the
 * description of its controls.
 *
 * The page (web/index.html, web/app.js, web/style.css) is built into the
 * program by scripts/embed-web.sh, so the server needs no file of its own
 * at run time and the page works offline: no network, no CDN, no inline
 * script (the server's Content-Security-Policy is default-src 'self').
 *
 * serve_page_meta() describes the scenario to the page, from the key table
 * only (models/keytab.h; no path is parsed to guess what a key is):
 *
 *   name, description        the scenario's
 *   levers[]                 {key, label, unit, type, value, min, max, step,
 *                             nullable, role}: every key in the document the key
 *                             table tags as a lever: the inflow of each
 *                             channel (KEYTAB_INFLOW), the managers of each
 *                             group (KEYTAB_HEADCOUNT), the handoff cap
 *                             (KEYTAB_CAP: null means none; nullable true)
 *                             and the on/off switches (KEYTAB_SWITCH, e.g.
 *                             campaigns, when the document has them).  type
 *                             is "integer", "number" or "bool"; role is
 *                             "inflow", "headcount", "cap" or "switch" (the
 *                             page scales the inflows for its curve).  The range
 *                             is the key's plausible range when a study
 *                             gives one and today's value lies in it, else
 *                             0.25x to 3x today's value, inside the key's
 *                             allowed range.
 *   measures[]               with an AFTER scenario: {number, name, keys:
 *                             [{key, value}]} for each of the seven measures
 *                             whose keys differ between the two documents
 *                             (scn_doc_diff, measure_of_path: the waterfall's
 *                             split), each key with AFTER's value; a key one
 *                             of them lacks, or an array whose length
 *                             differs, cannot be set and is left out, and
 *                             counted in `unsettable`.
 *   colours                  plots/plot_style.h's table: the report's
 *   reasons[]                {key, label, colour}: the junk reasons, in the
 *                             order and with the words of the report
 *   metrics                  {key: label} of the figures the page shows
 *
 * Paths are written as for --set; values are JSON values /api/run accepts.
 *
 * Ownership: serve_page_asset()'s answer points into constant data;
 * serve_page_meta() returns a tree the caller frees with cJSON_Delete().
 * Out of memory stops the program (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_SERVE_PAGE_H
#define CLI_SERVE_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

struct scn_doc;

/* One built-in file (written by scripts/embed-web.sh). */
struct serve_page_file {
    const char *name;           /* "index.html", "app.js", "style.css" */
    const char *content_type;   /* with charset */
    const char *body;
    size_t len;
};

extern const struct serve_page_file serve_page_files[];
extern const size_t serve_page_files_count;

/* The file a request path names: "/" is index.html, "/assets/NAME" a
 * built-in file; anything else (including "/index.html", "..", a query) is
 * false. */
bool serve_page_asset(const char *path, const char **body, size_t *len,
                      const char **content_type);

/* The page's description of `doc`, with the measures of AFTER when `after`
 * is not NULL (see above). */
cJSON *serve_page_meta(const struct scn_doc *doc, const struct scn_doc *after);

#endif
