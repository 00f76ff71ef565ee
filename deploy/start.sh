#!/usr/bin/env bash
# One command for a class: nginx on PORT (default 8080) in front of REPLICAS Streamlit servers
# (default 2, one per core); Ctrl-C stops them all. Further arguments go to deploy.cluster,
# e.g. `deploy/start.sh 3 8080 --listen 0.0.0.0` to serve the classroom's network.
set -euo pipefail
cd "$(dirname "$0")/.."
replicas="${1:-2}"
port="${2:-8080}"
shift $(( $# < 2 ? $# : 2 ))
exec python -m deploy.cluster --replicas "$replicas" --port "$port" "$@"
