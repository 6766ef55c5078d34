#!/usr/bin/env bash
# Regenerates the README's tables per architecture (issue 16):
#   1. test accuracy of every architecture on every synthetic benchmark (`gnnx train --arch`,
#      the benchmark's other training settings, seed 0);
#   2. ground-truth AUC of every method on every architecture on BA-Shapes, Tree-Cycles,
#      BA-2Motifs (the models of table 1) and Mutagenicity (`gnnx evaluate --arch`, which trains
#      the benchmark's model with that layer type);
#   3. test ROC-AUC of GCN, GIN and GINE property models on BBBP, Tox21 (all 12 tasks) and
#      Mutagenicity, the same random 80/10/10 split for all three (it depends on the seed only).
# Every run's JSON is kept in the results folder and reused when present (delete it to rerun).
# Builds the command line first when needed.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out),
# GNNX_SHARED_DATA (default ../shared/data), GNNX_SEED (default 0), GNNX_THREADS (default 1),
# GNNX_TABLES (default "1 2 3"), GNNX_ARCH_METHODS (table 2's methods; default below).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/results_common.sh
seed="${GNNX_SEED:-0}"
threads="${GNNX_THREADS:-1}"
tables="${GNNX_TABLES:-1 2 3}"
export GNNX_SHARED_DATA="${GNNX_SHARED_DATA:-../shared/data}"
ensure_built tools/gnnx
run() { "$gnnx" --threads "$threads" --quiet "$@"; }

# The value of a number or string field of a one-line JSON object (the first match).
field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" <<<"$2" | head -1 | tr -d '"'; }
# The objects of a one-line JSON array, one per line.
objects() { sed 's/},{/}\n{/g' "$1"; }

synthetic="ba-shapes ba-community tree-cycles tree-grid ba-2motifs"
archs="gcn gin gine graphconv sage gat"

# train_synthetic NAME ARCH: trains (once) and prints the path of the JSON report; the model
# file sits beside it. GINE refuses data without edge features: its JSON holds the error.
train_synthetic() {
  local base="$out_dir/arch-$2-$1-seed$seed"
  if [ ! -s "$base.json" ]; then
    if ! run train --dataset "$1" --arch "$2" --seed "$seed" --out "$base.gnnx" --json \
        >"$base.json" 2>"$base.err"; then
      printf '{"error":"%s"}\n' "$(tr -d '"\n' <"$base.err" | sed 's/^gnnx: //; s/^error: //')" >"$base.json"
    fi
  fi
  echo "$base.json"
}

if [[ " $tables " == *" 1 "* ]]; then
  header="| data set |"; rule="| --- |"
  for a in $archs; do header+=" $a |"; rule+=" ---: |"; done
  echo "$header"; echo "$rule"
  for name in $synthetic; do
    row="| $name |"
    for a in $archs; do
      json=$(cat "$(train_synthetic "$name" "$a")")
      if grep -q '"error"' <<<"$json"; then row+=" — |"; else
        row+=" $(printf '%.3f' "$(field test_acc "$json")") |"
      fi
    done
    echo "$row"
  done
  echo
fi

# The methods of table 2 (GNNX_ARCH_METHODS, comma-separated): the first wave's, whose tables
# the README shows. The methods added later (PGExplainer, GraphMask, PGM-Explainer,
# CF-GNNExplainer, DeepLIFT, Shapley sampling, LRP, GNN-LRP, SubgraphX) are scored per benchmark
# on the GCN (scripts/molecule_explainer_results.sh, seed_results.sh); six architectures times
# four data sets of them would take hours.
arch_methods="${GNNX_ARCH_METHODS:-gnnexplainer,saliency,input-x-gradient,integrated-gradients,smoothgrad,guided-backprop,deconvolution,occlusion,cam,grad-cam,grad-cam-avg,eb,contrastive-eb,bayesgrad}"

# evaluate_json NAME ARCH: the methods' scores (one JSON array), or {"error": ...}.
evaluate_json() {
  local json="$out_dir/arch-eval-$2-$1-seed$seed.json"
  if [ ! -s "$json" ]; then
    local model=()
    if [ "$1" != mutagenicity ]; then
      local report; report=$(train_synthetic "$1" "$2")
      if grep -q '"error"' "$report"; then cp "$report" "$json"; echo "$json"; return; fi
      # A model no better than guessing has nothing to explain: its maps would score noise.
      local acc; acc=$(field test_acc "$(cat "$report")")
      if awk -v a="$acc" 'BEGIN { exit !(a < 0.7) }'; then
        printf '{"error":"test accuracy %.3f < 0.7"}\n' "$acc" >"$json"; echo "$json"; return
      fi
      model=(--model "${report%.json}.gnnx")
    else
      model=(--arch "$2")
    fi
    run evaluate --dataset "$1" "${model[@]}" --method "$arch_methods" --seed "$seed" --json >"$json"
  fi
  echo "$json"
}

if [[ " $tables " == *" 2 "* ]]; then
  for name in ba-shapes tree-cycles ba-2motifs mutagenicity; do
    echo "**$name** (AUC; n/a: the method does not apply to the model; —: no model)"
    echo
    header="| method |"; rule="| --- |"
    for a in $archs; do header+=" $a |"; rule+=" ---: |"; done
    echo "$header"; echo "$rule"
    methods=$(objects "$(evaluate_json "$name" gcn)" | while read -r o; do field method "$o"; done)
    notes=""
    for a in $archs; do
      file=$(evaluate_json "$name" "$a")
      if grep -q '^{"error"' "$file"; then notes+="${notes:+; }$a: $(field error "$(cat "$file")")"; fi
    done
    for method in $methods; do
      row="| \`$method\` |"
      for a in $archs; do
        file=$(evaluate_json "$name" "$a")
        if grep -q '^{"error"' "$file"; then row+=" — |"; continue; fi
        o=$(objects "$file" | grep "\"method\":\"$method\"")
        if grep -q '"error"' <<<"$o"; then row+=" n/a |"; else
          row+=" $(printf '%.3f' "$(field auc "$o")") |"
        fi
      done
      echo "$row"
    done
    echo
    [ -z "$notes" ] || { echo "— (no model explained): $notes"; echo; }
  done
fi

# train_property NAME ARCH: a property model on a molecule file; prints its JSON report.
train_property() {
  local json="$out_dir/arch-property-$2-$1-seed$seed.json" data=()
  case "$1" in
    bbbp) data=(--data "$GNNX_SHARED_DATA/bbbp/BBBP.csv" --target p_np) ;;
    tox21) data=(--data "$GNNX_SHARED_DATA/tox21/tox21.csv" --target "NR-AR,NR-AR-LBD,NR-AhR,NR-Aromatase,NR-ER,NR-ER-LBD,NR-PPAR-gamma,SR-ARE,SR-ATAD5,SR-HSE,SR-MMP,SR-p53") ;;
    mutagenicity) data=(--data "$GNNX_SHARED_DATA/Mutagenicity/tudataset") ;;
  esac
  [ -s "$json" ] || run train "${data[@]}" --arch "$2" --seed "$seed" \
    --out "${json%.json}.gnnx" --json >"$json" 2>/dev/null
  cat "$json"
}

if [[ " $tables " == *" 3 "* ]]; then
  echo "| data set | tasks | molecules | gcn | gin | gine |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for name in bbbp mutagenicity tox21; do
    first=$(train_property "$name" gcn)
    tasks=$(sed -n 's/.*"tasks":\[\([^]]*\)\].*/\1/p' <<<"$first" | tr ',' '\n' | wc -l)
    row="| $name | $tasks | $(field molecules "$first") |"
    for a in gcn gin gine; do
      json=$(train_property "$name" "$a")
      test=$(sed -n 's/.*"test":{\([^}]*\)}.*/\1/p' <<<"$json")
      row+=" $(printf '%.3f' "$(field roc_auc "$test")") |"
    done
    echo "$row"
  done
  echo
fi
echo "Seed $seed, $("$gnnx" --version 2>/dev/null || echo gnnx), --threads $threads, $(uname -m)."
