#!/usr/bin/env bash
# Local stand-ins for the two base images of docker-compose.yml, for machines that reach Debian's
# package mirror but no image registry: a Debian bookworm root file system from debootstrap, imported
# into podman, and two images built on it with Debian's packages. Real deployments pull
# python:3.11-slim-bookworm and postgres:16 instead.
#
#   deploy/podman/base-images.sh [MIRROR]      # as root; MIRROR: this machine's Debian mirror
#
# localhost/mlphys-debian:bookworm    debootstrap --variant=minbase bookworm
# localhost/mlphys-python:bookworm    + Debian's python3 (3.11, as in python:3.11-slim-bookworm) and venv
# localhost/mlphys-postgres:bookworm  + Debian's PostgreSQL 15 with postgres-entrypoint.sh, which honours
#                                     the postgres image's POSTGRES_* and initdb.d conventions
# An image that exists already is kept (remove it with `podman rmi` to rebuild).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mirror="${1:-$(sed -n 's/^URIs: *//p; s/^deb \(\[[^]]*\] \)\?\(http[^ ]*debian\/\?\) bookworm .*/\2/p' \
          /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 || true)}"
mirror="${mirror:-http://deb.debian.org/debian}"

if ! podman image exists localhost/mlphys-debian:bookworm; then
    rootfs="$(mktemp -d /var/tmp/mlphys-rootfs.XXXXXX)"
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs.log"
    tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - localhost/mlphys-debian:bookworm
fi
for name in python postgres; do
    podman image exists "localhost/mlphys-$name:bookworm" \
        || podman build -q -f "$here/$name.Dockerfile" -t "localhost/mlphys-$name:bookworm" "$here"
done
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep mlphys- || true
