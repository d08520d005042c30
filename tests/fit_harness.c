/* SPDX-License-Identifier: MIT */
#include "tests/fit_harness.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "tests/cli_harness.h"

#define FIT_HARNESS_COMPANY FUNNELSIM_SRCDIR "/tests/fit/company.json"

static cJSON *company(void)
{
    char *text = harness_read_file(FIT_HARNESS_COMPANY, NULL);
    cr_assert_not_null(text);
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(j, "%s: not JSON", FIT_HARNESS_COMPANY);
    return j;
}

double fit_harness_truth(const char *path)
{
    cJSON *j = company();
    const cJSON *v = j;
    char name[128];
    for (const char *s = path; v != NULL && *s;) {
        size_t len = strcspn(s, ".");
        cr_assert_lt(len, sizeof name);
        memcpy(name, s, len);
        name[len] = '\0';
        v = cJSON_GetObjectItemCaseSensitive(v, name);
        s += len + (s[len] == '.');
    }
    cr_assert(cJSON_IsNumber(v), "%s: no number at %s", FIT_HARNESS_COMPANY, path);
    double x = v->valuedouble;
    cJSON_Delete(j);
    return x;
}

char *fit_harness_draft(double p_reach, double misjudge, const char *decay)
{
    cJSON *j = company();
    cJSON_ReplaceItemInObject(j, "seed", cJSON_CreateNumber(4242));
    cJSON *contact = cJSON_GetObjectItem(j, "contact");
    cJSON_ReplaceItemInObject(contact, "p_reach", cJSON_CreateNumber(p_reach));
    cJSON_ReplaceItemInObject(contact, "misjudge_base", cJSON_CreateNumber(misjudge));
    cJSON_ReplaceItemInObject(j, "decay", cJSON_Parse(decay));
    char *out = cJSON_Print(j);
    cJSON_Delete(j);
    return out;
}

char *fit_harness_make_crm(const char *opt, const char *value, const char *draft)
{
    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "leads-log.csv");
    struct harness_result r;
    if (opt != NULL)
        HARNESS_RUN(&r, "run", FIT_HARNESS_COMPANY, "--quiet", "--leads", log, opt, value);
    else
        HARNESS_RUN(&r, "run", FIT_HARNESS_COMPANY, "--quiet", "--leads", log);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    /* The history as a user makes it: import of the lead log. */
    char *crm = harness_path(dir, "crm");
    HARNESS_RUN(&r, "import", log, "--out", crm);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    unlink(log);
    free(log);
    char *path = harness_path(crm, "scenario.json");
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(draft, fp);
    cr_assert_eq(fclose(fp), 0);
    free(path);
    free(dir);
    return crm;
}

void fit_harness_remove_crm(char *crm)
{
    char *slash = strrchr(crm, '/');
    cr_assert_not_null(slash);
    *slash = '\0';
    harness_rmtree(crm);
    free(crm);
}
