"""The `daily` DAG run by Airflow's own test runner, every task a real spark-submit of the application
jar on local Spark, checked against the same pipeline run in-process by `bin/stepwise run --all`. The
manifest names a JDK 25 for the drivers (`manifest --java-home`): each task's driver runs on it where the
machine has one, else on spark-submit's own JDK 17, and its run report says which."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import (COMMITTED_MANIFESTS, EXAMPLE_CONFIG, EXAMPLE_JAR, REPO, airflow, load_json, record_timing,
                      stepwise)

RUN_DATE = "2026-11-21"
JAR = REPO / "entrypoint" / "target" / "stepwise-entrypoint.jar"
TASKS = ["ingest", "ledger", "data_quality", "reporting"]
JDK25 = next((home for home in (os.environ.get("STEPWISE_JAVA25_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64")
              if home and os.access(Path(home) / "bin" / "java", os.X_OK)), None)


def spark_conf_dir(directory: Path) -> Path:
    """spark-submit reads spark-defaults.conf from SPARK_CONF_DIR: keep every Spark on the loopback
    interface with no UI, and Spark's log quiet. Test settings only: the DAG passes none of this."""
    directory.mkdir()
    (directory / "spark-defaults.conf").write_text(
        "spark.driver.host 127.0.0.1\nspark.driver.bindAddress 127.0.0.1\nspark.ui.enabled false\n")
    shutil.copy(REPO / "conf" / "log4j2.properties", directory / "log4j2.properties")
    return directory


def written_datasets(root: Path) -> dict[str, tuple[str, Path]]:
    """Every dataset the daily plan writes: name -> (format, folder relative to the storage root)."""
    plan = json.loads(stepwise("plan", "--config", EXAMPLE_CONFIG, "--jars", EXAMPLE_JAR, "--grouping", "daily",
                               "--format", "json",
                               "--set", f"pipeline.storage_root={root}"))
    return {write["dataset"]: (write["format"], Path(write["location"].replace("{run_date}", RUN_DATE)).relative_to(root))
            for task in plan["tasks"] for write in task["writes"]}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # py4j logs at INFO while the interpreter exits, after logging has shut down: a harmless traceback.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = (SparkSession.builder.master("local[1]").appName("compare-airflow-run")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    yield session
    session.stop()


def read(spark, data_format: str, folder: Path):
    # csv and json read as text lines: exact, with no schema inference to blur a difference.
    if data_format in ("csv", "json", "text"):
        return spark.read.text(str(folder))
    return spark.read.format(data_format).load(str(folder))


def test_the_daily_dag_run_by_airflow_equals_the_in_process_run(airflow_db, tmp_path, spark):
    by_airflow, in_process = tmp_path / "airflow-root", tmp_path / "in-process-root"
    stepwise("generate", "--run-date", RUN_DATE, "--events", "300", env={"STEPWISE_DATA": str(by_airflow)})
    shutil.copytree(by_airflow / "raw", in_process / "raw")
    stepwise("run", "--all", "--config", EXAMPLE_CONFIG, "--jars", EXAMPLE_JAR, "--grouping", "daily",
             "--run-date", RUN_DATE, env={"STEPWISE_DATA": str(in_process)})
    assert JAR.is_file(), f"{JAR}: bin/stepwise builds it"

    # The committed manifest with no retries: a failing task then fails the run at once, instead of
    # after the manifest's two 10-minute retry delays.
    manifest = load_json(COMMITTED_MANIFESTS / "payments.json")
    manifest["default_args"]["retries"] = 0
    # The drivers' JDK as `manifest --java-home` names it; where there is no JDK 25, a home that is not there
    # either, so the run takes the fallback. (No ahead-of-time cache: bin/checks/spark-submit checks that.)
    java_home = JDK25 or str(tmp_path / "no-jdk-25")
    manifest["driver_jvm"] = json.loads(stepwise("manifest", "--config", EXAMPLE_CONFIG, "--jars", EXAMPLE_JAR,
                                                 "--grouping", "daily", "--java-home", java_home))["driver_jvm"]
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "payments.json").write_text(json.dumps(manifest))

    started = time.monotonic()
    out = airflow("dags", "test", "payments", RUN_DATE, timeout=1800, env={
        "STEPWISE_MANIFEST_DIR": str(manifests),
        "STEPWISE_DATA": str(by_airflow),
        "AIRFLOW_VAR_STEPWISE_JAR": str(JAR),
        "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps({"conn_type": "spark", "host": "local[*]"}),
        "SPARK_CONF_DIR": str(spark_conf_dir(tmp_path / "spark-conf")),
        # spark-submit of the pinned pyspark, beside this interpreter.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }, with_stderr=True)
    elapsed = time.monotonic() - started
    record_timing(f"end-to-end `airflow dags test payments {RUN_DATE}` (4 spark-submits, local[*]): {elapsed:.0f} s wall")

    for task in TASKS:
        # The user's jar goes with --jars, the config travels in the arguments: the application jar holds neither.
        assert re.search(rf"Spark-Submit cmd: spark-submit --master local\[\*\] .*--jars {re.escape(EXAMPLE_JAR)} "
                         rf".*--name stepwise-payments-{task} "
                         rf"--class dev\.stepwise\.entrypoint\.StepwiseMain {re.escape(str(JAR))} "
                         rf"run --task {task} --config {re.escape(EXAMPLE_CONFIG)} --grouping daily "
                         rf"--run-date {RUN_DATE}", out), f"no spark-submit of {task}"
    expected_choice = f"the driver starts on the JDK at {JDK25}" if JDK25 else "the driver starts on spark-submit's own JVM"
    assert out.count(f"Stepwise: {expected_choice}") == len(TASKS), out[-4000:]
    for task in TASKS:
        report = load_json(by_airflow / "_reports" / "payments" / "daily" / task / f"run_date={RUN_DATE}" / "report.json")
        assert report["spark"]["java_version"].startswith("25" if JDK25 else "17"), (task, report["spark"]["java_version"])
    finished = re.search(r"DagRun Finished: dag_id=payments, .*run_id=([^,]+), .*state=(\w+)", out)
    assert finished and finished.group(2) == "success", out[-4000:]
    listing = airflow("tasks", "states-for-dag-run", "payments", finished.group(1), "--output", "json")
    states = json.loads(next(line for line in listing.splitlines() if line.startswith("[")))
    assert {row["task_id"]: row["state"] for row in states} == {task: "success" for task in TASKS}

    datasets = written_datasets(by_airflow)
    assert {"ledger_entries", "market_revenue", "host_payouts", "booking_reconciliation", "ledger_balance_report",
            "rejected_event_summary"} <= set(datasets)
    for name, (data_format, folder) in datasets.items():
        for root in (by_airflow, in_process):
            assert (root / folder / "_SUCCESS").is_file(), f"{name}: nothing published under {root / folder}"
        airflow_rows, in_process_rows = read(spark, data_format, by_airflow / folder), read(spark, data_format, in_process / folder)
        assert airflow_rows.schema == in_process_rows.schema, name
        assert airflow_rows.count() == in_process_rows.count() > 0, name
        # Order-insensitive and exact, duplicates included.
        assert airflow_rows.exceptAll(in_process_rows).count() == 0, f"{name}: rows only in the Airflow run"
        assert in_process_rows.exceptAll(airflow_rows).count() == 0, f"{name}: rows only in the in-process run"
