"""Groupings under a real Airflow scheduler: per-step, daily and single as DAG runs, timed from the metadata DB.

Starts a private Airflow 3 (api-server, scheduler with the LocalExecutor, dag-processor) on 127.0.0.1 with
its own AIRFLOW_HOME and SQLite metadata database in a scratch folder, lets the DAG factory in airflow-dags/
build one DAG per grouping and repetition from `stepwise manifest` (each task a real spark-submit of the
application jar on local Spark), triggers the DAG runs one at a time, interleaved (rep 1 of every grouping,
then rep 2, ...), and stops the processes it started. A DAG run is timed from its first task queued to its
last task done (task_instance.queued_dttm / end_date), and split along its critical path into scheduler
delay (an upstream task's end to the task's start), task start-up outside Stepwise (Airflow's task runner,
spark-submit's launcher: a task's Airflow duration less its Stepwise run report's wall time) and the
Stepwise task itself. Every run's outputs are compared with a plain local `bin/stepwise run --all`
(bin/lib/compare-outputs); a run that differs counts as failed, not as a timing.

bin/bench runs this as its "scheduled" section (`bin/bench --scheduler`); it also runs alone:
    python3 bench/scheduled.py [--reps N] [--events N] [--keep]
It needs the application and example jars built (bin/bench builds them) and the Airflow venv
(bin/lib/airflow-venv builds it on first use: a few minutes).
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from jdks import jdk25_home

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPWISE = os.path.join(ROOT, "bin", "stepwise")
ENTRY_JAR = os.path.join(ROOT, "entrypoint", "target", "stepwise-entrypoint.jar")
EXAMPLE_CONFIG = os.path.join(ROOT, "conf", "payments.conf")
EXAMPLE_JAR = os.path.join(ROOT, "steps", "target", "stepwise-payments-example.jar")
DAG_FOLDER = os.path.join(ROOT, "airflow-dags")
RESULTS = os.path.join(ROOT, "bench", "results")
PIPELINE = "payments"
GROUPINGS = ("per-step", "daily", "single")
DEFAULT_EVENTS = 500
# Issue 15's target for this section, checked in the output (not a timed test).
TARGET = ("per-step", "single", 5.0, "under the real scheduler, per-step ÷ single ≥ 5× at 500 events")
DAG_RUN_TIMEOUT_SECONDS = 1800
STARTUP_TIMEOUT_SECONDS = 300
# Environment a user's shell may carry that would change what the DAG file or the launcher does.
DROPPED_ENV = ("STEPWISE_MANIFEST_DIR", "STEPWISE_JAR", "STEPWISE_SPARK_CONN_ID", "STEPWISE_START_DATE",
               "STEPWISE_CONFIG", "STEPWISE_JARS", "STEPWISE_DATA", "AIRFLOW_VAR_STEPWISE_JAR")


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average():
    return [round(x, 2) for x in os.getloadavg()]


def run(argv, env=None, log_path=None, what=None, timeout=None):
    """Runs a command to the end; on failure exits naming it, with the tail of its log."""
    out = open(log_path, "a", encoding="utf-8") if log_path else subprocess.DEVNULL
    try:
        result = subprocess.run(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    finally:
        if log_path:
            out.close()
    if result.returncode != 0:
        raise SystemExit(f"bench: {what or argv[0]} failed with exit code {result.returncode}; log {log_path}:\n"
                         f"{tail(log_path)}")


def tail(path, lines=25):
    if not path or not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def example_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(STEPWISE_CONFIG=EXAMPLE_CONFIG, STEPWISE_JARS=EXAMPLE_JAR)
    env.update(extra)
    return env


def dag_id(grouping, rep):
    return f"{PIPELINE}_{grouping.replace('-', '_')}_rep{rep}"


# ---------------------------------------------------------------------------------------------- Airflow

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateAirflow:
    """An Airflow of its own: home, SQLite metadata DB and processes, all started and stopped here."""

    SERVICES = (("api-server", ["api-server", "--host", "127.0.0.1", "--workers", "1"]),
                ("scheduler", ["scheduler"]),
                ("dag-processor", ["dag-processor"]))

    def __init__(self, venv, home, manifests, spark_conf_dir, logs):
        self.venv = venv
        self.home = home
        self.logs = logs
        self.db = os.path.join(home, "airflow.db")
        self.port = free_port()
        self.processes = {}
        base_url = f"http://127.0.0.1:{self.port}"
        self.base_url = base_url
        self.env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV and not k.startswith("AIRFLOW")}
        self.env.update({
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__DAGS_FOLDER": DAG_FOLDER,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.db}",
            "AIRFLOW__API__BASE_URL": base_url,
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
            # One secret for every process: task workers present tokens the scheduler signed to the api-server.
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(32),
            "STEPWISE_MANIFEST_DIR": manifests,
            "AIRFLOW_VAR_STEPWISE_JAR": ENTRY_JAR,
            "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps({"conn_type": "spark", "host": "local[*]"}),
            "SPARK_CONF_DIR": spark_conf_dir,
            # The pinned pyspark's spark-submit, beside the venv's airflow.
            "PATH": os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", ""),
        })

    def airflow(self, *args, what=None, log_name="airflow-cli.log"):
        run([os.path.join(self.venv, "bin", "airflow"), *args], env=self.env,
            log_path=os.path.join(self.logs, log_name), what=what or f"airflow {' '.join(args)}", timeout=600)

    def start(self):
        self.airflow("db", "migrate", what="airflow db migrate (the private metadata database)")
        for name, args in self.SERVICES:
            if name == "api-server":
                args = args + ["--port", str(self.port)]
            out = open(os.path.join(self.logs, f"{name}.log"), "w", encoding="utf-8")
            # A session (and so a process group) of its own: stop() ends the service with every child it forked.
            self.processes[name] = subprocess.Popen([os.path.join(self.venv, "bin", "airflow"), *args], env=self.env,
                                                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                                    start_new_session=True)
            out.close()
        self.wait_for(self.api_healthy, "the api-server to answer on " + self.base_url)

    def api_healthy(self):
        try:
            with urllib.request.urlopen(f"{self.base_url}/api/v2/monitor/health", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def check_alive(self):
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SystemExit(f"bench: the Airflow {name} exited with code {process.returncode}; log "
                                 f"{os.path.join(self.logs, name + '.log')}:\n{tail(os.path.join(self.logs, name + '.log'))}")

    def wait_for(self, condition, what, timeout=STARTUP_TIMEOUT_SECONDS):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if condition():
                return
            time.sleep(1)
        raise SystemExit(f"bench: gave up after {timeout} s waiting for {what}; logs in {self.logs}")

    def query(self, sql, params=()):
        return query_db(self.db, sql, params)

    def wait_for_dags(self, dag_ids):
        marks = ",".join("?" * len(dag_ids))

        def parsed():
            rows = self.query(f"SELECT d.dag_id, d.is_paused FROM dag d JOIN serialized_dag s ON s.dag_id = d.dag_id "
                              f"WHERE d.dag_id IN ({marks})", dag_ids)
            return len({r["dag_id"] for r in rows}) == len(dag_ids)

        self.wait_for(parsed, f"the dag-processor to parse {len(dag_ids)} DAGs")
        paused = [r["dag_id"] for r in self.query(f"SELECT dag_id FROM dag WHERE is_paused AND dag_id IN ({marks})",
                                                  dag_ids)]
        for dag in paused:
            self.airflow("dags", "unpause", dag)

    def trigger_and_wait(self, dag, run_id, logical_date):
        self.airflow("dags", "trigger", dag, "--run-id", run_id, "--logical-date", logical_date)
        deadline = time.monotonic() + DAG_RUN_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            self.check_alive()
            rows = self.query("SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", (dag, run_id))
            if rows and rows[0]["state"] in ("success", "failed"):
                return rows[0]["state"]
            time.sleep(1)
        raise SystemExit(f"bench: DAG run {dag} {run_id} not done after {DAG_RUN_TIMEOUT_SECONDS} s; logs in {self.home}")

    def task_instances(self, dag, run_id):
        return self.query("SELECT task_id, state, queued_dttm, start_date, end_date, try_number FROM task_instance "
                          "WHERE dag_id = ? AND run_id = ?", (dag, run_id))

    def stop(self):
        """SIGTERM, then after 30 s SIGKILL, to every process group in each service's session: only what start()
        began. A task's spark-submit runs in a process group of its own inside the scheduler's session."""
        sessions = [p.pid for p in self.processes.values()]
        for signum, grace in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
            groups = groups_in_sessions(sessions)
            for group in groups:
                try:
                    os.killpg(group, signum)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.monotonic() + grace
            while groups_in_sessions(sessions) and time.monotonic() < deadline:
                for process in self.processes.values():
                    process.poll()
                time.sleep(0.5)
        for process in self.processes.values():
            process.wait()
        self.processes = {}


def groups_in_sessions(sessions):
    """The process groups of the live processes whose session is one of `sessions` (Linux /proc)."""
    groups = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                # pid (comm) state ppid pgrp session ...: comm may hold spaces, so split after its ')'.
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) in sessions:
            groups.add(int(fields[2]))
    return groups


def query_db(db, sql, params=()):
    """Rows of the metadata DB as dicts, read-only; none while the DB or its tables do not exist yet."""
    if not os.path.exists(db):
        return []
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params)]
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def spark_conf_dir(directory):
    """An empty SPARK_CONF_DIR: spark-submit puts it first on the driver's class path, and the JVM neither records
    nor uses a class-data archive with a non-empty directory there. The bench's Spark settings go in the manifests
    instead (BENCH_SPARK_CONF)."""
    os.makedirs(directory, exist_ok=True)
    return directory


# Spark on the loopback interface, no UI, Spark's log quiet: the settings bin/stepwise gives local runs. Bench
# settings only, added to every task's spark_conf; a user's DAGs pass none of this.
BENCH_SPARK_CONF = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                    "spark.ui.enabled": "false"}
BENCH_DRIVER_OPTIONS = "-Dlog4j2.configurationFile=" + os.path.join(ROOT, "conf", "log4j2.properties")


def write_manifest(grouping, storage_root, path, logs, launch=None):
    """The grouping's manifest as `stepwise manifest` prints it, with two bench-only changes: no schedule (the
    bench triggers every run; a cron schedule would start one of its own when the DAG is unpaused) and no
    retries (a failing task fails the run at once, not after the retry delays). launch: the drivers' archive
    and JDK options of `stepwise manifest` (--class-archive, --java-home, --aot-cache), as a deployment that
    recorded them (DriverLaunch)."""
    result = subprocess.run([STEPWISE, "manifest", "--config", EXAMPLE_CONFIG, "--jars", EXAMPLE_JAR,
                             "--grouping", grouping, "--set", f"pipeline.storage_root={storage_root}"]
                            + (launch.manifest_options() if launch else []),
                            cwd=ROOT, env=example_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: stepwise manifest --grouping {grouping} failed:\n{result.stderr[-3000:]}")
    manifest = json.loads(result.stdout)
    manifest["schedule"] = None
    manifest["default_args"]["retries"] = 0
    for task in manifest["tasks"]:
        conf = task["spark_conf"]
        conf.update(BENCH_SPARK_CONF)
        own = conf.get("spark.driver.extraJavaOptions")
        conf["spark.driver.extraJavaOptions"] = BENCH_DRIVER_OPTIONS + (" " + own if own else "")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    return manifest


# ---------------------------------------------------------------------------------------------- timing

def timestamp(value):
    """A metadata-DB date as an aware UTC datetime (SQLite keeps them as text, with or without an offset)."""
    if value is None:
        return None
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def seconds(a, b):
    return (b - a).total_seconds()


def stepwise_report(storage_root, grouping, task, run_date):
    path = os.path.join(storage_root, "_reports", PIPELINE, grouping, task, f"run_date={run_date}", "report.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def time_dag_run(instances, manifest, storage_root, run_date):
    """Wall time from the first task queued to the last task done, and where it went.

    The critical path is walked back from the task that ended last through, at each task, the upstream task
    that ended last; its gaps and task durations add up to the wall time exactly. A task's gap is its start
    less its last upstream's end (a root task: its start less the first queued instant), split into "to
    queued" (the scheduler noticing and queuing it) and "queued to running" (the executor handing it to a
    worker and the task runner starting up to where it reports running).
    """
    upstream = {t["name"]: t["upstream"] for t in manifest["tasks"]}
    tasks = {}
    for ti in instances:
        tasks[ti["task_id"]] = {"queued": timestamp(ti["queued_dttm"]), "start": timestamp(ti["start_date"]),
                                "end": timestamp(ti["end_date"])}
    first_queued = min(t["queued"] for t in tasks.values())
    last_end = max(t["end"] for t in tasks.values())

    def ready_at(name):
        ups = upstream[name]
        return max(tasks[u]["end"] for u in ups) if ups else first_queued

    per_task = {}
    for name, t in tasks.items():
        report = stepwise_report(storage_root, manifest["grouping"], name, run_date)
        duration = seconds(t["start"], t["end"])
        stepwise_wall = report["wall_seconds"] if report else None
        per_task[name] = {
            "ready_to_queued_seconds": max(0.0, seconds(ready_at(name), t["queued"])),
            "queued_to_running_seconds": seconds(t["queued"], t["start"]),
            "gap_seconds": seconds(ready_at(name), t["start"]),
            "airflow_duration_seconds": duration,
            "stepwise_wall_seconds": stepwise_wall,
            "stepwise_overhead_seconds": report["overhead_seconds"] if report else None,
            "stepwise_compute_seconds": report["compute_seconds"] if report else None,
            "outside_stepwise_seconds": duration - stepwise_wall if report else None,
            "overhead_phases": overhead_phases(report) if report else None,
        }
    path = []
    name = max(tasks, key=lambda n: tasks[n]["end"])
    while True:
        path.append(name)
        if not upstream[name]:
            break
        name = max(upstream[name], key=lambda u: tasks[u]["end"])
    path.reverse()

    def along(key, names):
        values = [per_task[n][key] for n in names]
        return None if any(v is None for v in values) else sum(values)

    return {
        "wall_seconds": seconds(first_queued, last_end),
        "tasks": len(tasks),
        "critical_path": path,
        "critical_path_gap_seconds": along("gap_seconds", path),
        "critical_path_to_queued_seconds": along("ready_to_queued_seconds", path),
        "critical_path_queued_to_running_seconds": along("queued_to_running_seconds", path),
        "critical_path_task_seconds": along("airflow_duration_seconds", path),
        "critical_path_outside_stepwise_seconds": along("outside_stepwise_seconds", path),
        "critical_path_stepwise_overhead_seconds": along("stepwise_overhead_seconds", path),
        "critical_path_stepwise_compute_seconds": along("stepwise_compute_seconds", path),
        "critical_path_overhead_phases": phases_along(path, per_task),
        "sum_of_gaps_seconds": along("gap_seconds", list(tasks)),
        "sum_of_task_seconds": along("airflow_duration_seconds", list(tasks)),
        "max_tasks_running_at_once": max_overlap(tasks.values()),
        "per_task": per_task,
    }


def overhead_phases(report):
    """A run report's overhead phases (JVM start, SparkSession start, reading inputs, ...): name -> seconds."""
    totals = {}
    for phase in report.get("phases", []):
        if phase["kind"] == "overhead":
            totals[phase["name"]] = totals.get(phase["name"], 0.0) + phase["seconds"]
    return totals


def phases_along(path, per_task):
    if any(per_task[n]["overhead_phases"] is None for n in path):
        return None
    totals = {}
    for name in path:
        for phase, secs in per_task[name]["overhead_phases"].items():
            totals[phase] = totals.get(phase, 0.0) + secs
    return totals


def max_overlap(tasks):
    events = sorted([(t["start"], 1) for t in tasks] + [(t["end"], -1) for t in tasks], key=lambda e: (e[0], e[1]))
    running = peak = 0
    for _, change in events:
        running += change
        peak = max(peak, running)
    return peak


# ---------------------------------------------------------------------------------------------- the section

def airflow_venv():
    result = subprocess.run([os.path.join(ROOT, "bin", "lib", "airflow-venv")], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        raise SystemExit("bench: bin/lib/airflow-venv could not build the Airflow venv (see above)")
    return result.stdout.strip().splitlines()[-1]


def compare(reference, candidates, logs):
    """bin/lib/compare-outputs (Spark from the Maven build): candidate root -> (equal, summary)."""
    def check(roots, name):
        log_path = os.path.join(logs, f"compare-{name}.log")
        with open(log_path, "w", encoding="utf-8") as out:
            code = subprocess.run([os.path.join(ROOT, "bin", "lib", "compare-outputs"), reference, *roots],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
        return code == 0, log_path

    equal, log_path = check(candidates, "all")
    if equal:
        return {c: (True, "same datasets and rows as the plain local run") for c in candidates}
    # Which candidate differs: one comparison each, so a difference is never pinned on the wrong run.
    verdicts = {}
    for index, candidate in enumerate(candidates):
        same, one_log = check([candidate], f"run{index}")
        diffs = [line.strip() for line in tail(one_log, 200).splitlines() if "DIFFERENT" in line]
        verdicts[candidate] = (same, "same" if same else "; ".join(diffs[:3]) or f"see {one_log}")
    return verdicts


class DriverLaunch:
    """How the DAG runs' drivers start: on JDK 25 with its ahead-of-time cache where one is present (as
    bin/stepwise runs), else on JDK 17 with a class-data archive; or with neither (class_archive=False)."""

    def __init__(self, jdk25_home=None, class_archive=None, aot_cache=None):
        self.jdk25_home, self.class_archive, self.aot_cache = jdk25_home, class_archive, aot_cache

    def manifest_options(self):
        options = ["--class-archive", self.class_archive] if self.class_archive else []
        if self.jdk25_home:
            options += ["--java-home", self.jdk25_home] + (["--aot-cache", self.aot_cache] if self.aot_cache else [])
        return options

    def meta(self):
        return {"class_archive": bool(self.class_archive or self.aot_cache), "driver_jdk": 25 if self.jdk25_home else 17}


def record_driver_launch(venv, section, logs, conf_dir, class_archive, driver_jdk):
    """The drivers' archive (JDK 17) or cache (JDK 25), recorded through the spark-submit Airflow's tasks run (the
    venv's), as a deployment does once per Spark and application jar (`bin/stepwise record-archive`); not part of
    any timing."""
    home = jdk25_home(driver_jdk)
    if not class_archive:
        return DriverLaunch(home)
    out = os.path.join(section, "drivers.aot" if home else "drivers.jsa")
    log(f"scheduled: recording the drivers' {'ahead-of-time cache on ' + home if home else 'class-data archive'}"
        " (bin/stepwise record-archive)")
    # The venv's spark-submit finds its Spark through the venv's python, first on the PATH as under Airflow.
    # SPARK_CONF_DIR as the tasks have it: the archive must match their drivers' class path.
    env = dict(example_env(), PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", ""),
               SPARK_CONF_DIR=conf_dir)
    run([STEPWISE, "record-archive", "--spark-submit", os.path.join(venv, "bin", "spark-submit"), "--out", out]
        + (["--java-home", home] if home else []),
        env=env, log_path=os.path.join(logs, "record-archive.log"), what="bin/stepwise record-archive")
    return DriverLaunch(home, aot_cache=out) if home else DriverLaunch(class_archive=out)


def launch_text(meta):
    jdk = meta.get("driver_jdk", 17)
    archive = meta.get("class_archive", False)
    kind = "an ahead-of-time cache" if jdk == 25 else "a class-data archive"
    return (f"SparkSubmitOperator: spark-submit --master local[*] of the application jar, drivers on JDK {jdk} "
            + (f"started from {kind} (`bin/stepwise record-archive`, `manifest"
               + (" --java-home --aot-cache`)" if jdk == 25 else " --class-archive`)")
               if archive else "without a class-data archive or cache"))


def bench_scheduled(reps, events, run_date, work, groupings=GROUPINGS, class_archive=True, driver_jdk=""):
    section = os.path.join(work, "scheduled")
    logs = os.path.join(section, "logs")
    os.makedirs(logs, exist_ok=True)
    venv = airflow_venv()
    for jar in (ENTRY_JAR, EXAMPLE_JAR):
        if not os.path.exists(jar):
            raise SystemExit(f"bench: {jar} is missing; build it (bin/bench does: mvn package -pl entrypoint,steps -am)")
    data = os.path.join(section, "data")
    log(f"scheduled: generating {events} events for {run_date}")
    run([STEPWISE, "generate", "--run-date", run_date, "--events", str(events)], env=example_env(STEPWISE_DATA=data),
        log_path=os.path.join(logs, "generate.log"), what="stepwise generate")
    reference = os.path.join(section, "reference")
    fresh_root(reference, os.path.join(data, "raw"))
    log("scheduled: the plain local run the DAG runs' outputs are compared with (`bin/stepwise run --all`)")
    run([STEPWISE, "run", "--all", "--grouping", "single", "--run-date", run_date],
        env=example_env(STEPWISE_DATA=reference), log_path=os.path.join(logs, "reference.log"), what="the reference run")

    conf_dir = spark_conf_dir(os.path.join(section, "spark-conf"))
    launch = record_driver_launch(venv, section, logs, conf_dir, class_archive, driver_jdk)
    manifests_dir = os.path.join(section, "manifests")
    os.makedirs(manifests_dir, exist_ok=True)
    runs = []
    for rep in range(1, reps + 1):
        for grouping in groupings:
            root = os.path.join(section, "runs", f"{grouping}-rep{rep}")
            fresh_root(root, os.path.join(data, "raw"))
            dag = dag_id(grouping, rep)
            manifest = write_manifest(grouping, root, os.path.join(manifests_dir, f"{dag}.json"), logs, launch)
            runs.append({"rep": rep, "grouping": grouping, "dag_id": dag, "root": root, "manifest": manifest})

    home = os.path.join(section, "airflow-home")
    os.makedirs(home, exist_ok=True)
    airflow = PrivateAirflow(venv, home, manifests_dir, conf_dir, logs)
    version = subprocess.run([os.path.join(venv, "bin", "python"), "-c", "import airflow; print(airflow.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    # What --analyze needs to report on this folder later, e.g. after a run stopped early.
    write_json(os.path.join(section, "section.json"), {"events": events, "run_date": run_date, "reps": reps,
                                                       "groupings": list(groupings), "airflow_version": version,
                                                       **launch.meta()})
    log(f"scheduled: starting Airflow {version} (api-server on {airflow.base_url}, scheduler with LocalExecutor, "
        f"dag-processor; SQLite metadata DB in {home})")
    started = time.monotonic()
    loads = {}
    # A SIGTERM to the bench still stops the Airflow it started (Python's default would skip the finally).
    previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        airflow.start()
        airflow.wait_for_dags([r["dag_id"] for r in runs])
        log(f"scheduled: Airflow up and {len(runs)} DAGs parsed in {time.monotonic() - started:.0f} s")
        for r in runs:
            loads[r["dag_id"]] = load_average()
            write_json(os.path.join(section, "load-averages.json"), loads)
            state = airflow.trigger_and_wait(r["dag_id"], run_id_of(r["dag_id"]), f"{run_date}T00:00:00+00:00")
            if state != "success":
                failed = [ti["task_id"] for ti in airflow.task_instances(r["dag_id"], run_id_of(r["dag_id"]))
                          if ti["state"] != "success"]
                raise SystemExit(f"bench: DAG run {r['dag_id']} ended {state} (tasks not successful: {failed}); task "
                                 f"logs under {os.path.join(home, 'logs', 'dag_id=' + r['dag_id'])}")
            t = time_dag_run(airflow.task_instances(r["dag_id"], run_id_of(r["dag_id"])), r["manifest"], r["root"],
                             run_date)
            log(f"scheduled rep {r['rep']}/{reps} {r['grouping']:9s} {t['wall_seconds']:7.1f} s first queued → last done, "
                f"{t['tasks']} task(s); critical path: scheduler gaps {t['critical_path_gap_seconds']:.1f} s, tasks "
                f"{t['critical_path_task_seconds']:.1f} s; load {loads[r['dag_id']][0]:.1f}")
    finally:
        airflow.stop()
        signal.signal(signal.SIGTERM, previous)
    return analyze(work)


def run_id_of(dag):
    return f"bench_{dag}"


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1)


def analyze(work):
    """Results from a scratch folder's metadata DB and run reports: every repetition whose DAG runs all succeeded,
    each run's outputs compared with the plain local run's. bench_scheduled ends here; --analyze starts here."""
    section = os.path.join(work, "scheduled")
    with open(os.path.join(section, "section.json"), encoding="utf-8") as f:
        meta = json.load(f)
    loads_path = os.path.join(section, "load-averages.json")
    loads = json.load(open(loads_path, encoding="utf-8")) if os.path.exists(loads_path) else {}
    db = os.path.join(section, "airflow-home", "airflow.db")
    groupings, run_date = meta["groupings"], meta["run_date"]
    runs, complete = [], 0
    for rep in range(1, meta["reps"] + 1):
        mine = []
        for grouping in groupings:
            dag = dag_id(grouping, rep)
            state = query_db(db, "SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", (dag, run_id_of(dag)))
            if not state or state[0]["state"] != "success":
                break
            with open(os.path.join(section, "manifests", f"{dag}.json"), encoding="utf-8") as f:
                manifest = json.load(f)
            root = os.path.join(section, "runs", f"{grouping}-rep{rep}")
            instances = query_db(db, "SELECT task_id, state, queued_dttm, start_date, end_date FROM task_instance "
                                     "WHERE dag_id = ? AND run_id = ?", (dag, run_id_of(dag)))
            mine.append({"rep": rep, "grouping": grouping, "dag_id": dag, "root": root, "state": "success",
                         "load_average_before": loads.get(dag),
                         "timing": time_dag_run(instances, manifest, root, run_date)})
        if len(mine) < len(groupings):
            break
        runs += mine
        complete = rep
    if not runs:
        raise SystemExit(f"bench: no repetition under {section} has every DAG run successful: nothing to report")
    if complete < meta["reps"]:
        log(f"scheduled: {complete} of {meta['reps']} repetitions complete; reporting those")
    venv = airflow_venv()
    log("scheduled: comparing every DAG run's outputs with the plain local run's (bin/lib/compare-outputs)")
    verdicts = compare(os.path.join(section, "reference"), [r["root"] for r in runs], os.path.join(section, "logs"))
    for r in runs:
        r["outputs_equal"], r["comparison"] = verdicts[r["root"]]
    result = summarize(runs, groupings, complete, meta["events"], run_date)
    result["airflow"] = {"version": meta["airflow_version"], "executor": "LocalExecutor", "metadata_db": "SQLite",
                         "settings": "Airflow's defaults for scheduling (parallelism, loop and heartbeat intervals)",
                         "launch": launch_text(meta)}
    return result


def stop_on_sigterm(signum, frame):
    raise SystemExit(f"bench: stopped by signal {signum}")


def fresh_root(path, raw):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    os.symlink(raw, os.path.join(path, "raw"))


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def summarize(runs, groupings, reps, events, run_date):
    good = [r for r in runs if r["outputs_equal"]]
    per_grouping = {}
    for g in groupings:
        mine = [r for r in good if r["grouping"] == g]
        if not mine:
            continue
        keys = ("wall_seconds", "critical_path_gap_seconds", "critical_path_to_queued_seconds",
                "critical_path_queued_to_running_seconds", "critical_path_task_seconds",
                "critical_path_outside_stepwise_seconds", "critical_path_stepwise_overhead_seconds",
                "critical_path_stepwise_compute_seconds", "sum_of_gaps_seconds", "sum_of_task_seconds")
        per_grouping[g] = {k: spread([r["timing"][k] for r in mine]) for k in keys if
                           all(r["timing"][k] is not None for r in mine)}
        per_grouping[g]["tasks"] = mine[0]["timing"]["tasks"]
        per_grouping[g]["critical_path"] = mine[0]["timing"]["critical_path"]
        per_grouping[g]["max_tasks_running_at_once"] = max(r["timing"]["max_tasks_running_at_once"] for r in mine)
        phases = [r["timing"].get("critical_path_overhead_phases") for r in mine]
        if all(phases):
            names = sorted({n for p in phases for n in p})
            per_grouping[g]["critical_path_overhead_phases"] = {
                n: statistics.median([p.get(n, 0.0) for p in phases]) for n in names}
    ratios = {}
    for g in groupings:
        if g == "single" or g not in per_grouping or "single" not in per_grouping:
            continue
        # Paired by repetition (each rep's runs ran back to back), then spread over the repetitions.
        paired = []
        for rep in range(1, reps + 1):
            a = next((r for r in good if r["grouping"] == g and r["rep"] == rep), None)
            b = next((r for r in good if r["grouping"] == "single" and r["rep"] == rep), None)
            if a and b:
                paired.append(a["timing"]["wall_seconds"] / b["timing"]["wall_seconds"])
        ratios[f"{g} / single"] = dict(spread(paired) if paired else {},
                                       of_medians=per_grouping[g]["wall_seconds"]["median"]
                                       / per_grouping["single"]["wall_seconds"]["median"])
    target = None
    key = f"{TARGET[0]} / {TARGET[1]}"
    if key in ratios:
        measured = ratios[key]["of_medians"]
        target = {"target": TARGET[3], "measured": measured, "status": "PASS" if measured >= TARGET[2] else "MISS"}
    return {"events": events, "run_date": run_date, "reps": reps, "groupings": per_grouping, "ratios": ratios,
            "target": target, "load_average_per_run": [r["load_average_before"] for r in runs],
            "failed_comparisons": [{"dag_id": r["dag_id"], "why": r["comparison"]} for r in runs if not r["outputs_equal"]],
            "runs": [{k: v for k, v in r.items() if k not in ("manifest", "root")} for r in runs]}


def fmt_spread(s, digits=1):
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


def scheduled_markdown(result, machine=None, command=None):
    g = result["groupings"]
    lines = [f"### Under a real Airflow scheduler: {result['events']} events, {result['reps']} repetition(s), "
             f"median (min–max)", ""]
    if machine:
        lines += [f"Machine: {machine}. Command: `{command}`.", ""]
    a = result.get("airflow", {})
    lines += [f"Airflow {a.get('version', '?')}, {a.get('executor', '?')}, {a.get('metadata_db', '?')} metadata DB, "
              f"{a.get('settings', '')}; every task {a.get('launch', '')}. A DAG run is timed from its first task "
              f"queued to its last task done (metadata DB). Load average (1 min) at each DAG run's start: "
              + ", ".join(f"{l[0]:.1f}" if l else "not recorded" for l in result["load_average_per_run"]) + ".", "",
              "| grouping | tasks | first queued → last done s | critical path: scheduler gaps s | of which to queued / "
              "queued → running | task time s | of which outside Stepwise (task runner, spark-submit) | Stepwise "
              "overhead s | Stepwise compute s | sum of all gaps s | most tasks at once |",
              "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, v in g.items():
        def cell(key):
            return fmt_spread(v[key]) if key in v else "n/a"
        lines.append(f"| `{name}` | {v['tasks']} | {cell('wall_seconds')} | {cell('critical_path_gap_seconds')} | "
                     f"{v['critical_path_to_queued_seconds']['median']:.1f} / "
                     f"{v['critical_path_queued_to_running_seconds']['median']:.1f} | "
                     f"{cell('critical_path_task_seconds')} | {cell('critical_path_outside_stepwise_seconds')} | "
                     f"{cell('critical_path_stepwise_overhead_seconds')} | {cell('critical_path_stepwise_compute_seconds')} | "
                     f"{cell('sum_of_gaps_seconds')} | {v['max_tasks_running_at_once']} |")
    lines.append("")
    with_phases = {name: v["critical_path_overhead_phases"] for name, v in g.items() if v.get("critical_path_overhead_phases")}
    if with_phases:
        names = sorted({n for p in with_phases.values() for n in p},
                       key=lambda n: -max(p.get(n, 0.0) for p in with_phases.values()))
        lines += ["Stepwise overhead on the critical path by phase (run reports, median seconds):", "",
                  "| phase | " + " | ".join(f"`{name}`" for name in with_phases) + " |",
                  "| --- |" + " ---: |" * len(with_phases)]
        lines += [f"| {n} | " + " | ".join(f"{p.get(n, 0.0):.1f}" for p in with_phases.values()) + " |" for n in names]
        lines.append("")
    for name, r in result["ratios"].items():
        per_rep = f"; per repetition {fmt_spread(r, 2)}" if "median" in r else ""
        lines.append(f"- `{name}` end to end: {r['of_medians']:.2f}× (ratio of medians{per_rep})")
    if result["target"]:
        t = result["target"]
        lines.append(f"- **{t['status']}** {t['target']} (measured {t['measured']:.2f}×)")
    if result["failed_comparisons"]:
        lines.append("- Outputs differed from the plain local run, so these runs are not timed: "
                     + "; ".join(f"{f['dag_id']}: {f['why']}" for f in result["failed_comparisons"]))
    else:
        lines.append("- Every DAG run's outputs equal the plain local run's (bin/lib/compare-outputs).")
    lines.append("- Critical path: the chain of tasks, each the last-ending upstream of the next, that ends with the"
                 " last task; its scheduler gaps plus its task times are the DAG run's wall time.")
    lines.append("")
    return "\n".join(lines)


def machine_description():
    cores = os.cpu_count()
    return f"{cores} cores, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/scheduled.py", description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=3, help="DAG runs per grouping, interleaved (default 3)")
    p.add_argument("--events", type=int, default=DEFAULT_EVENTS, help=f"events a day (default {DEFAULT_EVENTS})")
    p.add_argument("--groupings", default=",".join(GROUPINGS), help=f"comma-separated subset of {','.join(GROUPINGS)} "
                   "(single is the denominator of the ratios)")
    p.add_argument("--run-date", default="2026-11-21")
    p.add_argument("--work", help="scratch folder (default: a new temporary folder, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder (Airflow home and logs, data)")
    p.add_argument("--out", default=RESULTS, help="where scheduled.json and scheduled.md go (default bench/results)")
    p.add_argument("--no-class-archive", dest="class_archive", action="store_false",
                   help="drivers without a class-data archive or cache (default: one recorded by bin/stepwise"
                        " record-archive and named in the manifest, as a deployment does)")
    p.add_argument("--driver-jdk", choices=["17", "25"], default=os.environ.get("STEPWISE_JAVA", ""),
                   help="the drivers' JDK (default: bin/stepwise's rule, STEPWISE_JAVA: JDK 25 with its"
                        " ahead-of-time cache where present, else JDK 17)")
    p.add_argument("--analyze", metavar="WORK", help="start nothing: report on the scratch folder WORK of an earlier run"
                   " (--keep or --work), e.g. one stopped early; only repetitions whose DAG runs all succeeded count")
    args = p.parse_args(argv)
    if args.reps < 1:
        p.error("--reps must be at least 1")
    args.groupings = [g.strip() for g in args.groupings.split(",") if g.strip()]
    unknown = [g for g in args.groupings if g not in GROUPINGS]
    if unknown:
        p.error(f"unknown grouping(s) {unknown}; choose from {', '.join(GROUPINGS)}")
    return args


def main(argv):
    args = parse_args(argv)
    work = args.work or (None if args.analyze else tempfile.mkdtemp(prefix="stepwise-bench-scheduled-"))
    command = "python3 bench/scheduled.py " + " ".join(argv)
    machine = machine_description() if not args.analyze else f"{os.cpu_count()} cores"
    if args.analyze:
        command, result = f"python3 bench/scheduled.py --analyze {args.analyze}", analyze(args.analyze)
    else:
        try:
            result = bench_scheduled(args.reps, args.events, args.run_date, work, args.groupings,
                                     class_archive=args.class_archive, driver_jdk=args.driver_jdk)
        finally:
            if not args.keep and not args.work:
                shutil.rmtree(work, ignore_errors=True)
    result.update(machine=machine, command=command)
    md = scheduled_markdown(result, machine, command)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "scheduled.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(result, indent=2, default=str) + "\n")
    with open(os.path.join(args.out, "scheduled.md"), "w", encoding="utf-8") as f:
        f.write(md)
    print()
    print(md)
    return 1 if result["failed_comparisons"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
