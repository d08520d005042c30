/*
 * test_decay.c - interest decay with age (models/decay.c).
 *
 * Every kind: factor 1 at age 0, never increasing.  exponential: one half
 * at the half-life, a quarter at two.  two_phase: the formula of
 * docs/model.md, written here with pow(2, -age / h) rather than the
 * module's exp(-k age), at ages around both half-lives, and the floor as
 * the limit.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

#include "models/decay.h"

#define TOL 1e-12

static struct decay make_exponential(double half_life)
{
    struct decay d = {.type = &decay_exponential, .half_life_hours = half_life};
    decay_prepare(&d);
    return d;
}

static struct decay make_two_phase(double fast, double slow, double w, double floor_)
{
    struct decay d = {.type = &decay_two_phase, .fast_half_life_hours = fast,
                      .slow_half_life_hours = slow, .fast_weight = w, .floor = floor_};
    decay_prepare(&d);
    return d;
}

/* docs/model.md, "Judging a reached lead", step 3. */
static double two_phase_formula(const struct decay *d, double age)
{
    double fading = d->fast_weight * pow(2.0, -age / d->fast_half_life_hours) +
                    (1.0 - d->fast_weight) * pow(2.0, -age / d->slow_half_life_hours);
    return d->floor + (1.0 - d->floor) * fading;
}

/* 1 at age 0 and non-increasing on a grid from minutes to a year. */
static void check_shape(const struct decay *d, const char *what)
{
    cr_expect_float_eq(decay_factor(d, 0.0), 1.0, TOL, "%s: factor at age 0", what);
    double prev = decay_factor(d, 0.0);
    for (double age = 1.0 / 64; age < 9000.0; age *= 1.25) {
        double f = decay_factor(d, age);
        cr_expect(f <= prev, "%s: factor rises from %.17g to %.17g at age %g", what, prev,
                  f, age);
        cr_expect(f >= 0.0 && f <= 1.0, "%s: factor %g at age %g", what, f, age);
        prev = f;
    }
}

Test(decay, by_name)
{
    cr_expect_eq(decay_find("none"), &decay_none);
    cr_expect_eq(decay_find("exponential"), &decay_exponential);
    cr_expect_eq(decay_find("two_phase"), &decay_two_phase);
    cr_expect_null(decay_find("linear"));
}

Test(decay, none_is_one)
{
    struct decay d = {.type = &decay_none};
    decay_prepare(&d);
    check_shape(&d, "none");
    cr_expect_eq(decay_factor(&d, 1e6), 1.0);
}

/* Broken: a rate of 1 / half-life instead of ln 2 / half-life gives 0.37
 * at the half-life, not 0.5. */
Test(decay, exponential_halves_at_half_life)
{
    static const double half_lives[] = {1.0, 48.0, 240.0};
    for (size_t i = 0; i < 3; i++) {
        double h = half_lives[i];
        struct decay d = make_exponential(h);
        check_shape(&d, "exponential");
        cr_expect_float_eq(decay_factor(&d, h), 0.5, TOL, "half-life %g", h);
        cr_expect_float_eq(decay_factor(&d, 2 * h), 0.25, TOL, "two half-lives %g", h);
        cr_expect_float_eq(decay_factor(&d, h / 2), sqrt(0.5), TOL, "half a half-life %g", h);
        cr_expect_float_eq(d.k, log(2.0) / h, TOL, "rate");
    }
}

Test(decay, two_phase_formula_and_floor)
{
    /* The article's market, and a steeper one without a floor. */
    struct decay ds[] = {make_two_phase(1.0, 240.0, 0.05, 0.7),
                         make_two_phase(0.5, 48.0, 0.5, 0.02),
                         make_two_phase(2.0, 2.0, 0.3, 0.0)};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        const struct decay *d = &ds[i];
        check_shape(d, "two_phase");
        double ages[] = {0.25, d->fast_half_life_hours, 3.0, d->slow_half_life_hours,
                         2 * d->slow_half_life_hours, 1000.0};
        for (size_t k = 0; k < sizeof ages / sizeof ages[0]; k++) {
            double want = two_phase_formula(d, ages[k]);
            double got = decay_factor(d, ages[k]);
            fprintf(stderr, "decay: two_phase h1 %g h2 %g w %g floor %g: age %8g  "
                    "factor %.12f  formula %.12f\n", d->fast_half_life_hours,
                    d->slow_half_life_hours, d->fast_weight, d->floor, ages[k], got, want);
            cr_expect_float_eq(got, want, TOL, "age %g", ages[k]);
        }
        /* The floor is the limit, approached from above. */
        double late = decay_factor(d, 200.0 * d->slow_half_life_hours);
        cr_expect(late >= d->floor && late - d->floor < 1e-9,
                  "factor %.17g far past the slow half-life, floor %g", late, d->floor);
    }
    /* Equal half-lives make two_phase an exponential above the floor. */
    struct decay e = make_exponential(2.0);
    for (double age = 0.0; age < 20.0; age += 0.7)
        cr_expect_float_eq(decay_factor(&ds[2], age), decay_factor(&e, age), TOL,
                           "age %g", age);
}
