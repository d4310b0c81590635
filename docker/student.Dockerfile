# The student image: what every user's server runs in (DockerSpawner, one container per user).
# The same pinned requirements as local mode, and the course packages only (course_lib, mlphys): no source/, no grader_tests/,
# no gradebook. The exchange is reached over HTTP with the user's hub token, so nothing of another
# student is in the container even though every container runs as uid 1000.
# BASE_IMAGE, PIP_INDEX_URL and the `pip_cert` secret: as in docker/hub.Dockerfile, whose first
# steps these are, so the two images share the layer with the dependencies.
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
RUN useradd --create-home --uid 1000 --shell /bin/bash jovyan
COPY course_lib ./course_lib
COPY mlphys ./mlphys
RUN --mount=type=secret,id=pip_cert --mount=type=cache,target=/root/.cache/pip \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi; \
    python -m pip install --no-deps -c requirements.lock -e .
ENV COURSE_STUDENT_CONFIG_DIR=/srv/course/course_lib/hub/jupyter_config
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
CMD ["jupyterhub-singleuser"]
