#pragma once
// Process-wide allocator setting for programs that run gnnx's optimisation loops.

namespace gnnx::gnn {

/// Keeps freed memory in the process instead of returning it to the kernel (glibc: allocations
/// below 64 MiB come from the heap, and up to 256 MiB of free heap is kept). By default glibc
/// hands large freed blocks back at once, so a loop that frees and reallocates the same
/// multi-megabyte tensors every step page-faults them in again each time: 5-10% of
/// GNNExplainer's time on all BA-Shapes nodes. Call once, early in main(); does nothing where
/// the C library is not glibc. The `gnnx` command line and the benchmarks call it.
void keep_freed_memory();

}  // namespace gnnx::gnn
