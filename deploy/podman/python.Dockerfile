# Stand-in for python:3.11-slim-bookworm (deploy/podman/base-images.sh): Debian's Python 3.11 and venv.
FROM localhost/mlphys-debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
