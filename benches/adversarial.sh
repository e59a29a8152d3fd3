#!/usr/bin/env bash
# Adversarial guard for cuenta (issue 21). See BENCHMARKS.md, "Adversarial inputs".
#
#   bash benches/adversarial.sh            # every case
#   bash benches/adversarial.sh headings   # one case
#
# Builds the release binary and examples/adversarial.rs, then runs each
# generated hostile input with its time budget (a run past 60 s is killed).
# Prints a Markdown table on stdout; exits 1 when a case crashed or went
# over its budget. Generated reports go to ${BENCH_DIR:-target/bench}/adversarial
# and are removed after each case.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
WORK=${BENCH_DIR:-$REPO/target/bench}/adversarial
mkdir -p "$WORK"
(cd "$REPO" && cargo build --release --bin cuenta --example adversarial >&2)
args=(--bin "$TARGET_DIR/release/cuenta" --dir "$WORK")
if [[ $# -gt 0 ]]; then
    args+=(--only "$1")
fi
"$TARGET_DIR/release/examples/adversarial" "${args[@]}"
