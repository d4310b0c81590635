#!/usr/bin/env bash
# Local stand-ins for the two base images of docker-compose.yml, for machines that reach Debian's
# package mirror but no image registry: a Debian bookworm root file system from debootstrap, imported
# into podman. Real deployments pull python:3.11-slim-bookworm and postgres:16 instead.
#
#   deploy/podman/base-images.sh [MIRROR]      # as root; MIRROR: this machine's Debian mirror
#
# localhost/mlphys-python:bookworm    Debian's python3 (3.11, as in python:3.11-slim-bookworm) + venv
# localhost/mlphys-postgres:bookworm  Debian's PostgreSQL 15 with deploy/podman/postgres-entrypoint.sh,
#                                     which honours postgres:16's POSTGRES_* and initdb.d conventions
# An image that exists already is kept (remove it with `podman rmi` to rebuild).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mirror="${1:-$(sed -n 's/^URIs: *//p; s/^deb \(\[[^]]*\] \)\?\(http[^ ]*debian\/\?\) bookworm .*/\2/p' \
          /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 || true)}"
mirror="${mirror:-http://deb.debian.org/debian}"
work="${MLPHYS_ROOTFS_DIR:-/var/tmp/mlphys-rootfs}"
mkdir -p "$work"

rootfs() {  # rootfs NAME PACKAGES...: a minbase bookworm with PACKAGES, cleaned, in $work/NAME
    local dir="$work/$1"; shift
    rm -rf "$dir"
    debootstrap --variant=minbase --include="$(IFS=,; echo "$*")" bookworm "$dir" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
}

if ! podman image exists localhost/mlphys-python:bookworm; then
    rootfs python python3 python3-venv ca-certificates
    tar -C "$work/python" -c . | podman import --change 'CMD ["python3"]' - localhost/mlphys-python:bookworm
fi
if ! podman image exists localhost/mlphys-postgres:bookworm; then
    rootfs postgres postgresql-15 ca-certificates
    install -m 0755 "$here/postgres-entrypoint.sh" "$work/postgres/usr/local/bin/docker-entrypoint.sh"
    tar -C "$work/postgres" -c . | podman import \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV PGDATA=/var/lib/postgresql/data' \
        --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
        --change 'STOPSIGNAL SIGINT' \
        - localhost/mlphys-postgres:bookworm
fi
rm -rf "$work/python" "$work/postgres"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep mlphys- || true
