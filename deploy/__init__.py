"""Running Descent Lab for a class: nginx in front of Streamlit replicas (``deploy.cluster``), its
config template, and a Kubernetes recipe (deploy/k8s/)."""
