#!/bin/sh
# Render an HTML report in headless Chromium and screenshot it, to check by
# eye that it renders on screen and in print.
#
# Usage: docs/render-report.sh [--demo] [OUT.png]
#   default  the sample report of steps/render's golden test (four runs with
#            progress, fixes and changes since the last run)
#   --demo   a live `rootguard report --demo` (a fresh state dir: one run)
# Writes OUT.png (default docs/screens/report.png, 1000x1600, the top of the
# page) and OUT.pdf next to it (the whole page in print layout).
# Needs Debian's chromium package: apt-get install -y chromium
# The Go test TestHTMLRendersInChromium (steps/render) does the same check
# automatically and skips when Chromium is absent.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
demo=no
if [ "${1:-}" = "--demo" ]; then demo=yes; shift; fi
out=${1:-$root/docs/screens/report.png}

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "render-report: Chromium not found; install it with: apt-get install -y chromium" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
html=$work/report.html
if [ "$demo" = yes ]; then
	(cd "$root" && go run ./cmd/rootguard report --demo --state-dir "$work/state" --out "$html")
else
	cp "$root/steps/render/testdata/report.html.golden" "$html"
fi

chrome() {
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$work/profile" "$@" >"$work/chromium.log" 2>&1 ||
		{ cat "$work/chromium.log" >&2; exit 1; }
}
chrome --window-size=1000,1600 --screenshot="$out" "file://$html"
chrome --no-pdf-header-footer --print-to-pdf="${out%.png}.pdf" "file://$html"
echo "wrote $out and ${out%.png}.pdf"
