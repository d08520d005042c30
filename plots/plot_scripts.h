/*
 * plot_scripts.h - the gnuplot scripts plots/NAME.gp, built into the binary.
 *
 * plots/embed.sh turns every plots/NAME.gp into a table of its lines in a
 * generated C file (build/gen/plot_scripts.c; see the Makefile), so that
 * the program can write the scripts into any result directory without
 * knowing where it was installed.  Lines, not one literal per script: ISO
 * C only promises string literals of 4095 characters, and -Wpedantic holds
 * us to that.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_SCRIPTS_H
#define PLOTS_PLOT_SCRIPTS_H

#include <stddef.h>

struct plot_script {
    const char *name;               /* "junk_vs_inflow.gp" */
    const char *const *lines;       /* each ends with "\n" */
    size_t n_lines;
};

extern const struct plot_script plot_scripts[];
extern const size_t plot_scripts_count;

#endif
