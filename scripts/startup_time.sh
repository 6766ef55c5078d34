#!/usr/bin/env bash
# What `gnnx --version` spends its time on (issue 21): the median wall time of N runs of
# gnnx --version, of an empty program linked with LibTorch alone (libtorch_cpu, c10) and of one
# linked with the same RDKit libraries as gnnx, so that gnnx's own share (its static
# initialisers, CLI11 setup) is the difference; then the dynamic loader's own statistics
# (LD_DEBUG=statistics: objects loaded, relocations, time in the loader).
# Usage: scripts/startup_time.sh [GNNX_BINARY [RUNS]]   (default build/tools/gnnx, 10 runs)
set -euo pipefail

gnnx="${1:-build/tools/gnnx}"
runs="${2:-10}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Median wall seconds of `runs` runs of "$@".
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}

echo 'int main() { return 0; }' >"$tmp/empty.cpp"
c++ "$tmp/empty.cpp" -o "$tmp/empty" 
c++ "$tmp/empty.cpp" -o "$tmp/empty_torch" -Wl,--no-as-needed -ltorch_cpu -lc10
rdkit_libs=$(readelf -d "$gnnx" | sed -n 's/.*Shared library: \[lib\(RDKit[A-Za-z0-9]*\)\.so.*/-l\1/p' | tr '\n' ' ')
# shellcheck disable=SC2086  # one word per library
c++ "$tmp/empty.cpp" -o "$tmp/empty_torch_rdkit" -Wl,--no-as-needed -ltorch_cpu -lc10 $rdkit_libs -lcairo

printf '%-40s %s\n' "program ($runs runs)" "median wall s"
printf '%-40s %s\n' "empty program" "$(median "$tmp/empty")"
printf '%-40s %s\n' "empty + libtorch_cpu, c10" "$(median "$tmp/empty_torch")"
printf '%-40s %s\n' "empty + libtorch_cpu, c10, RDKit, cairo" "$(median "$tmp/empty_torch_rdkit")"
printf '%-40s %s\n' "gnnx --version" "$(median "$gnnx" --version)"
echo
echo "shared objects loaded by gnnx: $(ldd "$gnnx" | wc -l)"
echo "LD_DEBUG=statistics, gnnx --version:"
LD_DEBUG=statistics "$gnnx" --version 2>&1 >/dev/null | sed -n 's/^ *[0-9]*: *//p' | grep -E "total startup|time needed|number of|final number" || true
