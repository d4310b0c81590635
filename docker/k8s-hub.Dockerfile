# The hub image for Kubernetes (deploy/z2jh-values.yaml, hub.image) and for its grader pod
# (deploy/k8s/grader.yaml): the Zero to JupyterHub chart's own hub image of the pinned chart version
# (4.4.0: JupyterHub 5.5.0, KubeSpawner 7.0.0), with the course installed over it from the same
# pinned requirements as local mode. That moves JupyterHub to requirements.lock's 6.1.1, so the values
# set hub.db.upgrade (the chart starts the hub with --upgrade-db; JupyterHub's upgrade guide).
# The chart mounts its jupyterhub_config.py, which runs /srv/course/jupyterhub_config.py (hub.extraConfig).
# BASE_IMAGE, PIP_INDEX_URL and the `pip_cert` secret: as in docker/hub.Dockerfile.
ARG BASE_IMAGE=quay.io/jupyterhub/k8s-hub:4.4.0
FROM ${BASE_IMAGE}
ARG PIP_INDEX_URL=
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap util-linux git \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/course
COPY requirements.lock pyproject.toml ./
COPY course_lib ./course_lib
COPY mlphys ./mlphys
RUN --mount=type=secret,id=pip_cert --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi; \
    python -m pip install "pip==26.3" \
 && python -m pip install -c requirements.lock -e .
COPY nbgrader_config.py jupyterhub_config.py ./
COPY source ./source
COPY release ./release
COPY grader_tests ./grader_tests
COPY policies ./policies
# The course's data lives on the volume mounted at /srv/data (deploy/k8s/course-data-pvc.yaml).
RUN for d in submitted autograded feedback .secrets; do ln -s /srv/data/$d /srv/course/$d; done \
 && chown -R 1000:1000 source grader_tests \
 && chmod -R go-rwx source grader_tests
ENV COURSE_HUB_MODE=kubernetes COURSE_ROOT=/srv/course COURSE_DATA_DIR=/srv/data COURSE_HUB_STATE=/srv/data/state \
    COURSE_GRADEBOOK_URL=sqlite:////srv/data/gradebook/gradebook.db?timeout=60
USER 1000
