""".streamlit/config.toml, hardened for serving a class: each setting the deployment relies on, and
every key one that Streamlit 1.67 knows (a misspelt key is ignored by Streamlit without a word)."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config

ROOT = Path(__file__).resolve().parents[1]
CFG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def flat(cfg: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in cfg.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_every_key_is_a_streamlit_option():
    known = set(st_config._config_options_template)
    unknown = sorted(set(flat(CFG)) - known)
    assert not unknown, f"not Streamlit options (misspelt or removed): {unknown}"


def test_each_value_is_one_streamlit_accepts():
    for key, value in flat(CFG).items():
        option = st_config._config_options_template[key]
        if option.type is bool:
            assert isinstance(value, bool), (key, value)
        elif option.type is int:
            assert isinstance(value, int) and not isinstance(value, bool), (key, value)
        # a choice's allowed strings are listed in its description as `- "value" : ...`
        if isinstance(value, str) and '- "' in (option.description or ""):
            assert f'- "{value}"' in option.description, (key, value)


@pytest.mark.parametrize("key, expected", [
    ("server.headless", True),
    ("server.runOnSave", False),
    ("server.fileWatcherType", "none"),
    ("browser.gatherUsageStats", False),
    ("client.toolbarMode", "minimal"),
    ("client.showErrorDetails", "none"),
    ("server.enableXsrfProtection", True),
    ("server.enableCORS", True),
    ("runner.postScriptGC", False),      # its collect after every run cost a class 2.7x the CPU per rerun
])
def test_hardened_setting(key, expected):
    assert flat(CFG)[key] == expected


def test_error_details_value_hides_tracebacks():
    # "none" is the one level that keeps the exception type, message and traceback off the page
    description = st_config._config_options_template["client.showErrorDetails"].description
    assert '"none"' in description and "generic" in description.split('"none"')[1].split('"')[0]


def test_upload_limit_is_small_and_the_same_in_nginx():
    from deploy.cluster import max_upload_mb
    assert 1 <= CFG["server"]["maxUploadSize"] <= 5
    assert max_upload_mb() == CFG["server"]["maxUploadSize"]


def test_message_limit_keeps_headroom_over_the_largest_message_measured():
    measured = json.loads((ROOT / "bench" / "results" / "message_size.json").read_text())
    largest_mb = measured["largest_bytes"] / 1e6
    limit = CFG["server"]["maxMessageSize"]
    assert limit < 200, "the default (200 MB) is not a limit"
    assert limit >= 3 * largest_mb, f"{limit} MB leaves too little headroom over {largest_mb:.1f} MB"


def test_disconnected_sessions_are_freed_soon():
    ttl = CFG["server"]["disconnectedSessionTTL"]
    default = st_config._config_options_template["server.disconnectedSessionTTL"].default_val
    # long enough for a WebSocket blip (a reconnect resumes the session), short for a class
    assert 30 <= ttl < default
