#!/usr/bin/env bash
# The whole GPU check of issue 22 in one command: builds only what the check needs against the
# installed PyTorch's LibTorch, runs the CUDA tests and the GPU benchmarks, and writes
# OUTDIR/gpu-check.log (everything) and OUTDIR/gpu-check.json (GPU, driver, torch version, build
# seconds, each test's result, each benchmark's numbers).
#
#   scripts/gpu-check.sh OUTDIR                  the check (needs nvidia-smi and a torch with CUDA)
#   scripts/gpu-check.sh --fetch-deps [DIR]      on a machine with Debian's apt (the CPU VM): put
#                                                the .deb files of the header and test libraries
#                                                the GPU image lacks into DIR (default .gpu-deps)
#
# Without a usable GPU (no nvidia-smi, nvidia-smi lists none, or python3's torch sees none) it
# stops before building, says why, and exits 3.
#
# On the GPU machine (no network, no Boost/GTest/CLI11/nlohmann_json there, as issue 22 says):
# fetch the .debs here once, then carry them, e.g. with the device tool
#   here:   scripts/gpu-check.sh --fetch-deps          (11 MB, ignored by git)
#   there:  run(command="scripts/gpu-check.sh $OUT", carry=[".gpu-deps"], timeout_s=600)
# Each .deb is unpacked with `dpkg -x` into the build folder (never into /), and that prefix goes
# first on CMAKE_PREFIX_PATH; zlib's is used only where the system has no zlib.h.
#
# What it builds (ninja, all cores): spmm_cuda_test, cusparse_cached_test, cli_device_test, gnnx,
# gcn_cuda_bench, and explainer_cuda_test and explainer_gpu_bench where those targets exist (else
# a note in the log). RDKit and the Python module off; CMAKE_CUDA_ARCHITECTURES 90 (H100/H200).
# Build of these targets on the project's 2-vCPU CPU VM (GNNX_GPU_CHECK_DRY_RUN=1: Debian's CPU
# LibTorch 1.13, so the CUDA glue and gcn_cuda_bench are not built there; cold, CCACHE_DISABLE=1,
# nice -n 19, -j2, the load at 7-10 from other jobs), 148 ninja steps: 4219 s of wall time (one
# run stopped after 68 steps, then resumed in the same folder) and about 1110 CPU seconds
# (622 measured by this script's stage for the last 73 steps, about 465 sampled from /proc for
# the first 68, 35 of them the two precompiled headers, about 25 estimated for 7 in between):
# about 9 minutes at -j2 on an idle 2-vCPU machine, and, by the same CPU seconds, 1-2 minutes on
# the GPU machine's 16 cores, plus the CUDA glue and nvcc (not built on the CPU VM; unmeasured).
#
# Time limits per stage (seconds; environment overrides): GNNX_GPU_CHECK_CONFIGURE_TIMEOUT (120),
# GNNX_GPU_CHECK_BUILD_TIMEOUT (300), GNNX_GPU_CHECK_TEST_TIMEOUT (120, each test binary),
# GNNX_GPU_CHECK_BENCH_TIMEOUT (240, each benchmark), all within GNNX_GPU_CHECK_TOTAL_TIMEOUT
# (540, the whole run: a stage gets what is left, and one that would get under 15 s is skipped,
# so that the device tool's 600 s per command never cuts the run off). The JSON is rewritten
# after every stage. Each stage's seconds and CPU seconds go into it.
#
# Other environment: GNNX_GPU_CHECK_BUILD (build folder, default /tmp/gnnx-gpu-check),
# GNNX_GPU_CHECK_JOBS (default nproc), GNNX_GPU_DEPS (folder of .debs, default .gpu-deps),
# GNNX_GPU_CHECK_DRY_RUN=1 (no GPU test; builds against the system LibTorch, e.g. Debian's CPU
# one, and runs what runs: the CUDA tests then skip and the benchmarks are not built — to try
# the script on a CPU machine), GNNX_GPU_CHECK_BENCH_ARGS (extra gcn_cuda_bench arguments),
# GNNX_GPU_CHECK_CMAKE_ARGS (extra cmake arguments), GNNX_GPU_CHECK_TARGETS (a shorter target
# list, space-separated, to try the script quickly).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps_packages=(libboost1.74-dev nlohmann-json3-dev libcli11-dev libgtest-dev zlib1g-dev)

if [[ ${1:-} == --fetch-deps ]]; then
  dir=${2:-$root/.gpu-deps}
  mkdir -p "$dir" && cd "$dir" || exit 1
  apt-get download "${deps_packages[@]}" || exit 1
  ls -l "$dir"
  exit 0
fi
if [[ $# -ne 1 || $1 == -* ]]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

mkdir -p "$1" || exit 2
out=$(cd "$1" && pwd)
log=$out/gpu-check.log
dry=${GNNX_GPU_CHECK_DRY_RUN:-0}
build=${GNNX_GPU_CHECK_BUILD:-/tmp/gnnx-gpu-check}
state=$build/gpu-check-state  # raw results, gathered into the JSON at the end
jobs=${GNNX_GPU_CHECK_JOBS:-$(nproc)}
configure_timeout=${GNNX_GPU_CHECK_CONFIGURE_TIMEOUT:-120}
build_timeout=${GNNX_GPU_CHECK_BUILD_TIMEOUT:-300}
test_timeout=${GNNX_GPU_CHECK_TEST_TIMEOUT:-120}
bench_timeout=${GNNX_GPU_CHECK_BENCH_TIMEOUT:-240}
total_timeout=${GNNX_GPU_CHECK_TOTAL_TIMEOUT:-540}
deps=${GNNX_GPU_DEPS:-$root/.gpu-deps}

# stage NAME SECONDS COMMAND...: runs one stage under its time limit, logs its command, exit
# status and seconds, and records them for the JSON.
stage() {
  local name=$1 limit=$2
  shift 2
  # Within the whole run's budget, so that a device command's own limit (600 s) never cuts the
  # check off before its JSON is written.
  local left=$((total_timeout - SECONDS))
  if ((left < 15)); then
    note "$name skipped: the run's budget (GNNX_GPU_CHECK_TOTAL_TIMEOUT=${total_timeout}s) is spent"
    printf '%s\t%s\t%s\t%s\n' "$name" 125 0 0 >>"$state/stages.tsv"
    return 125
  fi
  ((limit > left - 10)) && limit=$((left - 10))
  echo
  echo "=== $name ($(date -u +%H:%M:%S), limit ${limit}s): $*"
  local start=$SECONDS rc cpu_before cpu
  children_cpu_seconds
  cpu_before=$children_cpu
  timeout --kill-after=10 "$limit" "$@"
  rc=$?
  local took=$((SECONDS - start))
  children_cpu_seconds
  cpu=$(awk -v a="$children_cpu" -v b="$cpu_before" 'BEGIN { printf "%.1f", a - b }')
  [[ $rc -eq 124 || $rc -eq 137 ]] && echo "=== $name: TIMED OUT after ${limit}s"
  echo "=== $name: exit $rc, ${took}s (${cpu} CPU seconds)"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$took" "$cpu" >>"$state/stages.tsv"
  report_quietly  # the JSON so far: a run killed later still leaves it
  return $rc
}

# Sets children_cpu to the user + system CPU seconds of this shell's finished children (bash's
# `times`, second line; run in this shell and redirected to a file: in a pipeline or $(...) it
# would run in a fresh subshell that has no children).
children_cpu_seconds() {
  times >"$state/times"
  children_cpu=$(awk 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; ++i) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
    print t }' "$state/times")
}

# binary_of NAME: the built executable NAME anywhere in the build folder (tests/, bench/ or a
# subfolder), or nothing.
binary_of() {
  find "$build" -path "$build/deps" -prune -o -type f -name "$1" -perm -u+x -print 2>/dev/null \
    | head -1
}

note() {
  echo "=== note: $*"
  printf '%s\n' "$*" >>"$state/notes.txt"
}

report_quietly() {
  python3 "$root/scripts/gpu_check_report.py" "$state" "$out/gpu-check.json" >/dev/null 2>&1
}

report() {
  python3 "$root/scripts/gpu_check_report.py" "$state" "$out/gpu-check.json"
  local ok=$?
  echo "=== wrote $out/gpu-check.json ($([[ $ok -eq 0 ]] && echo 'all ran and passed' || echo 'something failed: see "ok", "stages", "tests"'))"
  return $ok
}

main() {
  echo "gnnx GPU check, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  rm -rf "$state" && mkdir -p "$state" || return 2
  : >"$state/stages.tsv"
  echo "$dry" >"$state/dry_run"

  # --- 1. is there a usable GPU? (before anything is built) -------------------------------------
  local torch_prefix=""
  if [[ $dry == 1 ]]; then
    note "dry run (GNNX_GPU_CHECK_DRY_RUN=1): no GPU test, the system LibTorch, GPU tests skip"
  else
    if ! command -v nvidia-smi >/dev/null; then
      echo "gpu-check: no nvidia-smi on PATH: this machine has no usable NVIDIA GPU; nothing built" >&2
      echo "no_gpu: nvidia-smi missing" >"$state/stop"
      return 3
    fi
    if ! nvidia-smi -L 2>&1 | grep -q '^GPU '; then
      echo "gpu-check: nvidia-smi lists no GPU ($(nvidia-smi -L 2>&1 | head -1)); nothing built" >&2
      echo "no_gpu: nvidia-smi lists none" >"$state/stop"
      return 3
    fi
    if ! python3 -c 'import torch; assert torch.cuda.is_available()' 2>"$state/torch_err"; then
      echo "gpu-check: python3's torch is missing or sees no GPU; nothing built:" >&2
      tail -3 "$state/torch_err" >&2
      echo "no_gpu: torch.cuda.is_available() false or torch missing" >"$state/stop"
      return 3
    fi
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
      | head -1 >"$state/gpu"
    nvidia-smi
    torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
    python3 -c 'import torch; print(torch.__version__, torch.version.cuda)' >"$state/torch"
    echo "GPU: $(cat "$state/gpu"); torch $(cat "$state/torch")"
  fi
  command -v nvcc >/dev/null || [[ -x /usr/local/cuda/bin/nvcc ]] \
    || note "no nvcc on PATH or in /usr/local/cuda: the CUDA kernels will not be built"
  echo "nvcc: $( (nvcc --version 2>/dev/null || /usr/local/cuda/bin/nvcc --version) | grep release)"
  echo "c++: $(c++ --version | head -1); $(cmake --version | head -1); $(ninja --version | sed 's/^/ninja /')"

  # --- 2. header/test libraries from .debs, unpacked under the build folder ---------------------
  local prefix_path=$torch_prefix
  if compgen -G "$deps/*.deb" >/dev/null; then
    local unpack=$build/deps
    rm -rf "$unpack" && mkdir -p "$unpack"
    for deb in "$deps"/*.deb; do
      if [[ $(basename "$deb") == zlib1g-dev_* && -e /usr/include/zlib.h ]]; then
        continue  # the system's zlib (its libz.so) rather than a static libz.a from elsewhere
      fi
      dpkg -x "$deb" "$unpack" || note "could not unpack $deb"
    done
    prefix_path="$unpack/usr${prefix_path:+;$prefix_path}"
    echo "dependencies from $deps: $(cd "$deps" && ls *.deb | tr '\n' ' ')"
  else
    note "no .debs in $deps: Boost, GTest, CLI11, nlohmann_json must be installed (scripts/gpu-check.sh --fetch-deps on a Debian machine brings them)"
  fi

  # --- 3. configure and build only the check's targets ------------------------------------------
  local cmake_args=(-S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
    -DGNNX_WITH_RDKIT=OFF -DGNNX_BUILD_PYTHON=OFF -DGNNX_WITH_CUDA=ON
    -DCMAKE_CUDA_ARCHITECTURES=90 -DGNNX_ALLOCATOR=system)
  [[ -n $prefix_path ]] && cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix_path")
  # shellcheck disable=SC2206  # GNNX_GPU_CHECK_CMAKE_ARGS is split on purpose
  cmake_args+=(${GNNX_GPU_CHECK_CMAKE_ARGS:-})
  [[ -z ${CMAKE_CUDA_COMPILER:-} && -z ${CUDACXX:-} && ! -x /usr/local/cuda/bin/nvcc ]] \
    && command -v nvcc >/dev/null && cmake_args+=("-DCMAKE_CUDA_COMPILER=$(command -v nvcc)")
  stage configure "$configure_timeout" cmake "${cmake_args[@]}" || return 4
  grep -E '^(Torch_DIR|Boost_DIR|GTest_DIR|CLI11_DIR|nlohmann_json_DIR|ZLIB_LIBRARY_RELEASE|CMAKE_CUDA_COMPILER):' \
    "$build/CMakeCache.txt"

  local have_targets wanted=(spmm_cuda_test cusparse_cached_test cli_device_test gnnx
    gcn_cuda_bench explainer_cuda_test explainer_gpu_bench) targets=()
  if [[ -n ${GNNX_GPU_CHECK_TARGETS:-} ]]; then
    read -ra wanted <<<"$GNNX_GPU_CHECK_TARGETS"
    note "only the targets in GNNX_GPU_CHECK_TARGETS: ${wanted[*]}"
  fi
  have_targets=$(ninja -C "$build" -t targets all 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*\): .*/\1/p')
  for t in "${wanted[@]}"; do
    if grep -qx "$t" <<<"$have_targets"; then
      targets+=("$t")
    else
      note "target $t does not exist in this build: not built, not run"
    fi
  done
  printf '%s\n' "${targets[@]}" >"$state/targets"
  # -k 0: a target that fails to compile does not stop the others (their tests still run).
  stage build "$build_timeout" cmake --build "$build" -j "$jobs" --target "${targets[@]}" -- -k 0
  local build_rc=$?
  echo "$build_rc" >"$state/build_rc"
  [[ $build_rc -ne 0 ]] && note "the build failed (exit $build_rc): running whatever was built"

  # --- 4. CUDA tests: each binary with gtest's JSON report --------------------------------------
  export OMP_WAIT_POLICY=PASSIVE
  [[ -d $root/../shared/data ]] && export GNNX_SHARED_DATA=$root/../shared/data
  for t in spmm_cuda_test cusparse_cached_test explainer_cuda_test cli_device_test; do
    grep -qx "$t" "$state/targets" || continue
    local bin
    bin=$(binary_of "$t")
    if [[ -z $bin ]]; then
      note "$t was not built"
      continue
    fi
    stage "test $t" "$test_timeout" "$bin" --gtest_output="json:$state/test_$t.json"
  done

  # --- 5. benchmarks, each writing JSON --------------------------------------------------------
  local bench
  bench=$(binary_of gcn_cuda_bench)
  if [[ -n $bench ]]; then
    # shellcheck disable=SC2086  # GNNX_GPU_CHECK_BENCH_ARGS is split on purpose
    stage "bench gcn_cuda_bench" "$bench_timeout" "$bench" \
      --widths 64,128,256 --json "$state/bench_gcn_cuda_bench.json" ${GNNX_GPU_CHECK_BENCH_ARGS:-}
  else
    note "gcn_cuda_bench not built (needs a LibTorch with CUDA): not run"
  fi
  bench=$(binary_of explainer_gpu_bench)
  if [[ -n $bench ]]; then
    stage "bench explainer_gpu_bench" "$bench_timeout" "$bench" \
      --json "$state/bench_explainer_gpu_bench.json"
  else
    note "explainer_gpu_bench not built: not run"
  fi
  return 0
}

# One compound command, read whole before it runs: editing this file during a run is harmless.
{
  main 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  echo "$rc" >"$state/exit_code"
  report 2>&1 | tee -a "$log"
  # 3: no usable GPU; 4: configure failed; 1: a build, test or benchmark failed; 0: all passed.
  [[ $rc -eq 0 && ${PIPESTATUS[0]} -ne 0 ]] && rc=1
  exit "$rc"
}
