# The hub image: JupyterHub with the course (formgrader, exchange, leaderboard) and the grading
# worker. It installs the same pinned requirements as local mode (requirements.lock) and holds the
# course's source/ and grader_tests/, so it is never given to students (see docker/student.Dockerfile).
#
# BASE_IMAGE: python:3.11-slim-bookworm, or any Debian bookworm image with python3 and its venv
# module (deploy/podman/base-images.sh builds one from Debian's packages where no registry is reachable).
# PIP_INDEX_URL (build argument) and the build secret `pip_cert` (a CA bundle) choose the package
# index; unset, pip uses PyPI. The first steps are the same as the student image's, so one build
# caches the dependencies for the other.
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}
ARG PIP_INDEX_URL=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
WORKDIR /srv/course
COPY requirements.lock pyproject.toml ./
RUN --mount=type=secret,id=pip_cert --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi; \
    python3 -m venv /opt/venv \
 && python -m pip install "pip==26.3" \
 && python -m pip install -c requirements.lock -r requirements.lock
# bubblewrap (+ util-linux's setpriv/prlimit) for the grading sandbox; git for nbgrader's checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap util-linux git \
 && rm -rf /var/lib/apt/lists/*
COPY course_lib ./course_lib
COPY mlphys ./mlphys
RUN --mount=type=secret,id=pip_cert --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi; \
    python -m pip install --no-deps -c requirements.lock -e .
COPY nbgrader_config.py jupyterhub_config.py ./
COPY source ./source
COPY release ./release
COPY grader_tests ./grader_tests
COPY policies ./policies
RUN chmod -R go-rwx source grader_tests
ENV COURSE_HUB_MODE=docker COURSE_ROOT=/srv/course COURSE_HUB_STATE=/srv/state
EXPOSE 8000
CMD ["jupyterhub", "-f", "/srv/course/jupyterhub_config.py"]
