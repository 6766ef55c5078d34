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

echo "== run the consumer of gnnx::gnnx"
output=$("$work_dir/build/all_consumer")
echo "$output"
grep -q "^all: ba-2motifs classes=2 methods=[1-9][0-9]*\( atoms=3\)\?$" <<<"$output"

if [ -x "$prefix/bin/gnnx" ]; then
  echo "== installed gnnx"
  "$prefix/bin/gnnx" --version
fi

if [ -x "$work_dir/build/mol_consumer" ] && [ -x "$prefix/bin/gnnx" ]; then
  echo "== molecule pipeline example (README), with a model trained by the installed gnnx"
  # The README shows tests/consumer/mol_main.cpp verbatim: keep the two the same.
  readme="$here/../../README.md"
  sed -n '/^<!-- mol_main.cpp -->$/,/^```$/p' "$readme" | sed '1,2d;$d' >"$work_dir/readme_example.cpp"
  diff -u "$here/mol_main.cpp" "$work_dir/readme_example.cpp"
  printf 'smiles,active\nO=[N+]([O-])c1ccccc1,1\nNc1ccccc1,1\nCCO,0\nCCCC,0\nO=[N+]([O-])c1ccc(C)cc1,1\nCC(=O)O,0\nNc1ccc(Cl)cc1,1\nCCCCO,0\nOCC(O)CO,0\nCC(N)=O,0\n' \
    >"$work_dir/train.csv"
  "$prefix/bin/gnnx" --quiet --threads 1 train --data "$work_dir/train.csv" --target active \
    --epochs 3 --hidden 8 --out "$work_dir/m.gnnx" >/dev/null
  output=$("$work_dir/build/mol_consumer" "$work_dir/m.gnnx" 'O=[N+]([O-])c1ccccc1' "$work_dir/nitro.png")
  echo "$output"
  grep -q "^prediction [0-9.e-]* fragment [^ ]* smarts [^ ]*$" <<<"$output"
  test "$(head -c 4 "$work_dir/nitro.png" | tail -c 3)" = "PNG"
fi
echo "consumer test passed"
