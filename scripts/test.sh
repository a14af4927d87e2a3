#!/usr/bin/env bash
# Runs every Libres test on this machine, installing and starting what the
# tests need first. On Debian, as root, it installs what is missing:
#   - a C compiler (gcc): the embedded SQLite is built from source;
#   - chromium and chromium-driver, for the real-browser page tests;
#   - python3-aiosmtpd, the SMTP server the statement mail tests send to;
#   - npm, to fetch axe-core (pinned) for the accessibility test, and
#     python3-venv, for schemathesis (pinned, PyPI), which holds the API to
#     its OpenAPI document (scripts/api-check.sh, after the Rust tests);
#   - PostgreSQL and its client psql, for the PostgreSQL half of the store
#     conformance suite and the web smoke tests.
# It starts a stopped local PostgreSQL, then logs in at
# LIBRES_TEST_POSTGRES_URL before building anything: a server that refuses
# the login is an error with instructions, not a surprise after the build.
# Without root it installs nothing and says what is missing.
# Usage: bash scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "== $*"; }
# fail LINE...: the first line after the script's name, the others as given.
fail() {
    echo "scripts/test.sh: $1" >&2
    shift
    if [ $# -gt 0 ]; then printf '%s\n' "$@" >&2; fi
    exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_updated=
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "the tests need $*, which this script installs only on Debian (apt-get); install them yourself"
    fi
    if ! is_root; then
        fail "'apt-get install $*' needs root; run it yourself or re-run this script with sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # apt-get prints a line per stage (Get, Unpacking, Setting up) when its
    # output is not a terminal: that is the progress a long install shows.
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        apt-get update
        apt_updated=1
    fi
    say "apt-get install $* (a few minutes on a fresh machine)"
    apt-get install -y --no-install-recommends "$@"
}

command -v cargo >/dev/null 2>&1 ||
    fail "cargo not found: install Rust 1.88 or newer (https://rustup.rs)"

if ! command -v cc >/dev/null 2>&1; then
    say "installing a C compiler (gcc), which builds the embedded SQLite"
    apt_install gcc libc6-dev
fi

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    say "installing chromium and chromium-driver (Debian packages) for the browser tests"
    apt_install chromium chromium-driver
fi

# A real SMTP server for the statement tests: Debian's aiosmtpd, run with
# the system's Python (/usr/bin/python3), whatever python3 is first on PATH.
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    say "installing python3-aiosmtpd (Debian package): the SMTP server the mail tests send to"
    apt_install python3 python3-aiosmtpd
fi

# --- PostgreSQL --------------------------------------------------------------
# The PostgreSQL half of the suite always runs here: the URL is always set,
# and a server that cannot be reached is an error, not a skip. (A plain
# `cargo test` without the variable skips those tests, saying so loudly.)
export LIBRES_TEST_POSTGRES_URL="${LIBRES_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
url=$LIBRES_TEST_POSTGRES_URL
# The URL as messages show it: never the password.
shown=$(printf '%s' "$url" | sed -E 's#^([a-z]+://[^:/@]*):[^@]*@#\1:***@#')
authority=$(printf '%s' "$url" | sed -E 's#^[a-z]+://([^@/]*@)?([^/?]*).*$#\2#')
case $authority in
    \[*\]:*) host=${authority%:*} port=${authority##*:} ;;
    \[*\]) host=$authority port=5432 ;;
    *:*) host=${authority%:*} port=${authority##*:} ;;
    *) host=$authority port=5432 ;;
esac
host=${host#[}
host=${host%]}
host=${host:-localhost}

# Whether something accepts TCP connections there (bash's /dev/tcp; the
# timeout keeps an unroutable host from hanging the script).
# shellcheck disable=SC2016 # $0 and $1 expand in the inner bash.
answers() { timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null; }

# Debian's clusters on the URL's port, as "version name status" lines.
clusters() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters -h 2>/dev/null | while read -r ver name cport status _; do
        if [ "$cport" = "$port" ]; then echo "$ver $name $status"; fi
    done
}

case $host in
    127.0.0.1 | localhost | ::1) local_server=1 ;;
    *) local_server= ;;
esac

if [ -n "$local_server" ] && ! answers; then
    installed_now='' started=''
    if ! command -v pg_lsclusters >/dev/null 2>&1; then
        say "installing PostgreSQL (Debian package postgresql) for the PostgreSQL tests"
        apt_install postgresql
        installed_now=1
    fi
    while read -r ver name status; do
        if [ -n "$installed_now" ]; then
            # A server installed just now, for the tests: let local TCP
            # connections in without a password, as the default URL (and
            # CI) expects. A server that was already here is left as it is.
            hba=/etc/postgresql/$ver/$name/pg_hba.conf
            say "PostgreSQL $ver/$name was installed for the tests: trusting local TCP connections (127.0.0.1, ::1) in $hba"
            {
                echo "# Added by Libres scripts/test.sh, which installed this server for its tests."
                echo "host all all 127.0.0.1/32 trust"
                echo "host all all ::1/128 trust"
                cat "$hba"
            } >"$hba.libres" && cat "$hba.libres" >"$hba" && rm "$hba.libres"
        fi
        case $status in
            down*)
                is_root || fail "PostgreSQL $ver/$name is stopped; start it (sudo pg_ctlcluster $ver $name start) or re-run this script with sudo"
                say "starting PostgreSQL $ver/$name"
                pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
                started=1
                ;;
            *) if [ -n "$installed_now" ]; then pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload; fi ;;
        esac
    done < <(clusters)
    if [ -n "$started$installed_now" ]; then
        for _ in $(seq 1 30); do answers && break; sleep 1; done
    fi
fi

if ! answers; then
    fail "nothing answers at $host:$port, where LIBRES_TEST_POSTGRES_URL ($shown) points." \
        "  Start PostgreSQL there (Debian: apt-get install postgresql), or point the variable at a server:" \
        "  LIBRES_TEST_POSTGRES_URL=postgres://USER:PASSWORD@HOST:5432/postgres bash scripts/test.sh"
fi

if ! command -v psql >/dev/null 2>&1 && is_root; then
    say "installing psql (Debian package postgresql-client) to check the PostgreSQL login"
    apt_install postgresql-client
fi
if command -v psql >/dev/null 2>&1; then
    # A real login, as the tests will make it: pg_isready only says that a
    # server answers, not that it lets this user in. `-w`: never prompt.
    may="select rolsuper or (rolcreatedb and rolcreaterole) from pg_roles where rolname = current_user"
    how=("  If the server asks for a password (a stock install does), put it in the URL:"
        "    LIBRES_TEST_POSTGRES_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres bash scripts/test.sh"
        "  USER may be the superuser postgres (set its password: sudo -u postgres psql -c '\\password postgres')"
        "  or a user made for the tests: sudo -u postgres createuser --createdb --createrole --pwprompt libres_test"
        "  (README.md, \"Test it\").")
    if ! answer=$(PGCONNECT_TIMEOUT=10 psql -X -w -q -A -t -d "$url" -c "$may" 2>&1); then
        fail "cannot log in to PostgreSQL at $shown (LIBRES_TEST_POSTGRES_URL):" \
            "$(printf '%s\n' "$answer" | sed 's/^/    /')" \
            "  The tests need a user that can log in and may create databases and roles." "${how[@]}"
    fi
    if [ "$answer" != t ]; then
        fail "the user of $shown (LIBRES_TEST_POSTGRES_URL) may not create databases and roles, which the tests do." \
            "${how[@]}"
    fi
else
    echo "scripts/test.sh: psql not found, so the PostgreSQL login is not checked before the tests" \
        "(Debian: apt-get install postgresql-client)" >&2
fi

export LIBRES_CHROMEDRIVER="${LIBRES_CHROMEDRIVER:-$(command -v chromedriver)}"
export LIBRES_CHROMIUM="${LIBRES_CHROMIUM:-$(command -v chromium)}"

# axe-core (npm, pinned) for the accessibility check in the browser tests.
AXE_VERSION=4.14.1
axe_dir=target/tools/axe
export LIBRES_AXE="${LIBRES_AXE:-$PWD/$axe_dir/node_modules/axe-core/axe.min.js}"
if [ ! -f "$LIBRES_AXE" ] || ! grep -q "axe v$AXE_VERSION" "$LIBRES_AXE"; then
    if ! command -v npm >/dev/null 2>&1; then
        say "installing npm (Debian package) to fetch axe-core for the accessibility test"
        apt_install npm
    fi
    say "installing axe-core $AXE_VERSION (npm) into $axe_dir"
    mkdir -p "$axe_dir"
    npm install --prefix "$axe_dir" --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION"
fi

# The API tester's virtualenv needs Python's venv module.
if ! /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    say "installing python3-venv (Debian package) for the API tester"
    apt_install python3-venv
fi

cargo test --workspace --all-features "$@"

# The read API against its OpenAPI document.
bash scripts/api-check.sh
