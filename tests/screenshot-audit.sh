#!/usr/bin/env bash
# Renders the HTML audit report of the samples and takes screenshots with headless
# Chromium, to look at how it renders (on screen and printed). Not run by `cargo test`.
#
#   tests/screenshot-audit.sh [OUT_DIR]      # default: target/screenshot-audit
#
# Writes OUT_DIR/audit-ja.html and audit-en.html, screenshots audit-ja.png / audit-en.png
# (1400×2000, the top of the page), audit-ja-full.png (tall enough for the whole report),
# and audit-ja.pdf (the print layout: A4 landscape); and, with both profiles in force,
# audit-mhlw-ja.html, audit-mhlw-checklist-ja.png (the checklist's section alone) and
# audit-mhlw-ja.pdf.
#
# Needs (Debian/Ubuntu):
#   apt-get update && apt-get install -y chromium fonts-noto-cjk
# Without a Japanese font (fonts-noto-cjk, or fonts-ipafont-gothic / fonts-takao), the
# Japanese text shows as boxes: the report itself uses local system fonts only.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/screenshot-audit}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "chromium not found: apt-get install -y chromium fonts-noto-cjk" >&2
    exit 2
fi
if command -v fc-list >/dev/null && ! fc-list :lang=ja | grep -q .; then
    echo "warning: no Japanese font installed (apt-get install -y fonts-noto-cjk): glyphs will show as boxes" >&2
fi

cd "$root"
cargo build --quiet --bin rurume
bin="$root/target/debug/rurume"

# `audit` exits 1 because the samples contain violations on purpose.
for lang in ja en; do
    "$bin" audit samples/ --as-of 2026-11-26 --format html --lang "$lang" >"$out/audit-$lang.html" || [[ $? -eq 1 ]]
done
"$bin" audit samples/ --profile rurume,mhlw --as-of 2026-11-26 --format html --lang ja >"$out/audit-mhlw-ja.html" || [[ $? -eq 1 ]]
# The checklist's section alone, for its screenshot.
sed 's|</style>|section:not(#checklist){display:none}</style>|' "$out/audit-mhlw-ja.html" >"$out/audit-mhlw-checklist-ja.html"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

chrome() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" "$@" 2>/dev/null
}

chrome --screenshot="$out/audit-ja.png" --window-size=1400,2000 "file://$out/audit-ja.html"
chrome --screenshot="$out/audit-en.png" --window-size=1400,2000 "file://$out/audit-en.html"
chrome --screenshot="$out/audit-ja-full.png" --window-size=1400,7000 "file://$out/audit-ja.html"
chrome --print-to-pdf="$out/audit-ja.pdf" --no-pdf-header-footer "file://$out/audit-ja.html"
chrome --screenshot="$out/audit-mhlw-checklist-ja.png" --window-size=1400,1300 "file://$out/audit-mhlw-checklist-ja.html"
chrome --print-to-pdf="$out/audit-mhlw-ja.pdf" --no-pdf-header-footer "file://$out/audit-mhlw-ja.html"

ls -l "$out"
