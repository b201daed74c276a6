"""Shared set-up: a throw-away AIRFLOW_HOME, the real `bin/stepwise` and the real `airflow` CLI.

Airflow reads its configuration when it is first imported, so the environment is set here, before
any test module imports Airflow.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAG_FOLDER = REPO / "airflow-dags"
COMMITTED_MANIFESTS = DAG_FOLDER / "manifests"
STEPWISE = REPO / "bin" / "stepwise"
# The example pipeline as a user's: its config and its step jar, as the committed manifest names them
# (relative to the repository, where spark-submit runs in these tests).
EXAMPLE_CONFIG = "conf/payments.conf"
EXAMPLE_JAR = "steps/target/stepwise-payments-example.jar"
AIRFLOW = Path(sys.executable).parent / "airflow"

_HOME = Path(tempfile.mkdtemp(prefix="stepwise-airflow-home-"))
atexit.register(shutil.rmtree, _HOME, True)
os.environ["AIRFLOW_HOME"] = str(_HOME)
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAG_FOLDER)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
# The DAG file must not depend on who runs the tests.
for name in ("STEPWISE_MANIFEST_DIR", "STEPWISE_JAR", "STEPWISE_SPARK_CONN_ID", "STEPWISE_START_DATE",
             "STEPWISE_CONFIG", "STEPWISE_JARS",
             "AIRFLOW_VAR_STEPWISE_JAR"):
    os.environ.pop(name, None)


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, with_stderr: bool = False,
        timeout: float | None = None) -> str:
    """Runs a command, returns its stdout (and stderr); on failure the assertion shows what it printed."""
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                            timeout=timeout)
    if with_stderr and result.returncode == 0:
        return result.stdout + result.stderr
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}\n--- stdout:\n{result.stdout[-20000:]}"
        f"\n--- stderr:\n{result.stderr[-6000:]}")
    return result.stdout


def stepwise(*args: str, env: dict[str, str] | None = None) -> str:
    return run([str(STEPWISE), *args], env=env)


def airflow(*args: str, env: dict[str, str] | None = None, with_stderr: bool = False,
            timeout: float | None = None) -> str:
    return run([str(AIRFLOW), *args], env=env, with_stderr=with_stderr, timeout=timeout)


def record_timing(line: str) -> None:
    """Measurements for bin/checks/airflow to print (pytest keeps a passing test's output to itself)."""
    target = os.environ.get("STEPWISE_TIMINGS_FILE")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(line + "\n")


@pytest.fixture(scope="session")
def manifest_text():
    """`stepwise manifest` output per (grouping, config, extra arguments), computed once: each call starts a JVM.
    The config and jar default to the example's, as the committed manifest names them."""
    cache: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def manifest(grouping: str, config: Path | str = EXAMPLE_CONFIG, *extra: str) -> str:
        key = (grouping, str(config), extra)
        if key not in cache:
            cache[key] = stepwise("manifest", "--grouping", grouping, "--config", str(config), "--jars", EXAMPLE_JAR,
                                  *extra)
        return cache[key]

    return manifest


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated SQLite metadata database: what `airflow tasks render` and `airflow dags test` need."""
    airflow("db", "migrate")
    return _HOME


def committed_manifests() -> list[Path]:
    return sorted(COMMITTED_MANIFESTS.glob("*.json"))


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
