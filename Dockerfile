# Descent Lab: the Streamlit app on port 8501.
#   docker build -t descent-lab . && docker run --rm -p 8501:8501 descent-lab
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NUMBA_CACHE_DIR=/home/app/numba-cache

# fonts-noto-cjk: the Chinese UI (and any server-rendered text) needs a CJK font
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=app:app .streamlit/ .streamlit/
COPY --chown=app:app surfaces/ surfaces/
COPY --chown=app:app optim_core/ optim_core/
COPY --chown=app:app lab/ lab/
COPY --chown=app:app viz/ viz/
COPY --chown=app:app ui/ ui/
COPY --chown=app:app app_pages/ app_pages/
COPY --chown=app:app app.py ./

USER app
# compile every engine kernel now, into NUMBA_CACHE_DIR (writable by the app user), so the first
# page load does not wait for Numba
RUN mkdir -p "$NUMBA_CACHE_DIR" && python -m lab.warmup

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
