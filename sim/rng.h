/*
 * rng.h - random streams, one per (seed, replication, purpose).
 *
 * Every random quantity of a replication comes from a GSL generator of its
 * own, seeded from the triple (master seed, replication index, stream
 * index).  Results therefore depend on neither the number of threads nor
 * the order in which replications run, and a model that gives each purpose
 * (arrivals of one channel, lead attributes, contact outcomes...) its own
 * stream gets common random numbers across the points of a sweep: changing
 * one parameter leaves the draws of the unrelated purposes untouched.
 *
 * The triple is mixed with SplitMix64 finalisers (Steele, Lea & Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014), so that
 * neighbouring seeds give unrelated streams.
 *
 * Ownership: sim_rng_alloc() returns a generator the caller frees with
 * gsl_rng_free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The generator type every stream uses. */
extern const gsl_rng_type *const *sim_rng_type;

/* A well-mixed 64-bit seed for (seed, rep, stream). */
uint64_t sim_rng_mix(uint64_t seed, uint64_t rep, uint64_t stream);

/* A new generator seeded for (seed, rep, stream); never NULL (out of
 * memory ends the program, sim/mem.h). */
gsl_rng *sim_rng_alloc(uint64_t seed, uint64_t rep, uint64_t stream);

/* Reseeds an existing generator for (seed, rep, stream). */
void sim_rng_seed(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream);

/* An exponential variate with the given mean, by the ziggurat method
 * (Marsaglia & Tsang, "The ziggurat method for generating random
 * variables", J. Stat. Software 5(8), 2000) with 256 layers: one 32-bit
 * draw and a table lookup in about 99% of calls, no logarithm.  GSL's
 * gsl_ran_exponential takes a log1p per variate, which made it the second
 * cost of a simulated lead (docs/performance.md).  The low 8 bits of the
 * draw pick the layer and the high 24 bits the point within it, so the
 * two never share bits.  Requires a 32-bit generator (sim_rng_type). */
double sim_rng_exponential(const gsl_rng *r, double mean);

#endif
