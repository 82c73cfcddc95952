#!/usr/bin/env bash
# Makes the web fonts the portal serves: Vazirmatn (vendored whole in
# web/static/vendor/vazirmatn-33.0.3/ by web/assets/vendor.sh) cut down to
# the characters the site writes, as WOFF2. The whole font is ~50 KB a
# weight; the subset is what a first visit on a phone downloads.
#
# Kept: Basic Latin and the Latin-1 signs used (« » × · ÷, no-break
# space); the Persian alphabet with the Arabic forms people type and the
# search folds (ي ى ك ة, hamza forms, tatweel, the short vowels and
# tanween, superscript alef); Persian and Arabic-Indic digits with the
# Arabic comma, semicolon, question mark, percent and decimal/thousands
# separators; ZWNJ, ZWJ and the direction marks; dashes, quotes, bullet,
# ellipsis, ≤ ≥ and minus. A character outside the set is drawn by the
# next font of the stack (system-ui…), never lost. UNICODES below is the
# list web/fonts_test.go checks the catalogs, templates and reference
# data against.
#
# Run it again only after changing UNICODES or the vendored font; it needs
# fontTools with brotli (Debian: apt-get install fonttools python3-brotli),
# and commits nothing by itself.   bash web/static/fonts/subset.sh
set -euo pipefail
cd "$(dirname "$0")"
src=../vendor/vazirmatn-33.0.3
UNICODES="U+0020-007E,U+00A0,U+00AB,U+00B7,U+00BB,U+00D7,U+00F7,\
U+060C,U+061B,U+061F,U+0621-063A,U+0640-0655,U+0660-066C,U+0670,\
U+067E,U+0686,U+0698,U+06A9,U+06AF,U+06C0,U+06CC,U+06F0-06F9,\
U+200C-200F,U+2010-2014,U+2018-201E,U+2022,U+2026,U+2039-203A,U+2212,U+2264-2265"
for w in Regular Bold; do
  pyftsubset "$src/Vazirmatn-$w.woff2" \
    --unicodes="$UNICODES" \
    --layout-features+=tnum \
    --no-hinting \
    --flavor=woff2 \
    --output-file="Vazirmatn-$w.woff2"
done
cp "$src/OFL.txt" OFL.txt
printf '%s\n' "$UNICODES" >UNICODES
ls -l Vazirmatn-*.woff2
