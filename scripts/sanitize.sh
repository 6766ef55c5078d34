#!/usr/bin/env bash
# The sanitizer job: builds gnnx with clang, AddressSanitizer and UBSan (every UB report fatal)
# and libFuzzer coverage in build-asan/, runs the test suite under the sanitizers, then every
# fuzz harness for GNNX_FUZZ_SECONDS (default 60) on its committed corpus (scripts/fuzz.sh).
# CUDA, the Python module and the benchmark programs are left out: no GPU to run the kernels on,
# and a Python extension would need the ASan runtime preloaded into the interpreter.
# Usage: scripts/sanitize.sh [--build-only]
# Environment: GNNX_SANITIZE_BUILD_DIR (default build-asan), GNNX_CMAKE_ARGS (extra configure
# arguments), GNNX_SANITIZE_TARGETS (the build targets, space-separated; default: all; the
# fuzz harnesses are always built), GNNX_SANITIZE_TESTS (a ctest -R regex; default: every test),
# GNNX_FUZZ_SECONDS (default 60). CI runs a subset (.ci/run says which and why).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh  # clang 14 and its sanitizer runtimes among them
build_only=0
[[ "${1:-}" == "--build-only" ]] && build_only=1
build_dir="${GNNX_SANITIZE_BUILD_DIR:-build-asan}"
# shellcheck source=scripts/sanitizer_env.sh
source scripts/sanitizer_env.sh

start=$SECONDS
# -O1 as the sanitizers' documentation advises (fast enough, exact stack traces); line tables
# only, so that reports name file and line without the link cost of full debug information.
# shellcheck disable=SC2086  # GNNX_CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only" \
  -DGNNX_SANITIZE=ON -DGNNX_BUILD_FUZZERS=ON -DGNNX_WITH_CUDA=OFF -DGNNX_BUILD_PYTHON=OFF \
  -DGNNX_BUILD_BENCHMARKS=OFF ${GNNX_CMAKE_ARGS:-}
targets=()
if [[ -n "${GNNX_SANITIZE_TARGETS:-}" ]]; then
  read -r -a targets <<<"$GNNX_SANITIZE_TARGETS"
  targets+=(fuzz_model_file fuzz_state_dict fuzz_tu_dataset fuzz_graph_files fuzz_molecule_text
    fuzz_sdf)
fi
cmake --build "$build_dir" -j"$(nproc)" ${targets[@]:+--target "${targets[@]}"}
echo "sanitize.sh: build took $((SECONDS - start)) s"
[[ $build_only -eq 1 ]] && exit 0

start=$SECONDS
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" \
  ${GNNX_SANITIZE_TESTS:+-R "$GNNX_SANITIZE_TESTS"}
echo "sanitize.sh: tests took $((SECONDS - start)) s"

start=$SECONDS
GNNX_SANITIZE_BUILD_DIR="$build_dir" GNNX_FUZZ_OUT="$build_dir/fuzz-out" \
  bash scripts/fuzz.sh "${GNNX_FUZZ_SECONDS:-60}"
echo "sanitize.sh: fuzzing took $((SECONDS - start)) s"
