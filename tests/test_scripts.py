"""The run script: scripts/app.sh brings the index up to date in the terminal before Streamlit starts, on any port."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from cityqa.settings import PROJECT_ROOT

STUB = '#!/usr/bin/env bash\necho "$(basename "$0") $*" >> "$CALLS"\n'


@pytest.fixture
def app_sh(tmp_path):
    """Run a copy of scripts/app.sh over a .venv whose python, cityqa and streamlit only record their arguments."""
    (tmp_path / "scripts").mkdir()
    for name in ("app.sh", "setup.sh"):
        shutil.copy(PROJECT_ROOT / "scripts" / name, tmp_path / "scripts" / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "cityqa", "streamlit"):
        (bin_dir / name).write_text(STUB, encoding="utf-8")
        (bin_dir / name).chmod(stat.S_IRWXU)
    calls = tmp_path / "calls.txt"

    def run(*args: str, **env: str) -> list[str]:
        calls.unlink(missing_ok=True)
        done = subprocess.run(["bash", str(tmp_path / "scripts" / "app.sh"), *args], capture_output=True, text=True,
                              env={**os.environ, "CALLS": str(calls), **env}, timeout=60)
        assert done.returncode == 0, done.stderr
        return [line for line in calls.read_text(encoding="utf-8").splitlines() if not line.startswith("python")]
    return run


def test_app_sh_builds_the_index_before_streamlit_starts_and_passes_a_port(app_sh):
    ingest, serve = app_sh("--server.port", "8600")
    assert ingest == "cityqa ingest"  # the progress bar is drawn here, before the first page load
    assert serve.startswith("streamlit run app.py") and serve.endswith("--server.port 8600")
    assert app_sh(PORT="8601")[1].endswith("--server.port 8601")


def test_the_readme_set_up_block_is_exactly_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up: two commands", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]
    assert commands == ["bash scripts/app.sh", "bash scripts/test.sh"], block
    assert all((PROJECT_ROOT / c.split()[1]).exists() for c in commands)
