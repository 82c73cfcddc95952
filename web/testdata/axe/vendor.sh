#!/usr/bin/env bash
# Vendors axe-core, the accessibility checker the browser tests run in each
# public page (web/light_browser_test.go), from the npm registry at a pinned
# version, checked against the registry's integrity hash. It is test data:
# kept here, never embedded in the binary.
#
# Run it only to change the version:   bash web/testdata/axe/vendor.sh
# Check the committed files:           (cd web/testdata/axe && sha256sum -c SHA256SUMS)
set -euo pipefail
cd "$(dirname "$0")"
SPEC=axe-core@4.14.1
command -v npm >/dev/null || { echo "vendor.sh: npm is needed to re-vendor (not to test)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$SPEC" >/dev/null)
tgz="$tmp/axe-core-${SPEC##*@}.tgz"
integrity=$(npm view "$SPEC" dist.integrity)
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$got" = "$integrity" ] || { echo "vendor.sh: $SPEC: tarball is $got, registry says $integrity"; exit 1; }
tar xzf "$tgz" -C "$tmp"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" .
echo "$SPEC $integrity" >PACKAGE
sha256sum axe.min.js LICENSE >SHA256SUMS
