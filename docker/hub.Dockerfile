# The hub image: the same pinned requirements as local mode.
FROM python:3.11-slim
WORKDIR /srv/course
COPY requirements.lock pyproject.toml ./
COPY course_lib ./course_lib
RUN pip install --no-cache-dir -c requirements.lock -e .
COPY . .
CMD ["jupyterhub", "-f", "/srv/course/jupyterhub_config.py"]
