"""The DAG factory under real Airflow: DagBag loading, DAG shape, operator fields, rendering."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

from conftest import COMMITTED_MANIFESTS, DAG_FOLDER, EXAMPLE_JAR, airflow, load_json, record_timing

DAILY = COMMITTED_MANIFESTS / "payments.json"
RUN_DATE = "2026-11-21"
RESOURCE_KEYS = {"spark.executor.instances", "spark.executor.cores", "spark.executor.memory",
                 "spark.driver.memory", "spark.cores.max"}


def load_dags(monkeypatch, manifest_dir: Path | None = None) -> DagBag:
    if manifest_dir is not None:
        monkeypatch.setenv("STEPWISE_MANIFEST_DIR", str(manifest_dir))
    return DagBag(dag_folder=str(DAG_FOLDER))


def edges(dag) -> dict[str, set[str]]:
    return {task.task_id: set(task.upstream_task_ids) for task in dag.tasks}


def manifest_edges(manifest: dict) -> dict[str, set[str]]:
    return {task["name"]: set(task["upstream"]) for task in manifest["tasks"]}


def rendered_fields(dag_id: str, task_id: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """The task's template fields as Airflow itself renders them for the logical date."""
    out = airflow("tasks", "render", dag_id, task_id, RUN_DATE, env=env)
    blocks = re.split(r"^# -+\n# property: (\w+)\n# -+\n", out, flags=re.MULTILINE)
    return {blocks[i]: blocks[i + 1].strip() for i in range(1, len(blocks) - 1, 2)}


def test_the_dag_folder_loads_with_no_import_errors_in_under_a_second(monkeypatch):
    bag = load_dags(monkeypatch)

    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == ["payments"]
    [stats] = bag.dagbag_stats
    assert stats.file.endswith("stepwise_dags.py"), "tests/ must stay out of the DAG folder (.airflowignore)"
    seconds = stats.duration.total_seconds()
    record_timing(f"DAG folder parse time (DagBag, stepwise_dags.py with {stats.task_num} tasks): {seconds:.3f} s")
    assert seconds < 1.0


def test_the_daily_dag_has_the_manifests_tasks_and_dependencies(monkeypatch):
    manifest = load_json(DAILY)
    dag = load_dags(monkeypatch).dags["payments"]

    assert [task.task_id for task in dag.tasks] == [task["name"] for task in manifest["tasks"]]
    assert edges(dag) == manifest_edges(manifest)
    assert edges(dag) == {"ingest": set(), "ledger": {"ingest"}, "reporting": {"ledger"}, "data_quality": {"ingest"}}


def test_dag_settings_come_from_the_manifest(monkeypatch):
    dag = load_dags(monkeypatch).dags["payments"]

    assert dag.schedule == "0 3 * * *" and dag.timetable.expression == "0 3 * * *"
    assert dag.catchup is False
    assert set(dag.tags) == {"stepwise", "pipeline:payments", "grouping:daily"}
    assert dag.default_args["owner"] == "payments-data"
    assert dag.default_args["retries"] == 2
    assert dag.default_args["retry_delay"].total_seconds() == 600
    assert "grouping `daily`" in dag.doc_md and "stepwise manifest --grouping daily" in dag.doc_md


def test_each_task_is_a_spark_submit_of_the_jar_with_the_manifests_settings(monkeypatch):
    manifest = load_json(DAILY)
    dag = load_dags(monkeypatch).dags["payments"]

    for spec in manifest["tasks"]:
        task = dag.get_task(spec["name"])
        assert isinstance(task, SparkSubmitOperator)
        assert task._conn_id == "spark_default"
        assert task._java_class == "dev.stepwise.entrypoint.StepwiseMain"
        assert task.name == f"stepwise-payments-{spec['name']}"
        assert task.application_args == spec["application_args"]
        # Settings with a spark-submit option of their own go there as literals, the rest as --conf.
        assert task.conf == {k: v for k, v in spec["spark_conf"].items() if k not in RESOURCE_KEYS}
        assert task._num_executors == int(spec["spark_conf"]["spark.executor.instances"])
        assert task._executor_cores == int(spec["spark_conf"]["spark.executor.cores"])
        assert task._executor_memory == spec["spark_conf"]["spark.executor.memory"]
        assert all(f"1. `{step}`" in task.doc_md for step in spec["steps"])
        assert task.retries == 2

        # The user's step jar and the config: everything the task needs besides the application jar.
        assert task.jars == EXAMPLE_JAR
        assert task.files is None
        args = task.application_args
        assert args[args.index("--config") + 1] == "conf/payments.conf"

    reporting = dag.get_task("reporting")
    assert (reporting._num_executors, reporting._executor_cores, reporting._executor_memory) == (2, 4, "8g")
    assert reporting.conf == {"spark.sql.shuffle.partitions": "16"}


def test_arguments_render_with_the_logical_date_and_the_jar_comes_from_a_variable_or_the_environment(airflow_db):
    manifest = load_json(DAILY)
    expected_args = [arg.replace("{{ ds }}", RUN_DATE) for arg in manifest["tasks"][1]["application_args"]]
    assert "--run-date" in expected_args and RUN_DATE in expected_args

    default = rendered_fields("payments", "ledger")
    assert ast.literal_eval(default["application_args"]) == expected_args
    assert default["application"] == "/opt/stepwise/stepwise-entrypoint.jar"
    assert ast.literal_eval(default["conf"]) == {"spark.sql.shuffle.partitions": "32"}
    assert default["jars"] == EXAMPLE_JAR

    from_env = rendered_fields("payments", "ledger", env={"STEPWISE_JAR": "/srv/jars/app.jar"})
    assert from_env["application"] == "/srv/jars/app.jar"

    from_variable = rendered_fields("payments", "ledger", env={
        "STEPWISE_JAR": "/srv/jars/app.jar", "AIRFLOW_VAR_STEPWISE_JAR": "/srv/releases/42/app.jar"})
    assert from_variable["application"] == "/srv/releases/42/app.jar"


def test_per_step_and_daily_manifests_give_dags_of_different_shape_from_the_same_file(
        monkeypatch, tmp_path, manifest_text):
    (tmp_path / "payments_daily.json").write_text(manifest_text("daily"))
    (tmp_path / "payments_per_step.json").write_text(manifest_text("per-step"))

    bag = load_dags(monkeypatch, tmp_path)

    assert bag.import_errors == {}
    daily, per_step = bag.dags["payments_daily"], bag.dags["payments_per_step"]
    assert daily.fileloc == per_step.fileloc
    assert len(daily.tasks) == 4 and len(per_step.tasks) == 12
    assert edges(daily) == manifest_edges(json.loads(manifest_text("daily")))
    assert edges(per_step) == manifest_edges(json.loads(manifest_text("per-step")))
    assert edges(per_step)["summarize_rejections"] == {"parse_events", "normalize_currencies"}
    assert "grouping:per-step" in per_step.tags


@pytest.mark.parametrize(("jars", "files"), [
    ([], []),
    (["/opt/jars/a.jar"], []),
    (["/opt/jars/a.jar", "hdfs:///libs/b-1.0.jar"], ["/etc/pipelines/payments.conf"]),
    ([], ["payments.conf", "groupings/daily.conf", "lookup.csv"]),
])
def test_the_manifests_jars_and_files_go_to_every_spark_submit(monkeypatch, tmp_path, jars, files):
    manifest = load_json(DAILY)
    manifest["jars"], manifest["files"] = jars, files
    (tmp_path / "payments.json").write_text(json.dumps(manifest))

    dag = load_dags(monkeypatch, tmp_path).dags["payments"]

    for task in dag.tasks:
        assert task.jars == (",".join(jars) or None)
        assert task.files == (",".join(files) or None)


def test_a_manifest_without_jars_or_files_still_loads(monkeypatch, tmp_path):
    manifest = load_json(DAILY)
    manifest.pop("jars")
    manifest.pop("files")
    (tmp_path / "payments.json").write_text(json.dumps(manifest))

    bag = load_dags(monkeypatch, tmp_path)

    assert bag.import_errors == {}
    assert all(task.jars is None and task.files is None for task in bag.dags["payments"].tasks)


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m.update(jars="a.jar"), "jars must be a list of paths"),
    (lambda m: m.update(files=[""]), "files must be a list of paths"),
    (lambda m: m.update(jars=["a.jar", 3]), "jars must be a list of paths"),
    (lambda m: m.update(jars=["a,b.jar"]), "jars ['a,b.jar'] contain a comma"),
    (lambda m: m.update(schema_version=99), "schema_version 99 is not supported"),
    (lambda m: m.pop("tasks"), "missing tasks"),
    (lambda m: m["default_args"].pop("retries"), "default_args is missing retries"),
    (lambda m: m["tasks"][1]["upstream"].append("ingset"), "task 'ledger' has unknown upstream tasks ['ingset']"),
    (lambda m: m["tasks"][0]["spark_conf"].update({"spark.executor.cores": "two"}),
     "task 'ingest': spark.executor.cores = 'two' is not a whole number"),
])
def test_a_bad_manifest_is_an_import_error_naming_the_file_and_field(monkeypatch, tmp_path, change, message):
    manifest = load_json(DAILY)
    change(manifest)
    (tmp_path / "payments.json").write_text(json.dumps(manifest))

    bag = load_dags(monkeypatch, tmp_path)

    assert bag.dag_ids == []
    [error] = bag.import_errors.values()
    assert f"{tmp_path / 'payments.json'}: " in error and message in error


JDK25_BLOCK = {"java_home": "/opt/jdk-25",
               "java_options": "--enable-native-access=ALL-UNNAMED -XX:AOTCache=/opt/stepwise/drivers.aot",
               "fallback_java_options": "-XX:SharedArchiveFile=/opt/stepwise/drivers.jsa -Xshare:auto"}


def factory_module(dag):
    """The DAG file's module as Airflow loaded it, for its functions."""
    return sys.modules[type(dag.tasks[0]).__module__]


def test_a_manifest_naming_a_driver_jvm_gives_it_to_every_task_and_one_without_gives_none(monkeypatch, tmp_path):
    manifest = load_json(DAILY)
    manifest["driver_jvm"] = JDK25_BLOCK
    (tmp_path / "payments.json").write_text(json.dumps(manifest))

    dag = load_dags(monkeypatch, tmp_path).dags["payments"]

    assert all(task.driver_jvm == JDK25_BLOCK for task in dag.tasks)
    assert all(task.driver_jvm is None for task in load_dags(monkeypatch, COMMITTED_MANIFESTS).dags["payments"].tasks)


def fake_jdk(home: Path, executable: bool = True) -> Path:
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\n")
    (home / "bin" / "java").chmod(0o755 if executable else 0o644)
    return home


@pytest.mark.parametrize("jdk", ["present", "absent", "not executable", "cluster mode"])
@pytest.mark.parametrize("own", ["", "-Dpayments.audit=on -XX:+UseParallelGC", "  "])
@pytest.mark.parametrize("env_vars", [None, {"TZ": "UTC"}])
@pytest.mark.parametrize("fallback", ["", JDK25_BLOCK["fallback_java_options"]])
def test_each_task_run_starts_on_the_named_jdk_where_present_else_on_the_fallback(monkeypatch, tmp_path, jdk, own,
                                                                                   env_vars, fallback):
    manifest = load_json(DAILY)
    manifest["driver_jvm"] = JDK25_BLOCK
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "payments.json").write_text(json.dumps(manifest))
    factory = factory_module(load_dags(monkeypatch, tmp_path / "manifests").dags["payments"])
    home = tmp_path / "jdk-25"
    if jdk in ("present", "cluster mode"):
        fake_jdk(home)
    elif jdk == "not executable":
        fake_jdk(home, executable=False)
    block = {**JDK25_BLOCK, "java_home": str(home), "fallback_java_options": fallback}
    conf = {"spark.sql.shuffle.partitions": "4"} | ({"spark.driver.extraJavaOptions": own} if own else {})

    chosen_conf, chosen_env, what = factory.driver_launch(block, conf, env_vars, client_mode=jdk != "cluster mode")

    on_jdk = jdk == "present"
    added = block["java_options"] if on_jdk else fallback
    expected_options = " ".join(part for part in (own.strip(), added) if part)
    # Nothing to add: the task's own setting stays as it was, blank or absent.
    assert chosen_conf.get("spark.driver.extraJavaOptions") == (expected_options or conf.get("spark.driver.extraJavaOptions"))
    assert chosen_conf["spark.sql.shuffle.partitions"] == "4"
    assert conf == {"spark.sql.shuffle.partitions": "4"} | ({"spark.driver.extraJavaOptions": own} if own else {}), \
        "the task's own settings are not changed in place"
    if on_jdk:
        assert chosen_env == {**(env_vars or {}), "JAVA_HOME": str(home)}
        assert str(home) in what
    else:
        assert chosen_env == env_vars
        assert "spark-submit's own JVM" in what


@pytest.mark.parametrize(("driver_jvm", "message"), [
    ("/opt/jdk-25", "driver_jvm must hold the texts java_home, java_options, fallback_java_options"),
    ({"java_home": "/opt/jdk-25", "java_options": ""}, "driver_jvm must hold the texts"),
    ({**JDK25_BLOCK, "java_options": ["-Xmx1g"]}, "driver_jvm must hold the texts"),
    ({**JDK25_BLOCK, "java_home": "jdk-25"}, "driver_jvm.java_home must be an absolute path"),
])
def test_a_bad_driver_jvm_is_an_import_error_naming_the_file(monkeypatch, tmp_path, driver_jvm, message):
    manifest = load_json(DAILY)
    manifest["driver_jvm"] = driver_jvm
    (tmp_path / "payments.json").write_text(json.dumps(manifest))

    bag = load_dags(monkeypatch, tmp_path)

    assert bag.dag_ids == []
    [error] = bag.import_errors.values()
    assert f"{tmp_path / 'payments.json'}: " in error and message in error
