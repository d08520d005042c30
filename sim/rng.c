/* SPDX-License-Identifier: MIT */
#include "rng.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>

#include "sim/mem.h"

/* taus2, L'Ecuyer's maximally equidistributed combined Tausworthe generator
 * (Math. Comp. 65, 1996; period 2^88), is among GSL's fastest generators of
 * good quality: 3.5 ns a draw here against 8 ns for mt19937, which matters
 * at a dozen draws per simulated lead (docs/performance.md).
 * gsl_rng_taus2 is a variable, not a constant, so it cannot initialise a
 * static pointer; its address can. */
const gsl_rng_type *const *sim_rng_type = &gsl_rng_taus2;

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

/* GSL's taus2 seeds its state from only the low 32 bits of its seed, so
 * the 64-bit mix is folded by xoring its halves: every input bit still
 * counts.  The price is a 32-bit seed space: two of m streams coincide with
 * probability about m^2 / 2^33 (5e-4 for 2000 streams), which is harmless
 * for replications.  taus2 replaces the seed 0 by 1; we make that explicit
 * so the seed passed to GSL is never the special value. */
static unsigned long fold32(uint64_t z)
{
    unsigned long s = (unsigned long)((z ^ (z >> 32)) & UINT64_C(0xffffffff));
    return s != 0 ? s : 1ul;
}

gsl_rng *sim_rng_alloc(uint64_t seed, uint64_t rep, uint64_t stream)
{
    /* gsl_rng_alloc() calls the GSL error handler on failure; with the
     * handler off (as the program sets it) it returns NULL. */
    gsl_rng *r = sim_mem_check(gsl_rng_alloc(*sim_rng_type));
    sim_rng_seed(r, seed, rep, stream);
    return r;
}

void sim_rng_seed(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream)
{
    assert(r != NULL);
    gsl_rng_set(r, fold32(sim_rng_mix(seed, rep, stream)));
}

/* ---- ziggurat exponential ------------------------------------------------- */

#define ZIG_LAYERS 256
#define ZIG_R 7.69711747013104972       /* start of the tail */
#define ZIG_V 3.949659822581572e-3      /* area of each layer */
#define ZIG_SCALE 16777216.0            /* 2^24: resolution within a layer */

static uint32_t zig_k[ZIG_LAYERS];      /* acceptance bounds, in 2^24 units */
static double zig_w[ZIG_LAYERS];        /* layer widths / 2^24 */
static double zig_f[ZIG_LAYERS];        /* exp(-x) at the layer edges */
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

/* The tables of Marsaglia & Tsang's `zigset` for the exponential. */
static void zig_setup(void)
{
    double de = ZIG_R, te = ZIG_R;
    double q = ZIG_V / exp(-de);
    zig_k[0] = (uint32_t)((de / q) * ZIG_SCALE);
    zig_k[1] = 0;
    zig_w[0] = q / ZIG_SCALE;
    zig_w[ZIG_LAYERS - 1] = de / ZIG_SCALE;
    zig_f[0] = 1.0;
    zig_f[ZIG_LAYERS - 1] = exp(-de);
    for (int i = ZIG_LAYERS - 2; i >= 1; i--) {
        de = -log(ZIG_V / de + exp(-de));
        zig_k[i + 1] = (uint32_t)((de / te) * ZIG_SCALE);
        te = de;
        zig_f[i] = exp(-de);
        zig_w[i] = de / ZIG_SCALE;
    }
}

double sim_rng_exponential(const gsl_rng *r, double mean)
{
    pthread_once(&zig_once, zig_setup);
    assert(gsl_rng_max(r) == UINT32_MAX && gsl_rng_min(r) == 0);
    for (;;) {
        uint32_t bits = (uint32_t)gsl_rng_get(r);
        unsigned layer = bits & (ZIG_LAYERS - 1);
        uint32_t u = bits >> 8;
        double x = u * zig_w[layer];
        if (u < zig_k[layer])
            return mean * x;                    /* inside the layer: ~99% */
        if (layer == 0)                         /* the tail beyond ZIG_R */
            return mean * (ZIG_R - log(gsl_rng_uniform_pos(r)));
        /* The wedge between the layer's rectangle and the curve. */
        double y = zig_f[layer] + gsl_rng_uniform(r) * (zig_f[layer - 1] - zig_f[layer]);
        if (y < exp(-x))
            return mean * x;
    }
}
