/*
 * serve_page.h - the what-if page of `funnelsim serve`: its assets, built
 * into the program, and the metadata the page draws its controls from.
 *
 * PLACEHOLDER: the page (branch servepage) replaces serve_page.c with the
 * real assets and lever metadata, with these signatures.
 *
 * serve_page_asset(): the body of the asset at `path` ("/" or
 * "/assets/app.js"), which lives as long as the program; false when there
 * is none (the server answers 404).  serve_page_meta(): the levers,
 * measures, colours and names of `doc` (and of `after`, NULL without
 * --measures) as a JSON tree the caller deletes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_SERVE_PAGE_H
#define CLI_SERVE_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "models/scn_doc.h"

bool serve_page_asset(const char *path, const char **body, size_t *len,
                      const char **content_type);
cJSON *serve_page_meta(const struct scn_doc *doc, const struct scn_doc *after);

#endif
