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


def test_pages_are_short_scripts_on_the_frame():
    """Each page opens with ui.page.start (which publishes its configuration to the URL), reads no
    raw session state, and stays a short script; every ui/ module stays about one thing."""
    for path in sorted((ROOT / "app_pages").glob("*.py")):
        src = path.read_text()
        assert "page.start(" in src, path.name
        assert "session_state" not in src and "query_params" not in src, path.name
        assert len(src.splitlines()) <= 60, path.name
    for path in sorted((ROOT / "ui").glob("*.py")):
        if not path.name.startswith("strings_"):
            assert len(path.read_text().splitlines()) <= 200, path.name


def test_every_page_has_a_table_and_an_apptest_file():
    import ast
    from ui.binding import SCHEMAS
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", "") == "PAGES")
    for pid, (script, _icon) in pages.items():
        assert (ROOT / script).exists() and pid in SCHEMAS, pid
        assert (ROOT / "tests" / f"test_app_{pid}.py").exists(), pid
