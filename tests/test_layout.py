"""The app's file layout keeps Streamlit in its st.navigation mode."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_pages_folder_beside_app_py():
    # Streamlit 1.67 treats a pages/ folder beside the main script as its legacy multipage app until
    # st.navigation has run once in the server process: a first visit by deep link would skip the
    # router (no language switch, no URL sync), and AppTest would skip it on every run after the first.
    assert not (ROOT / "pages").exists(), "page scripts go in app_pages/, never pages/"
    assert (ROOT / "app_pages").is_dir()
    assert "st.navigation" in (ROOT / "app.py").read_text()
