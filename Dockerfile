# The map page in a container (README, "Deploying"):
#   podman build --format docker -t corridors . && podman run -p 8501:8501 corridors
# (docker build / docker run take the same arguments). tests/container/ builds and runs it.
FROM python:3.11-slim

# The port is set here and only here: Streamlit reads STREAMLIT_SERVER_PORT, and so do EXPOSE
# and the health check. `-e STREAMLIT_SERVER_PORT=…` at run time moves all three.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_HEADLESS=true

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code belongs to root, so the page cannot change it; the app user owns only static/, where
# Leaflet and the map's files are published (at build time here, and again at start if the data
# file for the day differs), and var/, where readers' articles are stored when no database is
# configured (mount a volume there to keep them; compose uses PostgreSQL instead).
COPY . .
RUN mkdir -p static var && chown app:app static var
USER app
RUN python scripts/install_assets.py

EXPOSE ${STREAMLIT_SERVER_PORT}
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen(f\"http://127.0.0.1:{os.environ['STREAMLIT_SERVER_PORT']}/_stcore/health\", timeout=4)"]
CMD ["streamlit", "run", "app.py"]
