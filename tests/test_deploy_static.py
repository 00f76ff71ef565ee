"""deploy/ checked as text, with no nginx and no Kubernetes: the Kubernetes recipe (Deployment,
Service, Ingress with cookie affinity, probes on /_stcore/health, the cookie secret from a
Secret, non-root and a read-only root with /tmp writable), and the one-command wrapper."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
K8S = (ROOT / "deploy" / "k8s" / "descent-lab.yaml").read_text()
DOCS = [d for d in re.split(r"^---\s*$", K8S, flags=re.M) if re.search(r"^kind:", d, re.M)]


def doc(kind: str, name: str | None = None) -> str:
    found = [d for d in DOCS if re.search(rf"^kind: {kind}$", d, re.M)
             and (name is None or re.search(rf"^  name: {re.escape(name)}$", d, re.M))]
    assert len(found) == 1, f"{kind} {name or ''}: {len(found)} documents"
    return found[0]


def test_the_manifests_parse_when_pyyaml_is_there():
    try:
        import yaml
    except ImportError:       # not a dependency: the text checks below still run
        return
    kinds = [d["kind"] for d in yaml.safe_load_all(K8S) if d]
    assert sorted(kinds) == ["Deployment", "Ingress", "Service", "Service"]


def test_deployment_runs_the_image_non_root_on_a_read_only_root():
    dep = doc("Deployment")
    assert re.search(r"replicas: [2-9]", dep)
    assert "runAsNonRoot: true" in dep and "runAsUser: 10001" in dep
    assert "readOnlyRootFilesystem: true" in dep and "allowPrivilegeEscalation: false" in dep
    assert 'drop: ["ALL"]' in dep
    # the image's only writable path (HOME, TMPDIR: see the Dockerfile) is an emptyDir
    assert re.search(r"- name: tmp\n\s+mountPath: /tmp", dep)
    assert re.search(r"- name: tmp\n\s+emptyDir:", dep)
    assert "HOME=/tmp" in (ROOT / "Dockerfile").read_text()


def test_probes_on_health_and_the_cookie_secret_from_a_secret():
    dep = doc("Deployment")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        block = dep.split(probe + ":", 1)[1].split("Probe:", 1)[0]
        assert "path: /_stcore/health" in block, probe
    assert re.search(r"name: STREAMLIT_SERVER_COOKIE_SECRET\n\s+valueFrom:\n\s+secretKeyRef:", dep)
    assert "containerPort: 8501" in dep


def test_ingress_sticky_by_cookie_with_websocket_timeouts_and_metrics_closed():
    ing = doc("Ingress")
    assert 'nginx.ingress.kubernetes.io/affinity: "cookie"' in ing
    assert 'nginx.ingress.kubernetes.io/session-cookie-name: "dl_route"' in ing
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        seconds = int(re.search(rf'{timeout}: "(\d+)"', ing).group(1))
        assert seconds >= 300, "well above Streamlit's 30 s WebSocket ping"
    assert "ip-hash" not in ing and "upstream-hash-by" not in ing
    metrics = ing.split("path: /_stcore/metrics", 1)[1].split("- path:", 1)[0]
    closed = re.search(r"name: (\S+)", metrics).group(1)
    # the Service the metrics path goes to selects no pod of the app
    svc = doc("Service", closed)
    assert "app: descent-lab\n" not in svc
    app_svc = doc("Service", "descent-lab")
    assert "app: descent-lab" in app_svc and "targetPort: http" in app_svc


def test_start_script_execs_the_cluster():
    start = ROOT / "deploy" / "start.sh"
    assert start.stat().st_mode & 0o111, "deploy/start.sh must be executable"
    text = start.read_text()
    assert text.startswith("#!/usr/bin/env bash")
    assert re.search(r'exec python -m deploy\.cluster --replicas "\$replicas" --port "\$port"', text)
