#!/usr/bin/env bash
# Times `sdk-authoring integrations test --level sandbox` end to end, warm (sources unchanged,
# component in the compile cache): build check, bundle verification, every case.
# Usage: bench/test-sandbox.sh [vendor-crate-dir] [runs]   (default: examples/hello-world, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
entry=${1:-examples/hello-world}
runs=${2:-20}
cargo build --release --quiet -p sdk-authoring-cli
bin=target/release/sdk-authoring
"$bin" integrations test --entry "$entry" --quiet >/dev/null # warm up
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" integrations test --entry "$entry" --quiet >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}')
echo "vendor:                          $entry"
echo "test --level sandbox, warm:      ${median} ms (median of $runs; target < 300 ms)"
