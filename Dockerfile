# OpenCase API image: the package installed from this checkout, served by uvicorn.
# The graph lives in Neo4j (OPENCASE_STORE=bolt://...), so the image holds no data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (cached layer), then the sources.
COPY pyproject.toml setup.py README.md* ./
COPY opencase ./opencase
COPY ontology ./ontology
COPY graph ./graph
COPY queries ./queries
COPY api ./api
COPY loaders ./loaders
COPY export ./export
RUN pip install .

RUN useradd --create-home --uid 10001 opencase
USER opencase

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"

CMD ["opencase", "serve", "--host", "0.0.0.0", "--port", "8000"]
