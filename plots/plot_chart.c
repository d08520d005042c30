/* SPDX-License-Identifier: MIT */
/*
 * plot_chart.c - the table of chart kinds, and their scripts written out
 * (plot_chart.h).
 */
#include <string.h>

#include "plots/plot_chart.h"
#include "plots/plot_scripts.h"

const struct plot_chart_desc plot_charts[PLOT_CHART_COUNT] = {
    [PLOT_CHART_JUNK_VS_INFLOW] = {
        "junk_vs_inflow", "Junk rate vs weekly inflow",
        {"value", "offered_per_week", "load_ratio", "junk_pct", "junk_lo_pct",
         "junk_hi_pct", NULL}},
    [PLOT_CHART_JUNK_BY_CAUSE] = {
        "junk_by_cause", "Junk by cause vs inflow",
        {"value", "offered_per_week", "bad_fit_pct", "theorist_pct", "unreachable_pct",
         "went_cold_pct", "misjudged_pct", "abandoned_pct", "junk_pct", NULL}},
    [PLOT_CHART_RUN_OVER_TIME] = {
        "run_over_time", "One run over time",
        {"day", "weeks", "backlog", "inflow_week", "junk_week_pct", "cohort_junk_pct",
         "cohort_junk_lo_pct", "cohort_junk_hi_pct", NULL}},
    [PLOT_CHART_SIZING_MAP] = {
        "sizing_map", "Sizing map: junk rate over inflow and team",
        {"value", "value2", "offered_per_week", "load_ratio", "junk_pct", "junk_lo_pct",
         "junk_hi_pct", NULL}},
    [PLOT_CHART_MEASURES_WATERFALL] = {
        "measures_waterfall", "The seven measures, one at a time",
        {"step", "from_pct", "to_pct", "change_pts", "kind", "label", "shapley_pts", NULL}},
    [PLOT_CHART_WASTED_MONEY] = {
        "wasted_money", "Wasted money and revenue vs inflow",
        {"value", "offered_per_week", "wasted_month", "wasted_lo_month", "wasted_hi_month",
         "revenue_month", "revenue_lo_month", "revenue_hi_month", "spend_month", NULL}},
    [PLOT_CHART_JUNK_BY_CHANNEL] = {
        "junk_by_channel", "Junk by reason in each channel",
        {"row", "channel", "bad_fit_pct", "theorist_pct", "unreachable_pct", "went_cold_pct",
         "misjudged_pct", "abandoned_pct", "junk_pct", "junk_lo_pct", "junk_hi_pct", NULL}},
    [PLOT_CHART_CAMPAIGN_EFFECT] = {
        "campaign_effect", "The campaigns' effect, week by week",
        {"week", "weeks", "junk_pct", "junk_lo_pct", "junk_hi_pct", "base_junk_pct",
         "base_junk_lo_pct", "base_junk_hi_pct", "revenue", "revenue_lo", "revenue_hi",
         "base_revenue", "base_revenue_lo", "base_revenue_hi", "complete", NULL}},
    [PLOT_CHART_SENSITIVITY_TORNADO] = {
        "sensitivity_tornado", "Which assumptions matter (tornado)",
        {"row", "label", "base", "at_low", "at_high", "swing", "swing_lo", "swing_hi",
         "within_noise", "swing_text", "text_x", NULL}},
};

size_t plot_chart_columns(enum plot_chart c)
{
    size_t n = 0;
    while (n < PLOT_CHART_MAX_COLUMNS && plot_charts[c].columns[n] != NULL)
        n++;
    return n;
}

bool plot_chart_script_write(const char *name, FILE *fp)
{
    for (size_t i = 0; i < plot_scripts_count; i++) {
        if (strcmp(plot_scripts[i].name, name) != 0)
            continue;
        for (size_t k = 0; k < plot_scripts[i].n_lines; k++)
            fputs(plot_scripts[i].lines[k], fp);
        return true;
    }
    return false;
}
