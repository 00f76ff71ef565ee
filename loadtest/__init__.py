"""Load test of the Descent Lab app: N sessions on the Playground, each moving a slider every few
seconds, driven by headless chromium (``loadtest.browser``) or by Streamlit's own WebSocket
protocol (``loadtest.protocol``); per-rerun latency, failures, server memory and CPU
(``loadtest.procstat``), JSON and a plot in loadtest/results/. Loopback only, bounded in count
and time. ``python -m loadtest --help``; loadtest/README.md says what each number means."""
