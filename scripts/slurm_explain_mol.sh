#!/usr/bin/env bash
# explain-mol over a large molecule file on a Slurm cluster (issue 19, item 6): a job array of N
# tasks, task i explaining shard i/N (the records whose index is i modulo N) on one core, then
# one merge job that sorts the parts by index into the single run's file, byte for byte (the
# --shard contract; README "Sharding"). Not run by the tests (no Slurm here); the same shards
# and merge under GNU parallel are (tests/molecules/explain_mol_cli_test.cpp).
#
#   sbatch --array=0-99 scripts/slurm_explain_mol.sh MODEL INPUT OUTDIR [explain-mol flags...]
#   # then, once every task has ended:
#   sbatch --dependency=afterok:<array job id> --wrap \
#     "bash scripts/slurm_explain_mol.sh --merge OUTDIR"
#
# Each task writes OUTDIR/part<i>.jsonl; the merge writes OUTDIR/explanations.jsonl.
#SBATCH --job-name=gnnx-explain-mol
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=12:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

if [ "${1:-}" = "--merge" ]; then
  out=${2:?usage: slurm_explain_mol.sh --merge OUTDIR}
  # Every line starts with {"index":N, so a numeric sort on the second ':' field restores the
  # file's order; LC_ALL=C makes the sort byte-wise on every machine.
  cat "$out"/part*.jsonl | LC_ALL=C sort -t: -k2,2n > "$out/explanations.jsonl.tmp"
  mv "$out/explanations.jsonl.tmp" "$out/explanations.jsonl"
  exit 0
fi

model=${1:?usage: sbatch --array=0-(N-1) slurm_explain_mol.sh MODEL INPUT OUTDIR [flags]}
input=${2:?missing INPUT}
out=${3:?missing OUTDIR}
shift 3
: "${SLURM_ARRAY_TASK_ID:?run as a job array: sbatch --array=0-(N-1) ...}"
: "${SLURM_ARRAY_TASK_COUNT:?run as a job array: sbatch --array=0-(N-1) ...}"
mkdir -p "$out"
gnnx=${GNNX:-gnnx}
# One core per task (--threads 1, a shard's default anyway).
"$gnnx" --quiet --threads 1 explain-mol --model "$model" --input "$input" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --output "$out/part$SLURM_ARRAY_TASK_ID.jsonl" "$@"
