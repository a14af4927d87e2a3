#!/usr/bin/env bash
# Holds the read API to its OpenAPI document: schemathesis (PyPI, pinned,
# in a virtualenv under target/tools/) sends generated requests, valid and
# not, to every operation of /api/openapi.json on a small demo registry,
# and fails on any 5xx answer, any answer outside the document (status,
# content type, headers, body schema) and any invalid request accepted.
# Called by scripts/test.sh after the Rust tests; runs alone too:
#   bash scripts/api-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=3.39.16
# schemathesis 3.39 breaks on newer hypothesis releases ("'many' object
# has no attribute 'more'"): the one it was released with.
HYPOTHESIS_VERSION=6.125.3
EXAMPLES=${LIBRES_API_CHECK_EXAMPLES:-60}

say() { echo "== $*"; }
fail() { echo "scripts/api-check.sh: $*" >&2; exit 1; }

venv=target/tools/schemathesis
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || fail "python3 not found (Debian: apt-get install python3 python3-venv)"
if [ ! -x "$venv/bin/st" ] || ! "$venv/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
    say "installing schemathesis $ST_VERSION (PyPI) into $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv" ||
        fail "cannot make a Python virtualenv (Debian: apt-get install python3-venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "schemathesis==$ST_VERSION" "hypothesis==$HYPOTHESIS_VERSION"
fi

say "building libres"
cargo build --quiet -p libres
bin=target/debug/libres
work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

say "a demo registry of 300 persons"
"$bin" seed-demo --db "sqlite:$work/api.db" --persons 300 >"$work/seed.log" 2>&1 ||
    { cat "$work/seed.log" >&2; fail "seed-demo failed"; }
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "sqlite:$work/api.db" --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
    if "$python" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; fail "the server stopped"; }
    sleep 0.5
done

say "schemathesis on http://127.0.0.1:$port/api/openapi.json ($EXAMPLES examples per operation)"
# derandomize: the same requests on every run, so a failure reproduces.
"$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" \
    --experimental=openapi-3.1 \
    --checks all \
    --hypothesis-max-examples "$EXAMPLES" \
    --hypothesis-derandomize \
    --no-color
