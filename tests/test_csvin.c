/*
 * test_csvin.c - the CSV reader (sim/csvin.h): what real exports carry
 * (a byte order mark, ';' and TAB delimiters, CRLF and CR line ends,
 * quoted fields with delimiters, quotes and line breaks, empty lines), the
 * line each row starts on, and the errors.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/csvin.h"

#define MAX_ROWS 16

struct got {
    size_t rows;
    unsigned long line[MAX_ROWS];
    size_t n[MAX_ROWS];
    char text[MAX_ROWS][128];   /* the fields joined with '|' */
    int stop_at;                /* row index at which the callback stops; -1: never */
};

static int collect(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct got *g = ctx;
    (void)err;
    cr_assert_lt(g->rows, MAX_ROWS);
    g->line[g->rows] = row->line;
    g->n[g->rows] = row->n;
    char *t = g->text[g->rows];
    t[0] = '\0';
    for (size_t i = 0; i < row->n; i++) {
        cr_assert_eq(strlen(row->field[i]), row->len[i]);
        if (i > 0)
            strcat(t, "|");
        strcat(t, row->field[i]);
    }
    return (int)g->rows++ == g->stop_at ? 7 : 0;
}

static int read_mem(const char *s, struct got *g, char *delim, struct sim_err *err)
{
    memset(g, 0, sizeof *g);
    g->stop_at = -1;
    sim_err_clear(err);
    return sim_csvin_mem(s, strlen(s), "in.csv", NULL, collect, g, delim, err);
}

Test(csvin, plain_comma_rows_and_lines)
{
    struct got g;
    struct sim_err err;
    char d = 0;
    cr_assert_eq(read_mem("a,b,c\n1,2,3\n4,,6\n", &g, &d, &err), SIM_OK);
    cr_assert_eq(d, ',');
    cr_assert_eq(g.rows, 3);
    cr_assert_str_eq(g.text[2], "4||6");
    for (size_t i = 0; i < g.rows; i++)
        cr_assert_eq(g.line[i], i + 1);
}

Test(csvin, bom_semicolon_crlf)
{
    struct got g;
    struct sim_err err;
    char d = 0;
    cr_assert_eq(read_mem("\xEF\xBB\xBF" "id;name;note\r\n1;\"Smith, J\";x\r\n2;b;\r\n", &g, &d, &err),
                 SIM_OK);
    cr_assert_eq(d, ';');
    cr_assert_str_eq(g.text[0], "id|name|note", "the byte order mark is not part of the header");
    cr_assert_str_eq(g.text[1], "1|Smith, J|x");
    cr_assert_eq(g.line[2], 3);
}

Test(csvin, tab_delimiter_keeps_tabs_as_separators)
{
    struct got g;
    struct sim_err err;
    char d = 0;
    cr_assert_eq(read_mem("a\tb\n x \t y\n", &g, &d, &err), SIM_OK);
    cr_assert_eq(d, '\t');
    cr_assert_str_eq(g.text[1], "x|y", "spaces around unquoted fields are trimmed");
}

Test(csvin, quoted_line_breaks_keep_line_numbers)
{
    struct got g;
    struct sim_err err;
    const char *s = "id,text\n"
                    "1,\"two\nlines and a \"\"quote\"\"\"\n"
                    "\n"
                    "2,after\r"
                    "3,old mac\n";
    cr_assert_eq(read_mem(s, &g, NULL, &err), SIM_OK);
    cr_assert_eq(g.rows, 4, "the empty line gives no row");
    cr_assert_str_eq(g.text[1], "1|two\nlines and a \"quote\"");
    cr_assert_eq(g.line[1], 2);
    cr_assert_eq(g.line[2], 5, "the row after a two-line field and an empty line starts on line 5");
    cr_assert_eq(g.line[3], 6, "a lone CR ends a line");
}

Test(csvin, last_row_without_line_end)
{
    struct got g;
    struct sim_err err;
    cr_assert_eq(read_mem("a,b\n1,2", &g, NULL, &err), SIM_OK);
    cr_assert_eq(g.rows, 2);
    cr_assert_str_eq(g.text[1], "1|2");
}

Test(csvin, open_quote_at_end_is_an_error_with_its_line)
{
    struct got g;
    struct sim_err err;
    cr_assert_eq(read_mem("a,b\n1,2\n3,\"never closed\n4,5\n", &g, NULL, &err), SIM_ERR_INPUT);
    cr_assert(strstr(err.msg, "in.csv line 3") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "not closed") != NULL, "%s", err.msg);
}

Test(csvin, callback_stops_the_read)
{
    struct got g;
    struct sim_err err;
    memset(&g, 0, sizeof g);
    g.stop_at = 1;
    sim_err_clear(&err);
    const char *s = "a\nb\nc\nd\n";
    cr_assert_eq(sim_csvin_mem(s, strlen(s), "in.csv", NULL, collect, &g, NULL, &err), 7);
    cr_assert_eq(g.rows, 2);
}

Test(csvin, missing_file_names_it)
{
    struct got g;
    struct sim_err err;
    memset(&g, 0, sizeof g);
    sim_err_clear(&err);
    cr_assert_eq(sim_csvin_file("/nonexistent/x.csv", "x.csv", NULL, collect, &g, NULL, &err),
                 SIM_ERR_INPUT);
    cr_assert(strstr(err.msg, "x.csv") != NULL, "%s", err.msg);
}

Test(csvin, given_delimiter_wins_over_detection)
{
    struct got g;
    struct sim_err err;
    struct sim_csvin_opts o = {.delim = ';'};
    memset(&g, 0, sizeof g);
    g.stop_at = -1;
    sim_err_clear(&err);
    const char *s = "a,b;c\n";
    cr_assert_eq(sim_csvin_mem(s, strlen(s), "in.csv", &o, collect, &g, NULL, &err), SIM_OK);
    cr_assert_str_eq(g.text[0], "a,b|c");
}
