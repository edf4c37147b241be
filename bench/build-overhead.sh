#!/usr/bin/env bash
# Measures what `sdk-authoring integrations build` adds on top of cargo for a warm build
# (sources unchanged): cargo's own no-op build of the vendor vs our whole build (no-op cargo
# + component load from the compile cache + manifest extraction + validation + packing).
# Usage: bench/build-overhead.sh [vendor-crate-dir] [runs]   (default: examples/hello-world, 30)
set -euo pipefail
cd "$(dirname "$0")/.."
entry=${1:-examples/hello-world}
runs=${2:-30}
cargo build --release --quiet -p sdk-authoring-cli
bin=target/release/sdk-authoring
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo_noop=(cargo build --release --target wasm32-wasip2 --manifest-path "$entry/Cargo.toml" --message-format json-render-diagnostics --quiet)
ours=("$bin" integrations build --entry "$entry" --out-dir "$out" --quiet)
"${ours[@]}" # warm the cargo build and the compile cache

median_ms() { # command... ; prints the median wall time in ms over $runs runs
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

cargo_ms=$(median_ms "${cargo_noop[@]}")
ours_ms=$(median_ms "${ours[@]}")
echo "vendor:                 $entry"
echo "cargo no-op build:      ${cargo_ms} ms (median of $runs)"
echo "sdk-authoring build:    ${ours_ms} ms (median of $runs)"
echo "overhead on top of cargo: $(awk -v a="$ours_ms" -v b="$cargo_ms" 'BEGIN {printf "%.1f", a-b}') ms (target: < 150 ms)"
