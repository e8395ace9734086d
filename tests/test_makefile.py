"""The Makefile's debug default must never override a server's .env (demo accounts!)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def debug_mode(tmp_path, env_file=None, **env):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file)
    clean = {"PATH": "/usr/bin:/bin", **env}
    result = subprocess.run(
        ["make", "-s", "debug-mode"], cwd=tmp_path, env=clean, capture_output=True, text=True
    )
    return result.stdout.strip()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_developer_gets_debug_mode(tmp_path):
    assert debug_mode(tmp_path) == "DEBUG=true"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_server_env_file_saying_debug_false_is_obeyed(tmp_path):
    assert debug_mode(tmp_path, "SECRET_KEY=x\nDEBUG=false\n") == "DEBUG=unset (from .env)"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_commented_debug_line_does_not_count(tmp_path):
    assert debug_mode(tmp_path, "# DEBUG=false\n") == "DEBUG=true"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_environment_wins(tmp_path):
    assert debug_mode(tmp_path, DEBUG="false") == "DEBUG=false"
