#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz, each for SECONDS, on a copy of its committed seed
# corpus with its dictionary. Needs the sanitizer build (scripts/sanitize.sh --build-only makes
# it). Usage: scripts/fuzz.sh SECONDS [HARNESS ...]   (default: every harness built)
# Environment: GNNX_SANITIZE_BUILD_DIR (default build-asan), GNNX_FUZZ_OUT (default fuzz-out):
# the grown corpora, crash inputs (crashes/<harness>-crash-*) and summary.tsv (harness,
# seconds, executions, executions/s, corpus inputs, crashes) go there. Exits 1 when a harness
# found a crash, a leak or a timeout (more than 10 s for one input).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh SECONDS [HARNESS ...]" >&2
  exit 2
fi
seconds=$1
shift
build_dir="${GNNX_SANITIZE_BUILD_DIR:-build-asan}"
out="${GNNX_FUZZ_OUT:-fuzz-out}"
if [[ $# -gt 0 ]]; then
  harnesses=("$@")
else
  harnesses=()
  for exe in "$build_dir"/tests/fuzz/fuzz_*; do
    [[ -f "$exe" && -x "$exe" ]] && harnesses+=("${exe##*/fuzz_}")  # not CMake's .dir folders
  done
fi
if [[ ${#harnesses[@]} -eq 0 ]]; then
  echo "fuzz.sh: no harness in $build_dir/tests/fuzz (run scripts/sanitize.sh --build-only)" >&2
  exit 2
fi
# shellcheck source=scripts/sanitizer_env.sh
source scripts/sanitizer_env.sh

mkdir -p "$out/crashes"
summary="$out/summary.tsv"
[[ -f "$summary" ]] || printf 'harness\tseconds\texecutions\texec_per_s\tcorpus\tcrashes\n' >"$summary"
status=0
for harness in "${harnesses[@]}"; do
  exe="$build_dir/tests/fuzz/fuzz_$harness"
  seeds="tests/fuzz/corpus/$harness"
  if [[ ! -x "$exe" || ! -d "$seeds" ]]; then
    echo "fuzz.sh: unknown harness '$harness' (no $exe or $seeds)" >&2
    exit 2
  fi
  corpus="$out/corpus/$harness"
  mkdir -p "$corpus"
  log="$out/$harness.log"
  # RDKit's parsers leak on many malformed records (tests/sanitizers/lsan.supp says where), and
  # libFuzzer scans the whole heap after every input that leaked, even when the leak is then
  # suppressed: the molecule harnesses ran at 1-6 inputs/s instead of ~2,000. They fuzz without
  # per-input leak checks; the ASan test suite still checks gnnx's molecule code for leaks.
  # Nor at exit: LSan then symbolised the thousands of RDKit leaks one by one (over 6 minutes).
  leaks=1
  [[ "$harness" == molecule_text || "$harness" == sdf ]] && leaks=0
  asan_options="$ASAN_OPTIONS"
  [[ $leaks -eq 0 ]] && asan_options="$ASAN_OPTIONS:detect_leaks=0"
  echo "fuzz.sh: $harness for ${seconds}s (log $log)"
  rc=0
  # New inputs go into the first folder (the grown corpus); the seeds stay as committed.
  ASAN_OPTIONS="$asan_options" "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -detect_leaks=$leaks \
    -dict="tests/fuzz/dict/$harness.dict" -artifact_prefix="$out/crashes/$harness-" \
    "$corpus" "$seeds" >"$log" 2>&1 || rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  inputs=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$out/crashes" -name "$harness-*" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$harness" "$seconds" "${execs:-0}" "${rate:-0}" "$inputs" \
    "$crashes" >>"$summary"
  if [[ $rc -ne 0 ]]; then
    echo "fuzz.sh: $harness stopped with exit $rc; the input is in $out/crashes/, the report:" >&2
    grep -E "ERROR|SUMMARY|fuzz harness|==[0-9]+==" "$log" | head -20 >&2 || true
    status=1
  fi
done
# Aligned with awk, not column(1): a minimal Debian has no bsdextrautils.
awk -F'\t' '{ printf "%-14s %8s %12s %11s %7s %8s\n", $1, $2, $3, $4, $5, $6 }' "$summary"
exit $status
