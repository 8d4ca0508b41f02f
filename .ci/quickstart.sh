#!/usr/bin/env bash
# The README's quick start, for real: `npm run demo` in the background, wait until it is ready, then
# with the key it printed call /health, the console's page, a Search and a GetDiagnosis over HTTP (Connect JSON with curl),
# then SIGINT the demo and check it exited 0. On any failure the demo's
# output is printed. READY_TIMEOUT_S is generous: CI machines are shared and slow.
set -euo pipefail
cd "$(dirname "$0")/.."

READY_TIMEOUT_S=${READY_TIMEOUT_S:-180}
STOP_TIMEOUT_S=${STOP_TIMEOUT_S:-60}
# A PPPoE user of the demo ISP (lab/scenario/demo.ts; the demo lists it too).
SEARCH_USER=perez.maria

work=$(mktemp -d)
out="$work/demo.out"
pid=""

fail() {
  echo "quickstart: FAILED: $*" >&2
  echo "----- npm run demo output ($out) -----" >&2
  cat "$out" >&2 || true
  echo "----- end of demo output -----" >&2
  exit 1
}

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Its own process group (setsid), so cleanup can kill npm and the demo together. PORT=0:
# a free port, so CI never collides with anything on 8500; a fresh cache in the temporary folder.
PORT=0 DEMO_DB_PATH="$work/demo.db" setsid npm run demo >"$out" 2>&1 </dev/null &
pid=$!
echo "quickstart: npm run demo started (pid $pid), output in $out"

deadline=$((SECONDS + READY_TIMEOUT_S))
until grep -q '^Ctrl-C stops Beholder and the lab\.$' "$out"; do
  kill -0 "$pid" 2>/dev/null || { wait "$pid" && code=0 || code=$?; pid=""; fail "npm run demo exited ($code) before it was ready"; }
  [ "$SECONDS" -lt "$deadline" ] || fail "not ready within ${READY_TIMEOUT_S} s"
  sleep 1
done
url=$(sed -n 's/^Beholder is ready at \(http:\/\/[^ ]*\).*/\1/p' "$out" | head -n1)
key=$(sed -n 's/^  \(bh_[0-9a-f]\{12\}_[A-Za-z0-9_-]*\)$/\1/p' "$out" | head -n1)
[ -n "$url" ] || fail "no 'Beholder is ready at URL' line"
[ -n "$key" ] || fail "no API key printed"
echo "quickstart: ready at $url after $((SECONDS - (deadline - READY_TIMEOUT_S))) s"

check_health() {
  local body
  body=$(curl -sS --fail-with-body --max-time 30 "$url/health") || fail "GET /health: $body"
  echo "quickstart: GET /health -> $body"
}

# The agent console, built by npm run demo: its page with the Content-Security-Policy, and its bundle.
check_console() {
  local headers body script
  grep -q "^Consola: $url/console/ " "$out" || fail "npm run demo did not print 'Consola: $url/console/'"
  headers=$(curl -sS --fail-with-body --max-time 30 -D - -o "$work/console.html" "$url/console/") || fail "GET /console/: $headers"
  grep -qi "^content-security-policy: default-src 'self';" <<<"$headers" || fail "GET /console/ has no CSP header: $headers"
  body=$(cat "$work/console.html")
  script=$(grep -o 'src="/console/app-[A-Z0-9]*\.js"' <<<"$body" | sed 's/^src="//; s/"$//')
  [ -n "$script" ] || fail "GET /console/ links no app-[hash].js: $body"
  curl -sS --fail --max-time 30 -o /dev/null "$url$script" || fail "GET $script failed"
  echo "quickstart: GET /console/ -> 200 with CSP, $script served"
}

check_search() {
  local body
  body=$(curl -sS --fail-with-body --max-time 30 -H "x-api-key: $key" -H 'content-type: application/json' \
    -d "{\"query\":\"$SEARCH_USER\"}" "$url/beholder.v1.SearchService/Search") || fail "Search: $body"
  grep -q "\"pppoeUser\":\"$SEARCH_USER\"" <<<"$body" || fail "Search for $SEARCH_USER did not find it: $body"
  echo "quickstart: Search $SEARCH_USER -> found"
}

# The diagnosis over HTTP with the demo's key: perez.maria is a single ONU in LOS among online neighbours.
check_diagnosis() {
  local body
  body=$(curl -sS --fail-with-body --max-time 30 -H "x-api-key: $key" -H 'content-type: application/json' \
    -d "{\"pppoe_user\":\"$SEARCH_USER\"}" "$url/beholder.v1.DiagnosisService/GetDiagnosis") || fail "GetDiagnosis: $body"
  grep -q '"ruleId":"onu.los"' <<<"$body" || fail "GetDiagnosis $SEARCH_USER did not answer the single-LOS verdict: $body"
  echo "quickstart: GetDiagnosis $SEARCH_USER -> $(grep -o '"verdict":{[^}]*}' <<<"$body")"
}

check_health
check_console
check_search
check_diagnosis

# Ctrl-C: SIGINT to the demo's node process. Not to npm as well: npm reports 130 for a signal it got
# itself even when its script exits 0; npm's own exit status is then the demo's.
demo_pid=$(pgrep -g "$pid" -f '^([^ ]*/)?node .*lab/demo/demo\.ts' | head -n1 || true)
[ -n "$demo_pid" ] || fail "cannot find the demo's node process in process group $pid"
kill -INT "$demo_pid"
stop_deadline=$((SECONDS + STOP_TIMEOUT_S))
while kill -0 "$pid" 2>/dev/null; do
  [ "$SECONDS" -lt "$stop_deadline" ] || fail "still running ${STOP_TIMEOUT_S} s after SIGINT"
  sleep 1
done
wait "$pid" && code=0 || code=$?
pid=""
[ "$code" -eq 0 ] || fail "npm run demo exited $code after SIGINT (want 0)"
grep -q '^stopped$' "$out" || fail "no 'stopped' line after SIGINT"
echo "quickstart: SIGINT -> exit 0; passed"
