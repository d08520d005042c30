/* SPDX-License-Identifier: MIT */
/* Placeholder until the page's branch (servepage) lands: one page with no
 * script, and metadata naming the scenario only. */
#include "cli/serve_page.h"

#include <string.h>

#include "sim/mem.h"

static const char index_html[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>funnelsim</title></head>\n<body><h1>funnelsim serve</h1>"
    "<p>The page is not built in this version; the API is at /api/.</p></body></html>\n";

bool serve_page_asset(const char *path, const char **body, size_t *len,
                      const char **content_type)
{
    if (strcmp(path, "/") != 0 && strcmp(path, "/index.html") != 0)
        return false;
    *body = index_html;
    *len = sizeof index_html - 1;
    *content_type = "text/html; charset=utf-8";
    return true;
}

cJSON *serve_page_meta(const struct scn_doc *doc, const struct scn_doc *after)
{
    cJSON *meta = sim_mem_check(cJSON_CreateObject());
    cJSON_AddStringToObject(meta, "scenario", scn_doc_name(doc));
    cJSON_AddBoolToObject(meta, "measures", after != NULL);
    return meta;
}
