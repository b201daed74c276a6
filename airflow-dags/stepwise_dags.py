"""Stepwise DAG factory: one Airflow DAG per manifest, one SparkSubmitOperator per Stepwise task.

A manifest is the JSON that ``stepwise manifest --grouping G`` prints (schema: README.md beside this
file). Each ``manifests/<dag_id>.json`` beside this file becomes the DAG ``<dag_id>``; regrouping a
pipeline means regenerating its manifest, never editing this file.

Parsing reads JSON only (no JVM, no Spark, no network, no Airflow Variable lookup), so the DAG
processor stays fast. Deployment settings, all optional:

- ``STEPWISE_MANIFEST_DIR`` (environment, read at parse time): where the manifests are
  (default: ``manifests/`` beside this file).
- the Airflow Variable ``stepwise_jar`` (read when a task runs), else ``STEPWISE_JAR`` (environment,
  read at parse time), else ``/opt/stepwise/<jar named in the manifest>``: the application jar.
- ``STEPWISE_SPARK_CONN_ID`` (environment, parse time): the Spark connection (default ``spark_default``).
- ``STEPWISE_START_DATE`` (environment, parse time, ``YYYY-MM-DD``): the DAGs' start date
  (default 2026-01-01; catchup is off, so only the latest interval runs when a DAG is first enabled).

What the manifest names for the cluster goes to every task's spark-submit as it is: its ``jars``
(the user's step jars) as ``--jars``, its ``files`` as ``--files``, and the ``--config`` path inside
each task's ``application_args``. Paths are as the machine running spark-submit sees them.

A manifest's ``driver_jvm`` (``stepwise manifest --java-home DIR``) is decided when each task starts, on the
machine that runs spark-submit: where ``DIR/bin/java`` is there, spark-submit runs with ``JAVA_HOME=DIR`` and
the drivers get ``java_options``; elsewhere they start on spark-submit's own JVM with ``fallback_java_options``.
The task's log says which. It applies where spark-submit starts the driver (client deploy mode: local and
standalone masters); in cluster deploy mode the driver starts elsewhere, and the fallback is taken.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG

SUPPORTED_SCHEMA_VERSION = 1
JAR_VARIABLE = "stepwise_jar"
DEFAULT_JAR_DIR = "/opt/stepwise"
DEFAULT_CONN_ID = "spark_default"
DEFAULT_START_DATE = "2026-01-01"

# Spark settings that spark-submit takes as options of their own. SparkSubmitOperator does not
# template these arguments, so they are passed as the literal values of the manifest; they show in
# the task's rendered fields like any other operator argument.
RESOURCE_ARGUMENTS: dict[str, tuple[str, type]] = {
    "spark.executor.instances": ("num_executors", int),
    "spark.executor.cores": ("executor_cores", int),
    "spark.executor.memory": ("executor_memory", str),
    "spark.driver.memory": ("driver_memory", str),
    "spark.cores.max": ("total_executor_cores", int),
}

REQUIRED_KEYS = ("schema_version", "pipeline", "grouping", "schedule", "default_args", "application", "tasks")
REQUIRED_TASK_KEYS = ("name", "upstream", "steps", "spark_conf", "application_args")
DRIVER_JVM_KEYS = ("java_home", "java_options", "fallback_java_options")
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"


class ManifestError(ValueError):
    """A manifest this factory cannot turn into a DAG; the message names the file and the field."""


def manifest_dir() -> Path:
    return Path(os.environ.get("STEPWISE_MANIFEST_DIR", Path(__file__).resolve().parent / "manifests"))


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ManifestError(f"{path}: not a readable JSON manifest ({e}); regenerate it with `stepwise manifest`") from e
    check_manifest(path, manifest)
    return manifest


def check_manifest(path: Path, manifest: Any) -> None:
    if not isinstance(manifest, dict):
        raise ManifestError(f"{path}: expected a JSON object, got {type(manifest).__name__}")
    version = manifest.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        raise ManifestError(
            f"{path}: schema_version {version!r} is not supported by this DAG factory (it reads version "
            f"{SUPPORTED_SCHEMA_VERSION}); deploy the stepwise_dags.py that comes with the jar that wrote it")
    missing = [key for key in REQUIRED_KEYS if key not in manifest]
    if missing:
        raise ManifestError(f"{path}: missing {', '.join(missing)}; regenerate it with `stepwise manifest`")
    for block, keys in (("default_args", ("owner", "retries", "retry_delay_seconds")),
                        ("application", ("jar", "main_class"))):
        absent = [key for key in keys if key not in manifest[block]]
        if absent:
            raise ManifestError(f"{path}: {block} is missing {', '.join(absent)}")
    for key in ("jars", "files"):
        value = manifest.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise ManifestError(f"{path}: {key} must be a list of paths, got {value!r}; regenerate it with "
                                f"`stepwise manifest`")
        commas = [item for item in value if "," in item]
        if commas:
            raise ManifestError(f"{path}: {key} {commas} contain a comma, which spark-submit would split; "
                                f"rename or move the file")
    check_driver_jvm(path, manifest.get("driver_jvm"))
    names = [task.get("name") for task in manifest["tasks"]]
    for index, task in enumerate(manifest["tasks"]):
        absent = [key for key in REQUIRED_TASK_KEYS if key not in task]
        if absent:
            raise ManifestError(f"{path}: tasks[{index}] is missing {', '.join(absent)}")
        unknown = [up for up in task["upstream"] if up not in names]
        if unknown:
            raise ManifestError(f"{path}: task '{task['name']}' has unknown upstream tasks {unknown}")


def check_driver_jvm(path: Path, driver_jvm: Any) -> None:
    if driver_jvm is None:
        return
    if not isinstance(driver_jvm, dict) or not all(isinstance(driver_jvm.get(key), str) for key in DRIVER_JVM_KEYS):
        raise ManifestError(f"{path}: driver_jvm must hold the texts {', '.join(DRIVER_JVM_KEYS)}, got {driver_jvm!r};"
                            f" regenerate it with `stepwise manifest --java-home DIR`")
    if not driver_jvm["java_home"].startswith("/"):
        raise ManifestError(f"{path}: driver_jvm.java_home must be an absolute path, got {driver_jvm['java_home']!r}")


def java_present(java_home: str) -> bool:
    java = Path(java_home) / "bin" / "java"
    return java.is_file() and os.access(java, os.X_OK)


def driver_launch(driver_jvm: dict[str, str], conf: dict[str, Any], env_vars: dict[str, Any] | None,
                  client_mode: bool = True) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """One task run's (conf, env_vars, what was chosen): the manifest's JDK where present, else spark-submit's own."""
    home = driver_jvm["java_home"]
    if client_mode and java_present(home):
        options, env = driver_jvm["java_options"], {**(env_vars or {}), "JAVA_HOME": home}
        what = f"the driver starts on the JDK at {home} (driver_jvm.java_home)"
    else:
        options, env = driver_jvm["fallback_java_options"], env_vars
        why = f"no {home}/bin/java on this machine" if client_mode else "cluster deploy mode starts the driver elsewhere"
        what = f"the driver starts on spark-submit's own JVM ({why})"
    conf = dict(conf)
    own = str(conf.get(DRIVER_JAVA_OPTIONS, "")).strip()
    joined = " ".join(part for part in (own, options) if part)
    if joined:
        conf[DRIVER_JAVA_OPTIONS] = joined
    return conf, env, what


class StepwiseSparkSubmitOperator(SparkSubmitOperator):
    """A SparkSubmitOperator that chooses the driver's JVM when the task starts, from the manifest's driver_jvm."""

    def __init__(self, *, driver_jvm: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.driver_jvm = driver_jvm

    def execute(self, context: Any) -> None:
        if self.driver_jvm:
            # The hook resolves the Spark connection, which says where the driver starts.
            client_mode = self._get_hook()._connection.get("deploy_mode") != "cluster"
            self.conf, self.env_vars, what = driver_launch(self.driver_jvm, self.conf or {}, self.env_vars, client_mode)
            self._hook = None  # built again below, from the chosen settings
            self.log.info("Stepwise: %s", what)
        super().execute(context)


def split_spark_conf(path: Path, task: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """The task's Spark settings as (conf for --conf, spark-submit resource arguments)."""
    conf: dict[str, str] = {}
    resources: dict[str, Any] = {}
    for key, value in task["spark_conf"].items():
        if key not in RESOURCE_ARGUMENTS:
            conf[key] = str(value)
            continue
        argument, kind = RESOURCE_ARGUMENTS[key]
        try:
            resources[argument] = kind(value)
        except ValueError:
            raise ManifestError(
                f"{path}: task '{task['name']}': {key} = {value!r} is not a whole number; fix the "
                f"grouping's spark settings and regenerate the manifest") from None
    return conf, resources


def jar_template(manifest: dict[str, Any]) -> str:
    """The application path, resolved when the task runs: Variable, else environment, else the default."""
    fallback = os.environ.get("STEPWISE_JAR") or f"{DEFAULT_JAR_DIR}/{manifest['application']['jar']}"
    return "{{ var.value.get(%r, %r) }}" % (JAR_VARIABLE, fallback)


def comma_list(manifest: dict[str, Any], key: str) -> str | None:
    """A manifest list as spark-submit's comma-separated option value; None leaves the option out."""
    return ",".join(manifest.get(key, [])) or None


def task_doc(task: dict[str, Any]) -> str:
    lines = [f"### Stepwise task `{task['name']}`", "", "Runs these steps in one spark-submit, in order:", ""]
    lines += [f"1. `{step}`" for step in task["steps"]]
    if task.get("reads"):
        lines += ["", "Reads: " + ", ".join(f"`{name}`" for name in task["reads"])]
    if task.get("writes"):
        lines += ["", "Writes: " + ", ".join(f"`{name}`" for name in task["writes"])]
    if task["spark_conf"]:
        lines += ["", "Spark settings: " + ", ".join(f"`{k}={v}`" for k, v in task["spark_conf"].items())]
    return "\n".join(lines)


def dag_doc(manifest: dict[str, Any], path: Path) -> str:
    return "\n".join([
        f"## Stepwise pipeline `{manifest['pipeline']}`, grouping `{manifest['grouping']}`",
        "",
        manifest.get("description") or "",
        "",
        f"Built from `{path.name}`. To regroup, edit the grouping and regenerate this manifest with "
        f"`stepwise manifest --grouping {manifest['grouping']} > {path.name}`; this DAG follows.",
    ])


def build_dag(path: Path, manifest: dict[str, Any], conn_id: str, start_date: pendulum.DateTime) -> DAG:
    defaults = manifest["default_args"]
    application = manifest["application"]
    dag = DAG(
        dag_id=path.stem,
        description=f"Stepwise {manifest['pipeline']} ({manifest['grouping']} grouping)",
        doc_md=dag_doc(manifest, path),
        schedule=manifest["schedule"],
        start_date=start_date,
        catchup=False,
        tags=manifest.get("tags") or ["stepwise", manifest["pipeline"]],
        default_args={
            "owner": defaults["owner"],
            "retries": defaults["retries"],
            "retry_delay": timedelta(seconds=defaults["retry_delay_seconds"]),
        },
    )
    operators: dict[str, SparkSubmitOperator] = {}
    driver_jvm = {"driver_jvm": manifest["driver_jvm"]} if manifest.get("driver_jvm") else {}
    for task in manifest["tasks"]:
        conf, resources = split_spark_conf(path, task)
        operators[task["name"]] = StepwiseSparkSubmitOperator(
            task_id=task["name"],
            dag=dag,
            conn_id=conn_id,
            application=jar_template(manifest),
            java_class=application["main_class"],
            jars=comma_list(manifest, "jars"),
            files=comma_list(manifest, "files"),
            name=f"stepwise-{manifest['pipeline']}-{task['name']}",
            conf=conf,
            application_args=list(task["application_args"]),
            doc_md=task_doc(task),
            **driver_jvm,
            **resources,
        )
    for task in manifest["tasks"]:
        for upstream in task["upstream"]:
            operators[upstream] >> operators[task["name"]]
    return dag


def build_dags() -> dict[str, DAG]:
    conn_id = os.environ.get("STEPWISE_SPARK_CONN_ID", DEFAULT_CONN_ID)
    start = os.environ.get("STEPWISE_START_DATE", DEFAULT_START_DATE)
    try:
        start_date = pendulum.parse(start, tz="UTC")
    except ValueError as e:
        raise ManifestError(f"STEPWISE_START_DATE={start!r} is not a date such as 2026-01-01") from e
    directory = manifest_dir()
    if not directory.is_dir():
        raise ManifestError(f"{directory}: no manifest folder; set STEPWISE_MANIFEST_DIR or deploy manifests/ "
                            f"beside {Path(__file__).name}")
    return {path.stem: build_dag(path, load_manifest(path), conn_id, start_date)
            for path in sorted(directory.glob("*.json"))}


# Module-level names are what Airflow's DAG processor collects.
globals().update(build_dags())
