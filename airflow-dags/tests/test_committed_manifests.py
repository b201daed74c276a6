"""Committed manifests must be what `stepwise manifest` prints for the current config: a regroup
without regenerating the manifest would silently leave Airflow running the old task graph."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import COMMITTED_MANIFESTS, EXAMPLE_CONFIG, EXAMPLE_JAR, REPO, committed_manifests, load_json


def config_of(manifest: dict) -> str:
    args = manifest["tasks"][0]["application_args"]
    return args[args.index("--config") + 1]


def regenerate_command(committed: Path) -> str:
    manifest = load_json(committed)
    jars = f" --jars {','.join(manifest['jars'])}" if manifest.get("jars") else ""
    return (f"bin/stepwise manifest --config {config_of(manifest)}{jars} --grouping {manifest['grouping']}"
            f" > airflow-dags/manifests/{committed.name}")


def staleness(committed: Path, fresh: str) -> str | None:
    """None when the committed manifest is current, else a diff and the command that fixes it."""
    if committed.read_text(encoding="utf-8") == fresh:
        return None
    diff = "".join(difflib.unified_diff(
        committed.read_text(encoding="utf-8").splitlines(keepends=True), fresh.splitlines(keepends=True),
        fromfile=f"committed {committed.name}", tofile="stepwise manifest now"))
    return f"{committed} is stale; regenerate it with\n  {regenerate_command(committed)}\n{diff}"


def test_there_is_a_committed_manifest_for_the_example_pipeline_naming_its_jar_and_config():
    assert [path.name for path in committed_manifests()] == ["payments.json"]
    manifest = load_json(COMMITTED_MANIFESTS / "payments.json")
    assert manifest["grouping"] == "daily"
    assert manifest["jars"] == [EXAMPLE_JAR]
    assert all(task["application_args"][:5] == ["run", "--task", task["name"], "--config", EXAMPLE_CONFIG]
               for task in manifest["tasks"])


@pytest.mark.parametrize("committed", committed_manifests(), ids=lambda path: path.name)
def test_a_committed_manifest_equals_what_stepwise_manifest_prints_now(committed, manifest_text):
    manifest = load_json(committed)
    fresh = manifest_text(manifest["grouping"], config_of(manifest))

    problem = staleness(committed, fresh)

    assert problem is None, problem


def test_a_regroup_without_regenerating_is_caught(tmp_path, manifest_text):
    config = tmp_path / "conf"
    shutil.copytree(REPO / "conf", config)
    daily = config / "groupings" / "daily.conf"
    # Move the rejection summary into ingest: a real regroup, still acyclic.
    text = daily.read_text()
    text = text.replace("enrich_with_bookings, classify]", "enrich_with_bookings, classify, summarize_rejections]")
    text = text.replace("steps = [summarize_rejections]", "steps = [check_ledger]")
    text = text.replace("steps = [compute_fees, post_ledger, check_ledger]", "steps = [compute_fees, post_ledger]")
    daily.write_text(text)

    problem = staleness(COMMITTED_MANIFESTS / "payments.json", manifest_text("daily", config / "payments.conf"))

    assert problem is not None
    assert "regenerate it with" in problem
    assert '+    "steps" : [ "parse_events", "deduplicate", "normalize_currencies", "enrich_with_bookings", ' \
           '"classify", "summarize_rejections" ],' in problem
