/* SPDX-License-Identifier: MIT */
#include "rng.h"

#include <assert.h>

/* gsl_rng_mt19937 is a variable, not a constant, so it cannot initialise a
 * static pointer; its address can. */
const gsl_rng_type *const *sim_rng_type = &gsl_rng_mt19937;

/* The SplitMix64 output function (Steele, Lea & Flood 2014): a bijection of
 * 64-bit words whose every output bit depends on every input bit. */
static uint64_t splitmix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Each component enters through its own odd multiplier and a full mix, so
 * (s, r, k) and (s, r + 1, k) or (s, r, k + 1) differ in about half their
 * bits and no simple relation links neighbouring triples. */
uint64_t sim_rng_mix(uint64_t seed, uint64_t rep, uint64_t stream)
{
    uint64_t z = splitmix64(seed);
    z = splitmix64(z ^ rep * UINT64_C(0x9e3779b97f4a7c15));
    z = splitmix64(z ^ stream * UINT64_C(0xd1b54a32d192ed03));
    return z;
}

/* GSL's mt19937 keeps only the low 32 bits of its seed, so the 64-bit mix is
 * folded by xoring its halves: every input bit still counts.  The price is
 * a 32-bit seed space: two of m streams coincide with probability about
 * m^2 / 2^33 (5e-4 for 2000 streams), which is harmless for replications.
 * mt19937 also replaces the seed 0 by its default 4357; we make that
 * explicit by mapping a fold of 0 to 4357 ourselves, so the seed passed to
 * GSL is never the special value. */
static unsigned long fold32(uint64_t z)
{
    unsigned long s = (unsigned long)((z ^ (z >> 32)) & UINT64_C(0xffffffff));
    return s != 0 ? s : 4357ul;
}

gsl_rng *sim_rng_alloc(uint64_t seed, uint64_t rep, uint64_t stream)
{
    /* gsl_rng_alloc() calls the GSL error handler on failure; with the
     * handler off (as the program sets it) it returns NULL. */
    gsl_rng *r = gsl_rng_alloc(*sim_rng_type);
    if (r == NULL)
        return NULL;
    sim_rng_seed(r, seed, rep, stream);
    return r;
}

void sim_rng_seed(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream)
{
    assert(r != NULL);
    gsl_rng_set(r, fold32(sim_rng_mix(seed, rep, stream)));
}
