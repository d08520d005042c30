/* SPDX-License-Identifier: MIT */
/*
 * cmd_import.c - `funnelsim import LEADS.csv [--managers MANAGERS.csv]
 * [--map MAP.json] --out DIR`: a CRM export (or one replication of a lead
 * log) into a lead history that `facts` and `fit` read.
 *
 * The work is models/crm_import.c's; this file checks the arguments,
 * claims DIR, writes the files and prints the counts.  Files in DIR:
 * history.json, leads.csv, owners.csv (history_save()), import.json and
 * import-problems.csv (crm_report_save()).  Nothing is written when the
 * import fails (exit 2 names the file, the line and the rule).
 */
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "cli/cli.h"
#include "cli/manifest.h"
#include "cli/output.h"
#include "models/crm_import.h"
#include "models/crm_map.h"
#include "models/history.h"

static void print_table(FILE *fp, const struct crm_report *r, const struct history *h,
                        const char *file, const char *dir)
{
    char day[SIM_DATE_TEXT];
    if (r->leadlog)
        fprintf(fp, "%s: a lead log, replication %u: %zu leads\n", file, r->replication, h->n);
    else
        fprintf(fp, "%s: %zu rows, %zu leads imported, %zu skipped (%zu duplicate ids)\n", file,
                r->rows, r->parsed, r->skipped, r->duplicates);
    for (unsigned u = 0; u < CRM_RULES; u++)
        if (r->by_rule[u])
            fprintf(fp, "  skipped %-24s %zu\n", crm_rule_name(u), r->by_rule[u]);
    fputs("  status:", fp);
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        fprintf(fp, " %s %zu%s", history_status_name(s), r->status[s],
                s + 1 < HISTORY_STATUSES ? "," : "\n");
    if (r->status_derived)
        fprintf(fp, "  %zu statuses derived (no status given: docs/import.md)\n",
                r->status_derived);
    if (r->n_unmapped)
        fprintf(fp, "  %zu lost reasons not in the map, counted as other (import.json "
                "lists them)\n", r->n_unmapped);
    if (r->offsets_dropped)
        fprintf(fp, "  %zu times had a UTC offset, dropped (no timezone in the map: the "
                "wall clock as written)\n", r->offsets_dropped);
    if (h->origin.dated)
        fprintf(fp, "  day 0: %s, %.0f days; channels: %zu, owners: %zu\n",
                sim_date_format(h->origin.date, day), h->horizon_h / 24.0, h->n_channels,
                h->n_owners);
    fprintf(fp, "  written: %s/leads.csv, owners.csv, history.json, import.json, "
            "import-problems.csv\n", dir);
}

static int import_run(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "import: needs one LEADS.csv file");
        return cli_fail(cmd, &err);
    }
    if (o->out == NULL) {
        sim_err_set(&err, SIM_ERR_INPUT, "import: needs --out DIR (where the history goes)");
        return cli_fail(cmd, &err);
    }
    const char *file = o->args[0];
    struct crm_map map;
    bool have_map = o->map != NULL;
    if (have_map && crm_map_load(o->map, &map, &err) != SIM_OK)
        return cli_fail(cmd, &err);
    struct crm_import_opts io = {
        .map = have_map ? &map : NULL, .managers = o->managers, .replication = o->replication,
    };
    struct history h;
    struct crm_report r;
    int rc = out_prepare_dir(o, &err);
    if (rc == SIM_OK)
        rc = crm_import_file(file, file, &io, &h, &r, &err);
    if (rc != SIM_OK) {
        if (have_map)
            crm_map_free(&map);
        return cli_finish(cmd, rc, &err);
    }
    if (o->overwrite)
        rc = manifest_clear(o->out, &err);
    if (rc == SIM_OK)
        rc = history_save(&h, o->out, &err);
    if (rc == SIM_OK)
        rc = crm_report_save(&r, &h, file, o->out, &err);

    /* ---- HOOK: the facts (facts.json, report.html, scenario.json) --------------
     * facts14's step runs here after the merge, on the history just written:
     *     if (rc == SIM_OK)
     *         rc = facts_write(&h, &r, o->out, &err);   (or its equivalent)
     * import itself never writes facts.json. */

    if (rc == SIM_OK) {
        if (o->format == FORMAT_JSON) {
            cJSON *j = crm_report_json(&r, &h, file);
            out_print_json(stdout, j);
            cJSON_Delete(j);
        } else {
            print_table(stdout, &r, &h, file, o->out);
        }
        rc = out_flush_stdout(&err);
    }
    history_free(&h);
    crm_report_free(&r);
    if (have_map)
        crm_map_free(&map);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_import = {
    .name = "import",
    .usage = "LEADS.csv [--managers MANAGERS.csv] [--map MAP.json] --out DIR [options]",
    .summary = "read a CRM export (or one replication of a lead log) into a lead history",
    .help = "LEADS.csv: one row per lead; columns lead_id and created_at required, channel,\n"
            "owner, first_contact_at, attempts, status (won, qualified, lost, disqualified,\n"
            "open), reason, closed_at and value optional; the delimiter and the date forms\n"
            "are detected.  --map names the file's own columns, statuses, reasons, encoding\n"
            "and timezone (docs/import.md).  A lead log of `run --leads` is recognised by\n"
            "its header and read through its built-in map (--replication N).\n"
            "Writes DIR/leads.csv, owners.csv, history.json, import.json (the counts) and\n"
            "import-problems.csv (each skipped row: its line and the rule it broke).\n",
    .options = OPT_BIT(OPT_OUT) | OPT_BIT(OPT_MANAGERS) | OPT_BIT(OPT_MAP) |
               OPT_BIT(OPT_REPLICATION) | OPT_BIT(OPT_FORMAT) | OPT_BIT(OPT_OVERWRITE),
    .formats = FORMAT_BIT(FORMAT_TABLE) | FORMAT_BIT(FORMAT_JSON),
    .run = import_run,
};
