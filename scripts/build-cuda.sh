#!/usr/bin/env bash
# Builds gnnx with its CUDA kernels against the LibTorch inside a PyTorch 2.x install (Debian's
# LibTorch has no CUDA). Needs the CUDA toolkit (nvcc; /usr/local/cuda is found by default).
#   scripts/build-cuda.sh [BUILD_DIR] [extra cmake arguments]
# e.g. scripts/build-cuda.sh build-cuda -DCMAKE_CUDA_ARCHITECTURES=80 -DGNNX_WITH_RDKIT=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-cuda}
shift || true
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$torch_prefix" \
  -DGNNX_WITH_RDKIT=OFF "$@"
cmake --build "$build" -j"$(nproc)"
