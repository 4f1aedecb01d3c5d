#!/bin/sh
# A throwaway PostgreSQL cluster for the test suite (team mode, issue 10).
#
#   sh tools/postgres.sh start DIR [--no-install]   prints the SQLAlchemy URL on stdout
#   sh tools/postgres.sh stop DIR
#
# `start` uses the system's PostgreSQL server programs (initdb, pg_ctl); when they are
# missing and we are root it installs Debian's `postgresql` package first. The cluster
# lives in DIR, listens on a free port on 127.0.0.1 only (and a socket in DIR), trusts
# local connections (it only ever holds test data) and runs as a non-root user, because
# the server refuses to run as root. Messages go to stderr; exit 1 when no server can be
# had, with the reason on stderr, so the caller can let the PostgreSQL tests skip.
set -eu

say() { echo "postgres.sh: $*" >&2; }

find_bin_dir() {
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    # Debian keeps the server programs out of PATH, one folder per major version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

install_server() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"
        return 1
    fi
    say "installing PostgreSQL from the system's packages"
    export DEBIAN_FRONTEND=noninteractive
    # Never let the package start its own cluster on the standard port.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        remove_policy=1
    fi
    ok=0
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; } || ok=1
    [ "${remove_policy:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d
    return $ok
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Run a command as the cluster's owner: ourselves when not root, else a system user.
as_owner() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$OWNER" -- "$@"
    else
        su "$OWNER" -s /bin/sh -c "$(printf '%s ' "$@")"
    fi
}

pick_owner() {
    OWNER=$(id -un)
    [ "$(id -u)" = 0 ] || return 0
    if id postgres >/dev/null 2>&1; then
        OWNER=postgres
    else
        OWNER=kol_desk_pg
        id "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
    fi
}

start() {
    dir=$1
    install=${2:-}
    bin=$(find_bin_dir) || {
        if [ "$install" = "--no-install" ]; then
            say "PostgreSQL server programs (initdb, pg_ctl) not found"
            exit 1
        fi
        install_server || exit 1
        bin=$(find_bin_dir) || { say "PostgreSQL was installed but pg_ctl/initdb are not found"; exit 1; }
    }
    pick_owner
    mkdir -p "$dir"
    # The cluster gets its own folder that its owner can reach even when DIR sits inside
    # folders private to root (pytest's temp folders); DIR only remembers where it is.
    cluster=$(mktemp -d "${TMPDIR:-/tmp}/kol-desk-pg.XXXXXX")
    echo "$cluster" >"$dir/cluster"
    chmod 700 "$cluster"
    [ "$(id -u)" = 0 ] && chown "$OWNER" "$cluster"
    as_owner "$bin/initdb" -D "$cluster/data" -U kol -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { as_owner rm -rf "$cluster/data"; as_owner "$bin/initdb" -D "$cluster/data" -U kol -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; } \
        || { say "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
    # A port can be taken between choosing and binding it: try a few.
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >&2; then
            echo "$port" >"$dir/port"
            echo "$bin" >"$dir/bin"
            echo "postgresql+psycopg://kol@127.0.0.1:$port/postgres"
            return 0
        fi
    done
    say "the server did not start:"
    cat "$cluster/server.log" >&2 || true
    exit 1
}

stop() {
    dir=$1
    if [ -f "$dir/cluster" ]; then
        cluster=$(cat "$dir/cluster")
        if [ -f "$dir/bin" ] && [ -d "$cluster/data" ]; then
            bin=$(cat "$dir/bin")
            pick_owner
            as_owner "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$cluster"
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) [ $# -ge 2 ] || { say "usage: postgres.sh start DIR [--no-install]"; exit 2; }; start "$2" "${3:-}" ;;
    stop) [ $# -ge 2 ] || { say "usage: postgres.sh stop DIR"; exit 2; }; stop "$2" ;;
    *) say "usage: postgres.sh start DIR [--no-install] | stop DIR"; exit 2 ;;
esac
