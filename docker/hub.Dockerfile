# The hub image: JupyterHub with the course (formgrader, exchange, leaderboard slot) and the grading
# worker. It installs the same pinned requirements as local mode (requirements.lock) and holds the
# course's source/ and grader_tests/, so it is never given to students (see docker/student.Dockerfile).
FROM python:3.11-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
# bubblewrap (+ util-linux's setpriv/prlimit) for the grading sandbox; git for nbgrader's checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap util-linux git \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/course
COPY requirements.lock pyproject.toml ./
COPY course_lib ./course_lib
RUN python -m pip install "pip==26.3" \
 && python -m pip install -c requirements.lock -e .
COPY nbgrader_config.py jupyterhub_config.py ./
COPY source ./source
COPY release ./release
COPY grader_tests ./grader_tests
COPY policies ./policies
RUN chmod -R go-rwx source grader_tests
ENV COURSE_HUB_MODE=docker COURSE_ROOT=/srv/course COURSE_HUB_STATE=/srv/state
EXPOSE 8000
CMD ["jupyterhub", "-f", "/srv/course/jupyterhub_config.py"]
