#!/usr/bin/env bash
# Installs every Debian (bookworm) package gnnx needs to build, test and run its demo.
# Idempotent: does nothing when all packages are already installed. Needs only apt; uses sudo
# when not run as root.
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build git pkg-config ca-certificates
  libtorch-dev libopenblas0-openmp          # LibTorch (CPU) and its OpenMP BLAS
  libboost-graph-dev                        # Boost.Graph adapter
  librdkit-dev libcairo2-dev                # molecules and their drawings
  libgtest-dev googletest libgmock-dev      # tests
  libbenchmark-dev                          # benchmarks
  libcli11-dev nlohmann-json3-dev           # command line and JSON
  zlib1g-dev                                # gzipped TUDataset files
  libtcmalloc-minimal4                      # the programs' allocator (cmake/GnnxAllocator.cmake)
  graphviz                                  # rendering explanations (dot)
  python3-torch                             # test fixtures written by PyTorch (torch.save)
  python3-rdkit                             # bench/mol_pipeline.py, the Python pipeline mol_bench compares
  parallel                                  # GNU parallel: the README's sharded explain-mol recipe (tested)
  pybind11-dev python3-pybind11 python3-dev # the Python module (python/)
  python3-numpy python3-pytest              # ... its arrays and its tests
  python3-venv python3-pip python3-setuptools python3-wheel  # ... `pip install .`, tested
  clang-format-14 clang-tidy-14             # scripts/format.sh, scripts/lint.sh (pinned to 14)
  clang-14 libclang-rt-14-dev               # scripts/sanitize.sh, fuzz.sh (ASan, UBSan, libFuzzer)
  llvm-14                                   # ... llvm-symbolizer: suppressions name functions
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg -s "$p" >/dev/null 2>&1; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${packages[@]}"
