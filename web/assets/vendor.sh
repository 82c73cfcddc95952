#!/usr/bin/env bash
# Vendors the web's third-party assets from the npm registry at pinned
# versions into web/static/vendor/, and records the SHA-256 of every file
# it keeps in web/static/vendor/SHA256SUMS (plus each tarball's npm
# integrity in web/static/vendor/PACKAGES). The result is committed and
# embedded in the binary, so `go build` and `go run` never need npm, and
# the server never sends a browser to a CDN.
#
# Run it only to change a version:   bash web/assets/vendor.sh
# Check the committed files:         (cd web/static/vendor && sha256sum -c SHA256SUMS)
# web/static_test.go checks the same sums on every `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."   # web/
out=static/vendor
command -v npm >/dev/null || { echo "vendor.sh: npm is needed to re-vendor (not to build)"; exit 1; }

# package@version  →  files kept (paths inside the package)
HTMX=htmx.org@2.0.11
CHART=chart.js@4.6.1
FONT=vazirmatn@33.0.3
declare -A keep=(
  [$HTMX]="dist/htmx.min.js LICENSE"
  [$CHART]="dist/chart.umd.min.js LICENSE.md"
  [$FONT]="fonts/webfonts/Vazirmatn-Regular.woff2 fonts/webfonts/Vazirmatn-Bold.woff2 OFL.txt"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
: >"$out/PACKAGES"
for spec in "$HTMX" "$CHART" "$FONT"; do
  name=${spec%@*}
  ver=${spec##*@}
  # npm pack verifies the tarball against the registry's integrity hash.
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tgz="$tmp/${name}-${ver}.tgz"
  integrity=$(npm view "$spec" dist.integrity)
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [ "$got" = "$integrity" ] || { echo "vendor.sh: $spec: tarball is $got, registry says $integrity"; exit 1; }
  echo "$spec $integrity" >>"$out/PACKAGES"
  mkdir -p "$tmp/$name"
  tar xzf "$tgz" -C "$tmp/$name"
  dest="$out/$name-$ver"
  mkdir -p "$dest"
  for f in ${keep[$spec]}; do
    cp "$tmp/$name/package/$f" "$dest/$(basename "$f")"
  done
done
(cd "$out" && find . -type f ! -name SHA256SUMS ! -name PACKAGES | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "vendored into web/$out:"
cat "$out/SHA256SUMS"
