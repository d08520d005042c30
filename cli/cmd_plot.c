/* SPDX-License-Identifier: MIT */
/*
 * funnelsim plot DIR: every chart that DIR's result files support, and
 * report.html.  The work is plots/plot.c's; this file is the command.
 *
 * Exit codes: 0 when every supported chart was drawn; 1 when gnuplot is
 * missing (the data, scripts and report are written all the same, and
 * the message says how to install gnuplot and rerun) or failed, or on an
 * I/O error or when another funnelsim is writing DIR (its lock,
 * sim/dirlock.h); 2 when DIR holds no result file funnelsim knows, or
 * files of two runs (plots/plot_origin.h); 130 when SIGINT or SIGTERM
 * stopped it: gnuplot is stopped, no chart is left half-drawn, no
 * further chart is drawn and report.html is not written.
 * (`run|sweep|compare --plot` treat a missing gnuplot as a warning
 * instead: their own results are written, so they exit 0.)
 */
#include <stdio.h>

#include "plots/plot.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "sim/dirlock.h"

static int plot(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "plot: needs exactly one DIR (got %zu)", o->n_args);
        return cli_fail(cmd, &err);
    }
    /* One writer at a time in DIR: plot waits for no run.  A lock that
     * cannot be taken for another reason (no such directory, one that
     * cannot be written) is left to plot_dir() to report. */
    const char *dir = o->args[0];
    struct sim_dirlock lock = {.fd = -1};
    char what[64 + PATH_MAX];
    snprintf(what, sizeof what, "plot %s", dir);
    int rc = sim_dirlock_take(&lock, dir, what, &err);
    if (rc != SIM_OK && lock.busy)
        return cli_finish(cmd, rc, &err);
    sim_err_clear(&err);
    cli_signals();
    char on_name[64];
    struct plot_opts opts = {
        .target = o->given[OPT_TARGET_JUNK] ? o->target_junk : 0,
        .target_on_name = o->given[OPT_TARGET_ON]
                              ? cli_target_on_name(&o->target_on, on_name, sizeof on_name)
                              : NULL,
        .target_on = o->given[OPT_TARGET_ON] ? &o->target_on : NULL,
        .log = o->quiet ? NULL : stdout,
        .warn = stderr,
        .stop = cli_stop_flag(),
    };
    struct plot_outcome out;
    rc = plot_dir(dir, &opts, &out, &err);
    sim_dirlock_release(&lock);
    if (out.interrupted) {
        fflush(stdout);
        fprintf(stderr, "funnelsim: %s\n", err.msg);
        return CLI_EXIT_INTERRUPTED;
    }
    if (rc == SIM_OK)
        rc = out_flush_stdout(&err);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_plot = {
    .name = "plot",
    .usage = "DIR [options]",
    .summary = "Draw every chart that DIR's results support (PNG and SVG, with gnuplot)\n"
               "and write DIR/report.html, a one-page report for a planning meeting.",
    .help = "DIR is where run, sweep or compare --measures wrote their files with --out:\n"
            "  sweep.json (one --vary)     junk_vs_inflow, junk_by_cause, wasted_money\n"
            "  sweep.json (with --vary2)   sizing_map\n"
            "  result.json and series      run_over_time, junk_by_channel\n"
            "  result.json with campaigns  campaign_effect (the run with and without its\n"
            "    or trade shows            campaigns and trade shows, same seed)\n"
            "  measures.json               measures_waterfall\n"
            "  sensitivity.json            sensitivity_tornado (taller with more keys)\n"
            "For each chart it writes NAME.dat (the data), NAME.vars (title, labels, marks)\n"
            "and NAME.gp (the gnuplot script), then NAME.png (1600x1000) and NAME.svg; to\n"
            "restyle one, edit the script and run `cd DIR && gnuplot NAME.gp`.  It says\n"
            "which charts it drew and which it skipped, and why.\n"
            "\n"
            "report.html holds the charts (SVG, inline), a table of key numbers and a\n"
            "summary in words; it needs no network.  Charts and sentences name what was\n"
            "swept as the scenario's key table labels it (\"web leads a week\"), and the\n"
            "report lists the run's overrides the same way.\n"
            "\n"
            "The target line is the junk rate the results ran with (the scenario's\n"
            "report.target_junk, or the --target-junk of run, sweep or compare), 10%\n"
            "for results that record none; --target-junk here overrides it.\n"
            "--target-on average|worst-week|window:FROM..TO says what a run's target is\n"
            "tested on (default: the run's own --target-on, else the average): the charts\n"
            "over time and the report give the junk rate on that measure against the\n"
            "target, a window hatched (a window needs run --target-on with it).\n"
            "\n"
            "gnuplot is found on PATH.  Without it the data, scripts and report are still\n"
            "written and the command exits 1: install gnuplot (apt-get install\n"
            "gnuplot-nox) and run `funnelsim plot DIR` again.  (--plot on run, sweep and\n"
            "compare only warns, and exits 0.)\n"
            "\nExample:\n"
            "  funnelsim sweep scenarios/default.json --vary channels[0].arrivals.per_week \\\n"
            "      --from 250 --to 1000 --steps 16 --out out/web\n"
            "  funnelsim plot out/web\n",
    .options = OPT_BIT(OPT_QUIET) | OPT_BIT(OPT_TARGET_JUNK) | OPT_BIT(OPT_TARGET_ON),
    .run = plot,
};
