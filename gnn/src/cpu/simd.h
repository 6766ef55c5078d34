#pragma once
// GNNX_SIMD_CLONES: compile a kernel for AVX-512, AVX2+FMA and the baseline, picked at load time
// (GCC function multi-versioning). The library is built for baseline x86-64 so it runs
// anywhere, yet its hot loops use the widest vectors the machine has.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GNNX_SIMD_CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define GNNX_SIMD_CLONES
#endif
#define GNNX_ALWAYS_INLINE inline __attribute__((always_inline))
