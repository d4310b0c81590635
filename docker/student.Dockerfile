# The student image: what every user's server runs in (DockerSpawner, one container per user).
# The same pinned requirements as local mode, and course_lib only: no source/, no grader_tests/,
# no gradebook. The exchange is reached over HTTP with the user's hub token, so nothing of another
# student is in the container even though every container runs as uid 1000.
FROM python:3.11-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 1000 --shell /bin/bash jovyan
WORKDIR /srv/course
COPY requirements.lock pyproject.toml ./
COPY course_lib ./course_lib
RUN python -m pip install "pip==26.3" \
 && python -m pip install -c requirements.lock -e .
ENV COURSE_STUDENT_CONFIG_DIR=/srv/course/course_lib/hub/jupyter_config
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
CMD ["jupyterhub-singleuser"]
