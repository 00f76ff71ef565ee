# Descent Lab: the Streamlit app on port 8501.
#   docker build -t descent-lab . && docker run --rm -p 8501:8501 descent-lab
# Hardened (README "Running for a class"): the image runs with a read-only root and one tmpfs,
#   docker run --rm -p 8501:8501 --read-only --tmpfs /tmp:rw,nosuid,nodev,size=256m \
#     --cap-drop ALL --security-opt no-new-privileges descent-lab
FROM python:3.11-slim

# HOME and TMPDIR on /tmp: the one writable path at run time (Streamlit and matplotlib write
# their small state files under HOME). The engine's cache is compiled at build into a root-owned
# path the app only reads; ReadOnlyCacheLocator lets Numba load from it without write access.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    MPLCONFIGDIR=/tmp/matplotlib \
    NUMBA_CACHE_DIR=/opt/descent-lab/numba-cache \
    NUMBA_CACHE_LOCATOR_CLASSES=surfaces.readonly_cache.ReadOnlyCacheLocator

# fonts-noto-cjk: the Chinese UI (and any server-rendered text) needs a CJK font
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --no-create-home --home-dir /tmp --uid 10001 app
WORKDIR /app

# ldconfig: pip puts tbb's libtbb.so.12 in /usr/local/lib, which the loader finds only once
# its cache lists it; without it Numba's thread-safe "tbb" layer cannot load
COPY requirements.txt ./
RUN pip install -r requirements.txt \
 && ldconfig \
 && python -c "import numba.np.ufunc.tbbpool"

# owned by root: the app user can read its code, never change it
COPY .streamlit/ .streamlit/
COPY surfaces/ surfaces/
COPY optim_core/ optim_core/
COPY lab/ lab/
COPY viz/ viz/
COPY ui/ ui/
COPY app_pages/ app_pages/
COPY app.py ./

# compile every engine kernel now, so no page load waits for Numba and nothing is written at run
# time; bytecode too, since the read-only /app cannot take it later
RUN mkdir -p "$NUMBA_CACHE_DIR" \
 && python -m lab.warmup \
 && python -m compileall -q /app \
 && chmod -R a+rX "$NUMBA_CACHE_DIR" /app

USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
