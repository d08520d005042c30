/* SPDX-License-Identifier: MIT */
/*
 * plot_style.c - the colour table (plot_style.h).
 *
 * The reasons that do not rise with load in the shipped scenarios are in
 * cool colours, those that come with overload (went cold, misjudged,
 * abandoned) in warm ones, so the top of a stacked chart reads as what
 * load costs.
 */
#include <string.h>

#include "plots/plot_style.h"

/* The first JUNK_REASONS rows are the reasons, in enum junk_reason order. */
const struct plot_style_colour plot_style_colours[] = {
    {"bad_fit", "#2c5d8f"},
    {"theorist", "#5b9bd5"},
    {"unreachable", "#8e7cc3"},
    {"went_cold", "#f6b26b"},
    {"misjudged", "#e8743b"},
    {"abandoned", "#b8312f"},
    {"target", "#2a9d3a"},      /* the junk target line */
    {"cap", "#555555"},         /* the capacity line */
    {"today", "#e08214"},       /* today's point */
    {"knee", "#c0392b"},
    {"mean", "#1f4e79"},        /* a measured curve */
    {"band", "#9ecae1"},        /* its 95% interval */
    {"junk", "#c0392b"},
    {"inflow", "#7fb3d5"},
    {"backlog", "#1f4e79"},
    {"wasted", "#c0392b"},
    {"revenue", "#2a7d3a"},
    {"total", "#7f8c8d"},       /* the waterfall's end bars */
    {"down", "#2a9d3a"},        /* a step that lowers the junk */
    {"up", "#c0392b"},          /* a step that raises it */
    {"ink", "#222222"},         /* the junk rate over stacked causes */
    {"waterfall_target", "#1f4e79"},    /* apart from the green of `down` */
    {"campaign", "#d6eaf8"},    /* a campaign's window (charts over time) */
    {"show", "#d35400"},        /* a trade show (a batch `on` day) */
    {"hire", "#1e8449"},        /* hires start */
    {"leave", "#922b21"},       /* managers leave */
    {"base", "#5d6d7e"},        /* the run without its campaigns */
    {"base_band", "#d5dbdb"},   /* its 95% interval */
    {"sens_low", "#5b9bd5"},    /* tornado: the metric at a key's low end */
    {"sens_high", "#e8743b"},   /* and at its high end */
    {"sens_noise", "#9a9a9a"},  /* a swing within the noise (hatched) */
};
const size_t plot_style_colours_count = sizeof plot_style_colours / sizeof plot_style_colours[0];

const char *plot_style_reason(enum junk_reason r)
{
    return r < JUNK_REASONS ? plot_style_colours[r].rgb : NULL;
}

const char *plot_style_find(const char *name)
{
    for (size_t i = 0; i < plot_style_colours_count; i++)
        if (strcmp(plot_style_colours[i].name, name) == 0)
            return plot_style_colours[i].rgb;
    return NULL;
}

void plot_style_write_vars(FILE *fp)
{
    fputs("rgb_reasons = '", fp);
    for (unsigned r = 0; r < JUNK_REASONS; r++)
        fprintf(fp, "%s%s", r ? " " : "", plot_style_colours[r].rgb);
    fputs("'\n", fp);
    for (size_t i = 0; i < plot_style_colours_count; i++)
        fprintf(fp, "rgb_%s = '%s'\n", plot_style_colours[i].name, plot_style_colours[i].rgb);
}
