/*
 * test_path.c - sim_path_relative() (sim/path.h) on a real directory tree:
 * up, down and across; a sibling whose name begins with the directory's
 * ("crmx" beside "crm": components, not characters); through a symbolic
 * link and through "..": from the real paths; relative to the working
 * directory.  Every relative answer is checked by the kernel as well:
 * DIR/answer resolves to the target.  Only the root in common gives the
 * absolute real path; a missing path or a short buffer fails with errno.
 *
 * Suite `path` (fast).
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700       /* realpath(3) */
#include <criterion/criterion.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/path.h"
#include "tests/cli_harness.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* base/NAME, made: a directory, or an empty file when `file`. */
static void make(const char *base, const char *name, bool file)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", base, name);
    if (file) {
        FILE *fp = fopen(p, "w");
        cr_assert_not_null(fp, "%s", p);
        fclose(fp);
    } else {
        cr_assert_eq(mkdir(p, 0777), 0, "%s: %s", p, strerror(errno));
    }
}

/* target from `from` (both under base unless absolute) is `want`, and
 * from/answer names the target. */
static void expect_relative(const char *base, const char *target, const char *from,
                            const char *want)
{
    char t[PATH_MAX], f[PATH_MAX], got[PATH_MAX];
    snprintf(t, sizeof t, "%s/%s", base, target);
    snprintf(f, sizeof f, "%s/%s", base, from);
    cr_assert_eq(sim_path_relative(got, sizeof got, t, f), SIM_PATH_RELATIVE,
                 "%s from %s: %s", target, from, strerror(errno));
    cr_expect_str_eq(got, want, "%s from %s", target, from);
    char joined[2 * PATH_MAX + 2], a[PATH_MAX], b[PATH_MAX];
    snprintf(joined, sizeof joined, "%s/%s", f, got);
    cr_assert_not_null(realpath(joined, a), "%s: %s", joined, strerror(errno));
    cr_assert_not_null(realpath(t, b));
    cr_expect_str_eq(a, b, "%s does not name %s", joined, t);
}

Test(path, relative_up_down_across_and_through_links)
{
    char *base = harness_tmpdir();
    cr_assert_not_null(base);
    make(base, "crm", false);
    make(base, "crm/arrivals-0.csv", true);
    make(base, "crm/fit", false);
    make(base, "crm/fit/deep", false);
    make(base, "crmx", false);
    make(base, "crmx/a.csv", true);
    make(base, "other", false);
    char link[PATH_MAX];
    snprintf(link, sizeof link, "%s/link", base);
    cr_assert_eq(symlink("crm/fit", link), 0, "%s", strerror(errno));

    expect_relative(base, "crm/arrivals-0.csv", "crm/fit", "../arrivals-0.csv");
    expect_relative(base, "crm/arrivals-0.csv", "crm", "arrivals-0.csv");
    expect_relative(base, "crm/arrivals-0.csv", "crm/fit/deep", "../../arrivals-0.csv");
    expect_relative(base, "crm/arrivals-0.csv", "other", "../crm/arrivals-0.csv");
    expect_relative(base, "crmx/a.csv", "crm", "../crmx/a.csv");
    expect_relative(base, "crm/arrivals-0.csv", "crmx", "../crm/arrivals-0.csv");
    expect_relative(base, "crm/fit/deep", "crm/fit", "deep");
    expect_relative(base, "crm/fit", "crm/fit", ".");
    /* The link's real path is crm/fit: one level up is crm, not base. */
    expect_relative(base, "crm/arrivals-0.csv", "link", "../arrivals-0.csv");
    expect_relative(base, "crm/fit/../arrivals-0.csv", "other/../crm/fit/deep",
                    "../../arrivals-0.csv");

    /* Both relative to the working directory. */
    cr_assert_eq(chdir(base), 0);
    char got[PATH_MAX];
    cr_assert_eq(sim_path_relative(got, sizeof got, "crm/arrivals-0.csv", "crm/fit"),
                 SIM_PATH_RELATIVE);
    cr_expect_str_eq(got, "../arrivals-0.csv");
    cr_assert_eq(chdir("/"), 0);

    harness_rmtree(base);
    free(base);
}

Test(path, only_the_root_in_common_is_absolute_and_errors_say_why)
{
    char *base = harness_tmpdir();
    cr_assert_not_null(base);
    make(base, "a.csv", true);
    char t[PATH_MAX], real[PATH_MAX], got[PATH_MAX];
    snprintf(t, sizeof t, "%s/a.csv", base);
    cr_assert_not_null(realpath(t, real));
    /* From the root, and from a directory whose real path shares only the
     * root with the target's (a top-level directory other than the
     * target's first component). */
    cr_assert_eq(sim_path_relative(got, sizeof got, t, "/"), SIM_PATH_ABSOLUTE);
    cr_expect_str_eq(got, real);
    char first[PATH_MAX];
    snprintf(first, sizeof first, "%s", real);
    *strchr(first + 1, '/') = '\0';               /* "/tmp" */
    const char *elsewhere = strcmp(first, "/proc") != 0 ? "/proc" : "/dev";
    cr_assert_eq(sim_path_relative(got, sizeof got, t, elsewhere), SIM_PATH_ABSOLUTE);
    cr_expect_str_eq(got, real);

    char missing[PATH_MAX];
    snprintf(missing, sizeof missing, "%s/nope", base);
    errno = 0;
    cr_expect_eq(sim_path_relative(got, sizeof got, missing, base), SIM_PATH_FAILED);
    cr_expect_eq(errno, ENOENT);
    errno = 0;
    cr_expect_eq(sim_path_relative(got, sizeof got, t, missing), SIM_PATH_FAILED);
    cr_expect_eq(errno, ENOENT);
    /* "a.csv" needs 6 bytes with its NUL. */
    errno = 0;
    cr_expect_eq(sim_path_relative(got, 5, t, base), SIM_PATH_FAILED);
    cr_expect_eq(errno, ENAMETOOLONG);
    cr_expect_eq(sim_path_relative(got, 6, t, base), SIM_PATH_RELATIVE);
    cr_expect_str_eq(got, "a.csv");

    harness_rmtree(base);
    free(base);
}
