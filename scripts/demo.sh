#!/usr/bin/env bash
# The main job end to end on a fresh Debian bookworm machine: install the packages, build the
# gnnx command line, list the data sets, train a GCN on BA-Shapes, explain its predictions
# (JSON + a Graphviz drawing), score every explainer against the planted motifs, then train the
# default Mutagenicity classifier and explain a nitroarene of its test split with the default
# molecule method, drawn beside the data set's NO2 ground truth (RDKit).
# Environment: GNNX_BUILD_DIR (default build), GNNX_DEMO_DIR (outputs; default demo-out),
# GNNX_SHARED_DATA (the molecule data sets; default ../shared/data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
build_dir="${GNNX_BUILD_DIR:-build}"
out_dir="${GNNX_DEMO_DIR:-demo-out}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j"$(nproc)" --target gnnx
gnnx="$build_dir/tools/gnnx"
mkdir -p "$out_dir"

echo "== gnnx datasets"
"$gnnx" datasets

echo "== gnnx train --dataset ba-shapes --seed 0 --out $out_dir/ba-shapes.gnnx"
"$gnnx" train --dataset ba-shapes --seed 0 --out "$out_dir/ba-shapes.gnnx"

echo "== gnnx explain --method gnnexplainer --nodes 400:700:5 (JSON + drawing of node 400)"
"$gnnx" explain --model "$out_dir/ba-shapes.gnnx" --method gnnexplainer --nodes 400:700:5 \
  --out "$out_dir/ba-shapes-gnnexplainer.json" --render "$out_dir/ba-shapes-node400.svg"

# Every method but SubgraphX, whose tree search takes minutes per BA-Shapes node at DIG's
# defaults (README, Methods).
methods=$("$gnnx" methods --json | python3 -c 'import json, sys
print(",".join(m["name"] for m in json.load(sys.stdin) if m["name"] != "subgraphx"))')
echo "== gnnx evaluate --dataset ba-shapes --method (every method but subgraphx) (AUC against the planted houses)"
"$gnnx" evaluate --dataset ba-shapes --model "$out_dir/ba-shapes.gnnx" --method "$methods"

data="${GNNX_SHARED_DATA:-../shared/data}"
echo "== molecules: gnnx train --data Mutagenicity (TUDataset), then explain-mol on 1-methyl-2-nitronaphthalene"
"$gnnx" train --data "$data/Mutagenicity/tudataset" --seed 0 --out "$out_dir/mutagenicity.gnnx" \
  --split-out "$out_dir/mutagenicity-split.csv"
# Graph 1888 (1-methyl-2-nitronaphthalene) is in the test split of seed 0: the model never
# trained on it.
awk -F, '$3 == 1888 && $4 != "test" { bad = 1 } END { exit bad }' "$out_dir/mutagenicity-split.csv"
awk -F, 'NR == 1 || $1 == 1888' "$data/Mutagenicity/mutagenicity_smiles_gt.csv" \
  >"$out_dir/nitroarene.csv"
mkdir -p "$out_dir/nitroarene"
"$gnnx" explain-mol --model "$out_dir/mutagenicity.gnnx" --input "$out_dir/nitroarene.csv" \
  --id-col graph_id --show-truth --render-dir "$out_dir/nitroarene" \
  --output "$out_dir/nitroarene.jsonl"

echo "== done: outputs in $out_dir/"
ls -l "$out_dir"
