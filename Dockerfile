# OpenCase API image: the wheel built from this checkout, served by uvicorn.
# The graph lives in Neo4j (OPENCASE_STORE=bolt://...), so the image holds no data.

# 1. The browser assets (GraphiQL, the explorer's libraries) come from the npm
#    registry, fetched by the same setup steps a developer runs.
FROM node:22-slim AS web-assets
WORKDIR /src
COPY scripts ./scripts
COPY api ./api
RUN for step in scripts/setup.d/*-assets.sh; do bash "$step"; done

# 2. The wheel, with those assets and the demo data inside it (see pyproject.toml).
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY opencase ./opencase
COPY ontology ./ontology
COPY graph ./graph
COPY queries ./queries
COPY api ./api
COPY loaders ./loaders
COPY export ./export
COPY --from=web-assets /src/api ./api
RUN pip wheel --no-cache-dir --no-deps -w /dist .

# 3. The runtime: the wheel installed, nothing else from the checkout.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=wheel /dist /dist
RUN pip install /dist/*.whl && rm -rf /dist \
    && useradd --create-home --uid 10001 opencase
USER opencase
WORKDIR /home/opencase

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"

CMD ["opencase", "serve", "--host", "0.0.0.0", "--port", "8000"]
