#!/usr/bin/env bash
# End-to-end test of the `quire serve` viewer in headless Chromium.
#
#   tests/browser/run.sh QUIRE_BINARY PROJECT_SOURCE_DIR
#
# Packs the demo corpus of examples/ (as scripts/demo does, plus --fulltext when pack
# has it) and a hostile corpus (hostile.mjs), serves both on a free port and runs
# viewer_test.mjs against them with the system's /usr/bin/chromium. Exits 77 (CTest:
# skipped) when Chromium, node or npm is missing or the npm packages cannot be installed.
# QUIRE_UPDATE_SCREENSHOT=1 writes docs/viewer.png; otherwise the screenshot goes to
# the temporary directory and the tree is left untouched.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 QUIRE_BINARY PROJECT_SOURCE_DIR" >&2
  exit 2
fi
quire=$1
src=$(cd "$2" && pwd)
here="$src/tests/browser"

skip() { echo "SKIP: $*"; exit 77; }
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium not found (apt-get install chromium)"
command -v node >/dev/null || skip "node not found (apt-get install nodejs)"
command -v npm >/dev/null || skip "npm not found (apt-get install npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || skip "node $(node --version) is older than 20, which playwright-core needs"

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "== npm ci in $here"
  # Only the playwright-core package: it drives the system Chromium and never downloads a browser.
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) ||
    skip "npm ci failed in $here (is the npm registry reachable?)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quire-browser.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fulltext=()
if "$quire" pack --help | grep -q -- '--fulltext'; then fulltext=(--fulltext); fi

echo "== pack the demo corpus ${fulltext[*]}"
"$quire" pack "$src/examples/articles.jsonl" --annotations "$src/examples/annotations.jsonl" \
  --title "Quire sample corpus" --license CC0-1.0 "${fulltext[@]}" -o "$tmp/sample.quire"

echo "== pack the hostile corpus"
node "$here/hostile.mjs" "$tmp"
"$quire" pack "$tmp/hostile.jsonl" --annotations "$tmp/hostile-annotations.jsonl" \
  --title '<script>window.__pwned=6</script>' --description '<img src=x onerror="window.__pwned=7">' \
  "${fulltext[@]}" -o "$tmp/hostile.quire"

echo "== quire serve"
"$quire" serve --port 0 "$tmp/sample.quire" "$tmp/hostile.quire" >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
url=
for _ in $(seq 300); do
  line=$(head -n 1 "$tmp/serve.out" 2>/dev/null || true)
  if [[ $line =~ ^quire\ serve:\ listening\ on\ (http://[^[:space:]]+/)$ ]]; then
    url=${BASH_REMATCH[1]}
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "quire serve exited early:" >&2
    cat "$tmp/serve.out" "$tmp/serve.err" >&2
    server=
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "quire serve did not say where it listens within 30 s:" >&2
  cat "$tmp/serve.out" "$tmp/serve.err" >&2
  exit 1
fi
echo "   $url"

if [ "${QUIRE_UPDATE_SCREENSHOT:-0}" = 1 ]; then
  shot="$src/docs/viewer.png"
  mkdir -p "$src/docs"
else
  shot="$tmp/viewer.png"
fi

echo "== viewer_test.mjs"
status=0
QUIRE_URL=$url QUIRE_SOURCE_DIR=$src QUIRE_SCREENSHOT=$shot node "$here/viewer_test.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "== quire serve stderr" >&2
  tail -n 40 "$tmp/serve.err" >&2 || true
fi
exit "$status"
