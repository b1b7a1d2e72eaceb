# The app server image for a shared installation (see compose.yaml and README "Production").
FROM python:3.11-slim
WORKDIR /app
# Pango: WeasyPrint lays out the briefing's tagged PDF with it (its fonts come from reportlab: no font package needed)
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*
COPY . /app
# the pinned versions of requirements.lock (with their hashes), then the project itself without dependencies
RUN pip install --no-cache-dir --require-hashes -r requirements.lock && pip install --no-cache-dir --no-deps . \
    && useradd --create-home kk && chown -R kk /app
USER kk
EXPOSE 8501
# every server of the installation runs the same command (streamlit run app.py, warmed before its first visitor: it
# prints READY when every public page has been opened once); the schema is upgraded by the "migrate" service first
CMD ["python", "-m", "components.server", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
