#!/usr/bin/env bash
# Runs every Libres test on this machine, installing and starting what the
# tests need first:
#   - Debian's chromium and chromium-driver, for the real-browser page tests;
#   - PostgreSQL at 127.0.0.1:5432 (started if it is installed but stopped),
#     for the PostgreSQL half of the store conformance suite.
# Usage: bash scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/test.sh: '$*' needs root; run it yourself or re-run this script with sudo" >&2
        exit 1
    fi
}

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium and chromium-driver (Debian packages) for the browser tests"
    need_root apt-get install chromium chromium-driver
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# The PostgreSQL half of the suite always runs here: the URL is always set,
# and a server that cannot be reached is an error, not a skip. (A plain
# `cargo test` without the variable skips those tests, saying so loudly.)
export LIBRES_TEST_POSTGRES_URL="${LIBRES_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "== starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -d "$LIBRES_TEST_POSTGRES_URL"; then
    echo "scripts/test.sh: PostgreSQL at $LIBRES_TEST_POSTGRES_URL is not reachable;" >&2
    echo "  start it, or point LIBRES_TEST_POSTGRES_URL at a server where the user may create databases" >&2
    exit 1
fi

export LIBRES_CHROMEDRIVER="${LIBRES_CHROMEDRIVER:-$(command -v chromedriver)}"
export LIBRES_CHROMIUM="${LIBRES_CHROMIUM:-$(command -v chromium)}"

cargo test --workspace --all-features "$@"
