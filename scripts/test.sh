#!/usr/bin/env bash
# Builds gnnx (Release, Ninja) in build/ and runs the whole test suite.
# Installs the Debian packages it needs first (scripts/install-deps.sh).
# Environment: GNNX_BUILD_DIR (default build), GNNX_CMAKE_ARGS (extra configure arguments).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
build_dir="${GNNX_BUILD_DIR:-build}"
# shellcheck disable=SC2086  # GNNX_CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${GNNX_CMAKE_ARGS:-}
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j2
