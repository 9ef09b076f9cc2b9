#!/bin/sh
# Regenerate the README's screenshots from real captures of the wizard:
# rootguard runs on the demo account in tmux, is driven with send-keys,
# each screen is captured with its colours (capture-pane -e) and turned
# into a PNG with charmbracelet/freeze.
#
# Usage: docs/screens.sh            (writes docs/screens/*.png and *.txt)
# Needs: tmux, and freeze (go install github.com/charmbracelet/freeze@v0.2.2);
# pngquant (apt-get install pngquant), when present, makes the files smaller.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/docs/screens
freeze=$(command -v freeze || echo "$(go env GOPATH)/bin/freeze")
if [ ! -x "$freeze" ]; then
	echo "screens: freeze not found; install it with: go install github.com/charmbracelet/freeze@v0.2.2" >&2
	exit 1
fi
command -v tmux >/dev/null || { echo "screens: tmux not found" >&2; exit 1; }

work=$(mktemp -d)
session=rootguard-screens-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/rootguard" ./cmd/rootguard)

# start COLSxROWS: a fresh demo in a terminal of that size.
start() {
	tmux kill-session -t "$session" 2>/dev/null || true
	tmux new-session -d -s "$session" -x "$1" -y "$2" \
		"env COLORTERM=truecolor TERM=xterm-256color $work/rootguard --demo --no-save"
	wait_for "Press enter"
}

# wait_for TEXT: until the screen shows TEXT (at most 15 s).
wait_for() {
	i=0
	until tmux capture-pane -t "$session" -p | grep -qF -- "$1"; do
		i=$((i + 1))
		if [ "$i" -gt 150 ]; then
			echo "screens: the wizard never showed \"$1\"" >&2
			tmux capture-pane -t "$session" -p >&2
			exit 1
		fi
		sleep 0.1
	done
}

keys() { tmux send-keys -t "$session" "$@"; sleep 0.4; }

# shot NAME: the screen as NAME.png (colours) and NAME.txt (plain text).
shot() {
	# freeze draws bright white backgrounds (SGR 107) as grey and may keep
	# a colour past a reset to the default (SGR 39 and 49): spell them out
	# as true colour (39: the wizard's text colour on dark, #E6EDF3; 49:
	# freeze's own background, #171717).
	tmux capture-pane -t "$session" -p -e -N |
		sed 's/\[107m/[48;2;255;255;255m/g; s/;107m/;48;2;255;255;255m/g; s/\[49m/[48;2;23;23;23m/g; s/\[39m/[38;2;230;237;243m/g; s/;49m/;48;2;23;23;23m/g' >"$work/$1.ansi"
	tmux capture-pane -t "$session" -p >"$out/$1.txt"
	"$freeze" --language ansi --window --padding 20 --margin 0 --font.size 14 \
		-o "$out/$1.png" "$work/$1.ansi" >/dev/null
	if command -v pngquant >/dev/null; then # about a tenth of the size, same look
		pngquant --quality 60-90 --speed 1 --force --output "$out/$1.png" "$out/$1.png"
	fi
	chmod 644 "$out/$1.png"
	echo "screens: $out/$1.png"
}

# open ITEM: from the checklist, the step whose title contains ITEM.
open() {
	keys g
	n=0
	until tmux capture-pane -t "$session" -p | grep -F -- "$1" | grep -q "▸"; do
		keys j
		n=$((n + 1))
		[ "$n" -le 40 ] || { echo "screens: no item \"$1\"" >&2; tmux capture-pane -t "$session" -p >&2; exit 1; }
	done
	keys Enter
}

start 80 24
keys Enter
wait_for "Know where you stand"
wait_for "report of"
wait_for "18 to do" # every check has answered
shot checklist-80x24

open "Turn on MFA for the root user"
wait_for "What to do"
shot guided-step-80x24
keys Q
wait_for "Scan with your phone"
shot guided-qr-80x24
keys Escape; keys Escape

open "Require strong IAM user passwords"
keys x
wait_for "Which password policy"
keys Enter
wait_for "(default: No)"
shot fix-password-policy-80x24
keys y
wait_for "Re-checked live"
wait_for "PASS"
shot fix-result-80x24
keys Enter; keys Escape
keys f
wait_for "Fixed this session (1)"
shot summary-80x24

start 100 48
keys Enter
wait_for "report of"
open "Create a daily-use admin identity"
keys x
wait_for "User name"
keys Enter
wait_for "(default: No)"
keys y
wait_for "Enrol the MFA device"
shot admin-mfa-qr-100x48
keys Escape
wait_for "Stop"
keys y
