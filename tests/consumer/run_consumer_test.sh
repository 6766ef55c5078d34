#!/usr/bin/env bash
# Installs a gnnx build into a temporary prefix, then configures, builds and runs the consumer
# project in this folder against it with find_package(gnnx) — the check that the exported
# targets, the package config and the installed headers work outside the source tree.
# Usage: run_consumer_test.sh BUILD_DIR WORK_DIR [CMAKE [GENERATOR [CXX_COMPILER]]]
set -euo pipefail

build_dir=$1
work_dir=$2
cmake=${3:-cmake}
generator=${4:-}
cxx=${5:-}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

rm -rf "$work_dir"
mkdir -p "$work_dir"
prefix="$work_dir/prefix"

echo "== install $build_dir into $prefix"
"$cmake" --install "$build_dir" --prefix "$prefix" >"$work_dir/install.log"
test -f "$prefix/lib/cmake/gnnx/gnnxConfig.cmake" || \
  test -n "$(find "$prefix" -name gnnxConfig.cmake)" || { echo "no gnnxConfig.cmake installed"; exit 1; }

echo "== configure the consumer"
args=(-S "$here" -B "$work_dir/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix")
[ -n "$generator" ] && args+=(-G "$generator")
[ -n "$cxx" ] && args+=(-DCMAKE_CXX_COMPILER="$cxx")
"$cmake" "${args[@]}"

echo "== build the consumer"
"$cmake" --build "$work_dir/build"

echo "== run the consumer"
output=$("$work_dir/build/consumer")
echo "$output"
grep -q "^consumer: ba-shapes nodes=[0-9]* edges=[0-9]* out=[0-9]*x16 finite=yes$" <<<"$output"

if [ -x "$prefix/bin/gnnx" ]; then
  echo "== installed gnnx"
  "$prefix/bin/gnnx" --version
fi
echo "consumer test passed"
