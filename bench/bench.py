"""The benchmark behind README's Benchmarks table; run it through bin/bench (which builds first).

Baselines on the same generated data, each task its own process in plan order, as a scheduler
would run them: per-step (12 processes), daily (4), single (1), and the hand-written monolith
(dev.stepwise.bench.PaymentsMonolith, 1). Repetitions are interleaved (rep 1 of every baseline,
then rep 2, ...) so that a slow minute on a shared machine hits every baseline alike.

Only the Python standard library: no venv needed.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import scheduled
from jdks import jdk25_home

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPWISE = os.path.join(ROOT, "bin", "stepwise")
SPARK_CP = os.path.join(ROOT, "entrypoint", "target", "spark-classpath.txt")
BENCH_TARGET = os.path.join(ROOT, "bench", "target")
BENCH_JAR = os.path.join(BENCH_TARGET, "stepwise-bench-0.1.0-SNAPSHOT.jar")
BENCH_CP = os.path.join(BENCH_TARGET, "bench-classpath.txt")


def picked_jdk(choice):
    """bin/stepwise's rule for STEPWISE_JAVA: 17 keeps JDK 17, else JDK 25 where one is there: (java, feature)."""
    home = jdk25_home(choice)
    return (os.path.join(home, "bin", "java"), 25) if home else ("java", 17)


def monolith_java():
    """The JDK bin/stepwise picks under the bench's own environment: the monolith runs on it too."""
    return picked_jdk(os.environ.get("STEPWISE_JAVA", ""))


MONOLITH_JAVA, MONOLITH_FEATURE = monolith_java()
# The monolith's own class-data archive (JDK 17) or ahead-of-time cache (JDK 25), like bin/stepwise's.
MONOLITH_CDS = os.path.join(BENCH_TARGET, "monolith-classes.jsa" if MONOLITH_FEATURE == 17 else "monolith-classes-jdk25.aot")
# The payments example runs as a user's pipeline: its config and step jar, for every bin/stepwise command.
EXAMPLE_ENV = {"STEPWISE_CONFIG": os.path.join(ROOT, "conf", "payments.conf"),
               "STEPWISE_JARS": os.path.join(ROOT, "steps", "target", "stepwise-payments-example.jar")}
RESULTS = os.path.join(ROOT, "bench", "results")
PIPELINE = "payments"
BASELINES = ("per-step", "daily", "single", "monolith")
SCALES = {"integration": 500, "volume": 2_000_000}
# Targets checked in the output (not as timed tests): (baseline, other, op, bound, text, fewest events per day the
# target is about). Issue 7's first ones; issue 15's for grouped runs against one process at 300,000 and 2 million.
TARGETS = {
    "integration": [("single", "monolith", "<=", 1.15, "single within 1.15x of the monolith", 0),
                    ("per-step", "single", ">=", 8.0, "per-step at least 8x slower than single", 0),
                    ("daily", "monolith", "<=", 1.50, "daily within 1.50x of the monolith at 300,000 events", 300_000),
                    ("single", "monolith", "<=", 1.05, "single within 1.05x of the monolith at 300,000 events", 300_000)],
    "volume": [("daily", "monolith", "<=", 1.30, "daily within 1.30x of the monolith (issue 15)", 0),
               ("single", "monolith", "<=", 1.05, "single within 1.05x of the monolith (issue 15)", 0),
               ("daily", "monolith", "<=", 1.10, "daily within 1.10x of the monolith (issue 7)", 0)],
}


# -Dspark.* options from --spark-conf, given to every JVM (bin/stepwise through STEPWISE_JAVA_OPTS).
SPARK_CONF = []


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def java_flags(feature=17):
    """The JVM flags bin/stepwise passes: Spark's module flags (bin/lib/spark-jvm-flags) and UTC."""
    flags = subprocess.run([os.path.join(ROOT, "bin", "lib", "spark-jvm-flags"), "--java", str(feature)], check=True,
                           capture_output=True, text=True).stdout.split()
    return flags + ["-Duser.timezone=UTC"]


def spark_system_properties():
    """What bin/stepwise adds after the module flags; the monolith gets the same."""
    return [f"-Dlog4j2.configurationFile={ROOT}/conf/log4j2.properties",
            f"-Dspark.master={os.environ.get('SPARK_MASTER', 'local[*]')}",
            "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.ui.enabled=false"]


def read_classpath(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def monolith_classpath():
    return ":".join([BENCH_JAR, read_classpath(BENCH_CP), read_classpath(SPARK_CP)])


def run_process(argv, env=None, log_path=None):
    """Runs one process to the end: wall seconds, peak RSS (MB) of the process, exit code."""
    out = open(log_path, "w", encoding="utf-8") if log_path else subprocess.DEVNULL
    try:
        start = time.monotonic()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        # wait4, not RUSAGE_CHILDREN: the latter is a running maximum over every child so far.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log_path:
            out.close()
    return {"wall_seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024.0, "exit_code": child.returncode}


def env_with(**extra):
    env = dict(os.environ)
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def stepwise(args, data_root, cds, java_opts=None, log_path=None, extra_env=None):
    opts = " ".join(SPARK_CONF + ([java_opts] if java_opts else [])) or None
    env = env_with(STEPWISE_DATA=data_root, STEPWISE_CDS=None if cds else "off", STEPWISE_JAVA_OPTS=opts,
                   **EXAMPLE_ENV)
    if cds:
        env.pop("STEPWISE_CDS", None)
    env.update(extra_env or {})
    return run_process([STEPWISE] + args, env=env, log_path=log_path)


def checked(result, what, log_path):
    if result["exit_code"] != 0:
        tail = ""
        if log_path and os.path.exists(log_path):
            tail = "".join(open(log_path, encoding="utf-8", errors="replace").readlines()[-25:])
        raise SystemExit(f"bench: {what} failed with exit code {result['exit_code']}; log {log_path}:\n{tail}")
    return result


def plan_tasks(grouping):
    out = subprocess.run([STEPWISE, "plan", "--grouping", grouping, "--format", "json"], cwd=ROOT,
                         env=env_with(**EXAMPLE_ENV), check=True, capture_output=True, text=True).stdout
    return [t["name"] for t in json.loads(out)["tasks"]]


def monolith_command(data_root, run_date, timings, cds):
    flags = java_flags(MONOLITH_FEATURE) + spark_system_properties() + SPARK_CONF
    if cds and MONOLITH_FEATURE == 17:
        flags += [f"-XX:SharedArchiveFile={MONOLITH_CDS}", "-Xshare:auto", "-Xlog:cds=off,cds+dynamic=off"]
    elif cds:
        flags += [f"-XX:AOTCache={MONOLITH_CDS}", "-Xlog:aot*=off,cds*=off"]
    return ([MONOLITH_JAVA] + flags + ["-cp", monolith_classpath(), "dev.stepwise.bench.PaymentsMonolith",
                                "--root", data_root, "--run-date", run_date, "--timings-out", timings])


def ensure_monolith_cds(work):
    """The monolith's own class-data archive, recorded like bin/stepwise's: a whole run on 40 events."""
    stale = (not os.path.exists(MONOLITH_CDS) or os.path.getmtime(MONOLITH_CDS) < os.path.getmtime(BENCH_JAR)
             or os.path.getmtime(MONOLITH_CDS) < os.path.getmtime(SPARK_CP))
    if not stale:
        return
    log("recording the monolith's class-data archive (once per build)")
    scratch = tempfile.mkdtemp(prefix="monolith-cds-", dir=work)
    log_path = os.path.join(scratch, "train.log")
    checked(stepwise(["generate", "--run-date", "2000-01-01", "--events", "40"], scratch, cds=True,
                     log_path=log_path), "generating the archive's training data", log_path)
    tmp = MONOLITH_CDS + f".{os.getpid()}.tmp"
    argv = monolith_command(scratch, "2000-01-01", os.path.join(scratch, "t.json"), cds=False)
    argv.insert(1, f"-XX:ArchiveClassesAtExit={tmp}" if MONOLITH_FEATURE == 17 else f"-XX:AOTCacheOutput={tmp}")
    checked(run_process(argv, log_path=log_path), "recording the monolith's archive", log_path)
    os.replace(tmp, MONOLITH_CDS)
    shutil.rmtree(scratch, ignore_errors=True)


def fresh_root(path, raw):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    os.symlink(raw, os.path.join(path, "raw"))


def reports_of(root, grouping, run_date):
    base = os.path.join(root, "_reports", PIPELINE, grouping)
    found = []
    for task in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        path = os.path.join(base, task, f"run_date={run_date}", "report.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                found.append(json.load(f))
    return found


def first_step_seconds(report):
    for phase in report["phases"]:
        if phase["name"].startswith("step "):
            return phase["start_seconds"]
    return None


def phase_seconds(report, name):
    return sum(p["seconds"] for p in report["phases"] if p["name"] == name)


def overhead_phases(reports):
    """Overhead phase name -> seconds summed over the reports (step and write phases are compute)."""
    totals = {}
    for report in reports:
        for phase in report["phases"]:
            if phase["kind"] == "overhead":
                totals[phase["name"]] = totals.get(phase["name"], 0.0) + phase["seconds"]
    return totals


WARMUP_FIELDS = ("jit_compile_seconds", "jit_cpu_seconds", "spark_codegen_seconds", "spark_codegen_classes", "gc_seconds",
                 "gc_collections", "classes_loaded")


def warmup_totals(warmups):
    """Each warm-up field summed over processes (each report's whole-process `warmup`); None where no process has it."""
    totals = {}
    for field in WARMUP_FIELDS:
        values = [w.get(field) for w in warmups if w and w.get(field) is not None]
        totals[field] = sum(values) if values else None
    return totals


def run_grouping(grouping, tasks, root, run_date, cds, logs, java_opts=None, extra_env=None, extra_args=()):
    processes = []
    for task in tasks:
        log_path = os.path.join(logs, f"{grouping}-{task}.log")
        result = checked(stepwise(["run", "--task", task, "--grouping", grouping, "--run-date", run_date]
                                  + list(extra_args), root, cds, java_opts, log_path, extra_env),
                         f"task {task} of {grouping}", log_path)
        processes.append(dict(result, task=task))
    reports = reports_of(root, grouping, run_date)
    if len(reports) != len(tasks):
        raise SystemExit(f"bench: expected {len(tasks)} run reports of {grouping} under {root}, found {len(reports)}")
    wall = sum(r["wall_seconds"] for r in reports)
    overhead = sum(r["overhead_seconds"] for r in reports)
    phases = overhead_phases(reports)
    return {
        "wall_seconds": sum(p["wall_seconds"] for p in processes),
        "cpu_seconds": sum(p["cpu_seconds"] for p in processes),
        "peak_rss_mb": max(p["peak_rss_mb"] for p in processes),
        "processes": processes,
        "reported_wall_seconds": wall,
        "reported_overhead_seconds": overhead,
        "overhead_share": overhead / wall if wall else None,
        "overhead_phases": phases,
        "first_step_seconds": [first_step_seconds(r) for r in reports],
        "warmup": warmup_totals([r.get("warmup") for r in reports]),
    }


def run_monolith(root, run_date, cds, logs):
    timings = os.path.join(logs, "monolith-timings.json")
    log_path = os.path.join(logs, "monolith.log")
    result = checked(run_process(monolith_command(root, run_date, timings, cds), log_path=log_path),
                     "the monolith", log_path)
    with open(timings, encoding="utf-8") as f:
        t = json.load(f)
    overhead = t["jvm_start_to_main_seconds"] + t["spark_session_start_seconds"] + t["spark_session_stop_seconds"]
    return {
        "wall_seconds": result["wall_seconds"],
        "peak_rss_mb": result["peak_rss_mb"],
        "processes": [dict(result, task="monolith")],
        "reported_wall_seconds": t["wall_seconds"],
        "reported_overhead_seconds": overhead,
        "overhead_share": overhead / t["wall_seconds"],
        "overhead_phases": {"jvm start": t["jvm_start_to_main_seconds"],
                            "spark session start": t["spark_session_start_seconds"],
                            "spark session stop": t["spark_session_stop_seconds"]},
        "timings": t,
        "warmup": warmup_totals([t.get("warmup")]),
    }


def compare_outputs(reference, candidate, logs, name):
    """bin/lib/compare-outputs: every dataset of the reference present and equal in the candidate."""
    log_path = os.path.join(logs, f"compare-{name}.log")
    argv = [os.path.join(ROOT, "bin", "lib", "compare-outputs"), reference, candidate]
    result = run_process(argv, log_path=log_path)
    summary = open(log_path, encoding="utf-8", errors="replace").read().strip().splitlines()
    return {"candidate": name, "equal": result["exit_code"] == 0, "summary": summary[-1] if summary else "",
            "log": log_path}


def summarize(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def bench_scale(scale, events, args, work):
    run_date = args.run_date
    scale_dir = os.path.join(work, scale)
    data = os.path.join(scale_dir, "data")
    logs = os.path.join(scale_dir, "logs")
    os.makedirs(logs, exist_ok=True)
    log(f"{scale} scale: generating {events} events for {run_date}")
    gen = checked(stepwise(["generate", "--run-date", run_date, "--events", str(events)], data, args.cds,
                           log_path=os.path.join(logs, "generate.log")), "generate", os.path.join(logs, "generate.log"))
    raw = os.path.join(data, "raw")
    tasks = {g: plan_tasks(g) for g in args.baselines if g != "monolith"}
    runs = {b: [] for b in args.baselines}
    kept = {}
    for rep in range(1, args.reps + 1):
        for baseline in args.baselines:
            root = os.path.join(scale_dir, f"{baseline}-rep{rep}")
            rep_logs = os.path.join(logs, f"rep{rep}")
            os.makedirs(rep_logs, exist_ok=True)
            fresh_root(root, raw)
            if baseline == "monolith":
                result = run_monolith(root, run_date, args.cds, rep_logs)
            else:
                result = run_grouping(baseline, tasks[baseline], root, run_date, args.cds, rep_logs)
            runs[baseline].append(result)
            w = result["warmup"]
            log(f"{scale} rep {rep}/{args.reps} {baseline:9s} {result['wall_seconds']:7.1f} s wall, "
                f"{len(result['processes'])} process(es), peak RSS {result['peak_rss_mb']:.0f} MB; warm-up: "
                f"JIT {fmt(w['jit_compile_seconds'])} s (CPU {fmt(w['jit_cpu_seconds'])} s), codegen {fmt(w['spark_codegen_seconds'])} s "
                f"({fmt(w['spark_codegen_classes'], 0)} classes), GC {fmt(w['gc_seconds'])} s, "
                f"{fmt(w['classes_loaded'], 0)} classes loaded")
            if rep == 1 and args.verify:
                kept[baseline] = root
            else:
                shutil.rmtree(root, ignore_errors=True)
    verification = []
    if args.verify and "monolith" in kept:
        log(f"{scale}: comparing every baseline's outputs with the monolith's (bin/lib/compare-outputs)")
        for baseline, root in kept.items():
            if baseline != "monolith":
                verification.append(compare_outputs(kept["monolith"], root, logs, baseline))
    for root in kept.values():
        shutil.rmtree(root, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    return {"scale": scale, "events": events, "run_date": run_date, "generate_seconds": gen["wall_seconds"],
            "baselines": {b: aggregate(b, tasks.get(b), runs[b]) for b in args.baselines},
            "verification": verification}


def aggregate(baseline, tasks, runs):
    shares = [r["overhead_share"] for r in runs if r["overhead_share"] is not None]
    phase_names = {n for r in runs for n in r["overhead_phases"]}
    phases = {n: statistics.median([r["overhead_phases"].get(n, 0.0) for r in runs]) for n in phase_names}
    return {
        "processes": len(runs[0]["processes"]),
        "tasks": tasks or ["monolith"],
        "wall_seconds": summarize([r["wall_seconds"] for r in runs]),
        "peak_rss_mb": summarize([r["peak_rss_mb"] for r in runs]),
        "overhead_share": summarize(shares) if shares else None,
        "overhead_phases_median": dict(sorted(phases.items(), key=lambda kv: -kv[1])),
        "warmup_median": warmup_median(runs),
        "runs": runs,
    }


def warmup_median(runs):
    medians = {}
    for field in WARMUP_FIELDS:
        values = [r.get("warmup", {}).get(field) for r in runs]
        values = [v for v in values if v is not None]
        medians[field] = statistics.median(values) if values else None
    return medians


def warmup_markdown(baselines):
    lines = ["JVM warm-up per baseline (median over repetitions of the sum over its processes, each from its JVM's "
             "start; from the run reports' `warmup` and the monolith's timings):", "",
             "| baseline | JIT compile s | JIT CPU s | Spark codegen s | codegen classes | GC s | GC collections | classes loaded |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, b in baselines.items():
        w = b.get("warmup_median") or {}
        lines.append(f"| `{name}` | {fmt(w.get('jit_compile_seconds'))} | {fmt(w.get('jit_cpu_seconds'))} | "
                     f"{fmt(w.get('spark_codegen_seconds'))} | "
                     f"{fmt(w.get('spark_codegen_classes'), 0)} | {fmt(w.get('gc_seconds'))} | "
                     f"{fmt(w.get('gc_collections'), 0)} | {fmt(w.get('classes_loaded'), 0)} |")
    lines += ["", "JIT compile s is the JVM's own figure (elapsed time of each compilation, summed over the compiler "
              "threads, so it includes waiting for a core); JIT CPU s is those threads' CPU time from Linux; codegen "
              "is Spark compiling generated Java "
              "(Janino) in whole milliseconds per class; class-loading time is not measurable through a supported "
              "JVM API, so only counts are given.", ""]
    return lines


def ratios_and_targets(result):
    baselines = result["baselines"]
    median = {b: v["wall_seconds"]["median"] for b, v in baselines.items()}
    for b, v in baselines.items():
        v["vs_monolith"] = median[b] / median["monolith"] if "monolith" in median else None
        v["vs_per_step"] = median[b] / median["per-step"] if "per-step" in median else None
    targets = []
    for baseline, other, op, bound, text, fewest_events in TARGETS.get(result["scale"], []):
        if result["events"] < fewest_events:
            continue
        if baseline not in median or other not in median:
            targets.append({"target": text, "status": "NOT RUN"})
            continue
        ratio = median[baseline] / median[other]
        ok = ratio <= bound if op == "<=" else ratio >= bound
        entry = {"target": text, "ratio": ratio, "status": "PASS" if ok else "MISS"}
        if not ok:
            entry["why"] = explain_miss(baselines, *((baseline, other) if ratio >= 1 else (other, baseline)))
        targets.append(entry)
    result["targets"] = targets


def explain_miss(baselines, slower, faster):
    """Where the time went in both, from the run reports: overhead against compute, and the phases that differ."""
    def split(name):
        b = baselines[name]
        runs = b["runs"]
        overhead = statistics.median([r["reported_overhead_seconds"] for r in runs])
        compute = statistics.median([r["reported_wall_seconds"] - r["reported_overhead_seconds"] for r in runs])
        return f"{name} {b['wall_seconds']['median']:.1f} s (overhead {overhead:.1f} s, compute {compute:.1f} s)"
    a = baselines[slower]["overhead_phases_median"]
    b = baselines[faster]["overhead_phases_median"]
    growth = sorted(((a.get(n, 0.0) - b.get(n, 0.0), n) for n in set(a) | set(b)), reverse=True)[:3]
    parts = [f"{name} +{delta:.1f} s" for delta, name in growth if delta > 0.05]
    return (f"{split(slower)} against {split(faster)}; overhead phases that differ most: "
            + (", ".join(parts) if parts else "none"))


def fmt(x, digits=1):
    return "—" if x is None else f"{x:.{digits}f}"


def scale_markdown(result, machine, command, cds_note):
    lines = [f"### {result['scale'].capitalize()} scale: {result['events']:,} events per day", "",
             f"Median of {len(next(iter(result['baselines'].values()))['runs'])} repetitions; every task its own "
             "process in plan order; wall = launcher-measured process time summed over the tasks.", "",
             "| baseline | processes | wall s (median) | min | max | × monolith | × per-step | peak RSS MB | overhead share |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, b in result["baselines"].items():
        share = b["overhead_share"]["median"] if b["overhead_share"] else None
        lines.append(f"| `{name}` | {b['processes']} | {fmt(b['wall_seconds']['median'])} | "
                     f"{fmt(b['wall_seconds']['min'])} | {fmt(b['wall_seconds']['max'])} | "
                     f"{fmt(b.get('vs_monolith'), 2)} | {fmt(b.get('vs_per_step'), 2)} | "
                     f"{fmt(b['peak_rss_mb']['median'], 0)} | {fmt(share * 100 if share is not None else None, 0)}% |")
    lines.append("")
    for t in result["targets"]:
        line = f"- **{t['status']}** {t['target']}" + (f" (measured {t['ratio']:.2f}×)" if "ratio" in t else "")
        if "why" in t:
            line += f" — why: {t['why']}"
        lines.append(line)
    for v in result["verification"]:
        lines.append(f"- outputs of `{v['candidate']}` {'equal' if v['equal'] else 'DIFFER FROM'} the monolith's "
                     f"({v['summary']})")
    lines += [""] + warmup_markdown(result["baselines"])
    lines += ["Overhead share: from the run reports (every phase but computing and writing); for the monolith "
                  f"JVM start + SparkSession start and stop over its wall time. {cds_note}",
              f"Machine: {machine}. Command: `{command}`.", ""]
    return "\n".join(lines)


def machine_description():
    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip() + ", "
                    break
    except OSError:
        pass
    # The JDK every timed JVM runs on (bin/stepwise's and the monolith's; STEPWISE_JAVA=17 picks JDK 17).
    java = subprocess.run([MONOLITH_JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    load = os.getloadavg()[0]
    return (f"{model}{cpus} cores{mem}, {platform.system()} {platform.release()}, {java}, "
            f"load average {load:.1f} at the start")


# ---------------------------------------------------------------------------------------------- start-up

# (name, environment for bin/stepwise, extra JVM options, extra `run` arguments). The first is the reference
# every other is compared with: JDK 17 with its archive (the launcher's default until 2026-12-07, kept as the
# reference so tables stay comparable). JDK 25 rows set STEPWISE_JAVA=25 (bin/stepwise falls back to JDK 17 when
# no JDK 25 is there, which the table's JDK column then says).
JDK17 = {"STEPWISE_JAVA": "17"}
JDK25 = {"STEPWISE_JAVA": "25"}
NO_CACHE = {"STEPWISE_CDS": "off"}
INTERMEDIATE = "--set=pipeline.intermediate.options."
STARTUP_VARIANTS = [
    ("JDK 17 + class-data archive (reference)", JDK17, None, ()),
    ("JDK 17, no archive (STEPWISE_CDS=off)", {**JDK17, **NO_CACHE}, None, ()),
    ("JDK 25 + AOT cache", JDK25, None, ()),
    ("JDK 25, no AOT cache (STEPWISE_CDS=off)", {**JDK25, **NO_CACHE}, None, ()),
    ("JDK 25 + AOT, -XX:TieredStopAtLevel=1", JDK25, "-XX:TieredStopAtLevel=1", ()),
    # CICompilerCount is already 2 (its minimum with tiered compilation) on 2 cores: one C1 thread, one C2.
    ("JDK 25 + AOT, C1 only on one compiler thread", JDK25, "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1", ()),
    ("JDK 25 + AOT, -XX:+UseParallelGC", JDK25, "-XX:+UseParallelGC", ()),
    ("JDK 25 + AOT, -XX:+UseSerialGC", JDK25, "-XX:+UseSerialGC", ()),
    ("JDK 25 + AOT, -Xms2g -Xmx2g", JDK25, "-Xms2g -Xmx2g", ()),
    ("JDK 25 + AOT, -Xshare:off (no AOT nor JDK archive)", {**JDK25, **NO_CACHE}, "-Xshare:off", ()),
    ("JDK 25 + AOT, spark.sql.codegen.wholeStage=false", JDK25, "-Dspark.sql.codegen.wholeStage=false", ()),
    ("JDK 25 + AOT, codegen.factoryMode=NO_CODEGEN, wholeStage off", JDK25,
     "-Dspark.sql.codegen.wholeStage=false -Dspark.sql.codegen.factoryMode=NO_CODEGEN", ()),
    ("JDK 25 + AOT, spark.sql.codegen.maxFields=20", JDK25, "-Dspark.sql.codegen.maxFields=20", ()),
    ("JDK 25 + AOT, spark.sql.inMemoryColumnarStorage.compressed=false", JDK25,
     "-Dspark.sql.inMemoryColumnarStorage.compressed=false", ()),
    ("JDK 17 + class-data archive, -XX:TieredStopAtLevel=1", JDK17, "-XX:TieredStopAtLevel=1", ()),
    # JDK 25 maps its cache at a random address and relocates it (0.05-0.06 s for Stepwise's 190 MB cache on
    # the quiet machine, more under load; -Xlog:aot); JDK 17 maps its archive at the address it was recorded for.
    ("JDK 25 + AOT, cache not relocated (ArchiveRelocationMode=0)", JDK25,
     "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0", ()),
]
# Task boundaries: the codec and file layout of intermediate (cross-task) datasets only, set through the
# pipeline's intermediate storage options (`--set`); final outputs keep theirs.
BOUNDARY_VARIANTS = [
    ("intermediate parquet, snappy (reference: Spark's default)", {}, None, ()),
    ("JDK 25 + AOT cache, snappy", JDK25, None, ()),
    ("intermediate parquet, zstd", {}, None, (INTERMEDIATE + "compression=zstd",)),
    ("intermediate parquet, lz4_raw", {}, None, (INTERMEDIATE + "compression=lz4_raw",)),
    ("intermediate parquet, uncompressed", {}, None, (INTERMEDIATE + "compression=none",)),
    ("in-memory cache uncompressed (inMemoryColumnarStorage.compressed=false)", {},
     "-Dspark.sql.inMemoryColumnarStorage.compressed=false", ()),
]
VARIANT_SETS = {"startup": STARTUP_VARIANTS, "boundaries": BOUNDARY_VARIANTS}


def boundary_seconds(reports, intermediates):
    """Seconds writing intermediate datasets, reading task inputs, and publishing, summed over reports."""
    write = read = publish = 0.0
    for report in reports:
        for phase in report["phases"]:
            name = phase["name"]
            if name.startswith("write ") and name[len("write "):] in intermediates:
                write += phase["seconds"]
            elif name.endswith("read inputs"):
                read += phase["seconds"]
            elif name == "publish":
                publish += phase["seconds"]
    return write, read, publish


def intermediate_datasets(grouping):
    """Datasets written by one task of the grouping for another (the task boundaries) -> their folder below the
    data root."""
    out = subprocess.run([STEPWISE, "plan", "--grouping", grouping, "--format", "json"], cwd=ROOT,
                         env=env_with(**EXAMPLE_ENV), check=True, capture_output=True, text=True).stdout
    found = {}
    for task in json.loads(out)["tasks"]:
        for write in task.get("writes", []):
            if "cross_task" in write.get("reasons", []):
                location = write["location"].split("/run_date=")[0]
                found[write["dataset"]] = re.sub(r"^(\./)?data/", "", location)
    return found


def java_of(env):
    """The JDK bin/stepwise picks under this environment (its own rule), for the table."""
    choice = env.get("STEPWISE_JAVA", os.environ.get("STEPWISE_JAVA", ""))
    feature = picked_jdk(choice)[1]
    return "17 (no JDK 25 found)" if choice == "25" and feature == 17 else str(feature)


def bench_startup(args, work, kind="startup"):
    """Variants of one grouping's run (every task its own JVM) on one generated day, interleaved repetitions.

    Start-up: JDK, class-data/AOT cache, JIT, GC, heap and Spark codegen settings. Boundaries: the codec and layout
    of intermediate datasets. Each row: JVM start -> first step (median over the task processes), whole-run wall and
    CPU (all processes), and the boundary phases (writing intermediates, reading inputs) from the run reports.
    """
    variants = VARIANT_SETS[kind]
    if args.variants:
        variants = [variants[0]] + [v for i, v in enumerate(variants) if i > 0 and (str(i) in args.variants)]
    events = args.startup_events or args.events or SCALES["integration"]
    grouping = args.startup_grouping
    scale_dir = os.path.join(work, kind)
    data = os.path.join(scale_dir, "data")
    logs = os.path.join(scale_dir, "logs")
    os.makedirs(logs, exist_ok=True)
    log(f"{kind} experiments: `{grouping}` on {events} events, {args.reps} interleaved repetitions of "
        f"{len(variants)} variants")
    checked(stepwise(["generate", "--run-date", args.run_date, "--events", str(events)], data, True,
                     log_path=os.path.join(logs, "generate.log")), "generate", os.path.join(logs, "generate.log"))
    tasks = plan_tasks(grouping)[:args.startup_tasks or None]
    intermediates = intermediate_datasets(grouping)
    # Every variant's launcher records its own cache before the timings (a JDK's cache is per build and JDK).
    for name, env, _, _ in variants:
        warm = os.path.join(logs, "warm-up.log")
        stepwise(["run", "--help"], data, True, log_path=warm, extra_env=env)  # records the cache; help exits 2
    rows = {name: [] for name, _, _, _ in variants}
    loads = []
    kept = {}
    for rep in range(1, args.reps + 1):
        for name, env, opts, extra in variants:
            root = os.path.join(scale_dir, f"run-{len(kept)}") if rep == 1 and args.verify else os.path.join(scale_dir, "run")
            fresh_root(root, os.path.join(data, "raw"))
            load_before = os.getloadavg()[0]
            if args.one_jvm:
                r = run_all_in_one_jvm(grouping, root, args.run_date, logs, opts, env, extra)
            else:
                r = run_grouping(grouping, tasks, root, args.run_date, True, logs, java_opts=opts, extra_env=env,
                                 extra_args=extra)
            loads.append(load_before)
            reports = reports_of(root, grouping, args.run_date)
            write, read, publish = boundary_seconds(reports, intermediates)
            first = [first_step_seconds(rep_) for rep_ in reports]
            rows[name].append({
                "wall_seconds": r["wall_seconds"],
                "cpu_seconds": r["cpu_seconds"],
                "first_step_seconds": statistics.median([f for f in first if f is not None]),
                "jvm_start_seconds": statistics.median([phase_seconds(x, "jvm start") for x in reports]),
                "config_and_plan_seconds": statistics.median([phase_seconds(x, "config and plan") for x in reports]),
                "spark_session_start_seconds": statistics.median([phase_seconds(x, "spark session start") for x in reports]),
                "compute_seconds": sum(x["compute_seconds"] for x in reports),
                "write_intermediate_seconds": write,
                "read_inputs_seconds": read,
                "publish_seconds": publish,
                "intermediate_bytes": folder_bytes(root, intermediates),
                "intermediate_files": folder_files(root, intermediates),
                "jit_cpu_seconds": r["warmup"].get("jit_cpu_seconds"),
                "spark_codegen_seconds": r["warmup"].get("spark_codegen_seconds"),
                "gc_seconds": r["warmup"].get("gc_seconds"),
                "peak_rss_mb": r["peak_rss_mb"],
                "load_average": load_before,
            })
            x = rows[name][-1]
            log(f"{kind} rep {rep} {name[:60]:60s} wall {x['wall_seconds']:5.1f} s, CPU {x['cpu_seconds']:5.1f} s, "
                f"first step at {x['first_step_seconds']:.2f} s, boundaries write {write:.1f} s read {read:.1f} s, "
                f"load {load_before:.1f}")
            if rep == 1 and args.verify:
                kept[name] = root
    verification = []
    if kept:
        reference = kept[variants[0][0]]
        for name, root in kept.items():
            if root != reference:
                verification.append(compare_outputs(reference, root, logs, f"{kind}-{len(verification)}"))
                verification[-1]["candidate"] = name
    if not args.keep:
        shutil.rmtree(scale_dir, ignore_errors=True)
    result = {"kind": kind, "grouping": grouping, "tasks": tasks, "one_jvm": args.one_jvm, "events": events,
              "reps": args.reps,
              "variants": {},
              "load_average": summarize(loads), "verification": verification}
    for name, env, opts, extra in variants:
        samples = rows[name]
        v = {k: summarize([s[k] for s in samples]) for k in samples[0] if samples[0][k] is not None}
        v["java"] = java_of(env)
        v["settings"] = " ".join(filter(None, [" ".join(f"{k}={val}" for k, val in env.items()), opts or "", " ".join(extra)]))
        result["variants"][name] = v
    result["hive"] = hive_support()
    return result


def run_all_in_one_jvm(grouping, root, run_date, logs, java_opts, extra_env, extra_args):
    """`run --all`: every task of the grouping in one JVM, boundaries still written and read back."""
    log_path = os.path.join(logs, f"{grouping}-all.log")
    r = checked(stepwise(["run", "--all", "--grouping", grouping, "--run-date", run_date] + list(extra_args), root,
                         True, java_opts, log_path, extra_env), f"run --all of {grouping}", log_path)
    reports = reports_of(root, grouping, run_date)
    return dict(r, processes=[r], warmup=warmup_totals([x.get("warmup") for x in reports]))


def folder_bytes(root, datasets):
    total = 0
    for folder in datasets.values():
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    return total


def folder_files(root, datasets):
    return sum(len([f for f in files if f.startswith("part-")])
               for folder in datasets.values() for _, _, files in os.walk(os.path.join(root, folder)))


def hive_support():
    jars = read_classpath(SPARK_CP).split(":")
    hive = [j for j in jars if re.search(r"/spark-hive_", j)]
    if hive:
        return f"spark-hive is on the class path ({os.path.basename(hive[0])}): check enableHiveSupport"
    return ("not enabled: spark-hive is not on the class path and no session calls enableHiveSupport(), so "
            "Spark uses its in-memory catalog; nothing to save")


def startup_markdown(result):
    """A row per variant: min / median / max of each figure, and how its median compares with the reference's."""
    kind = result.get("kind", "startup")
    title = "Start-up" if kind == "startup" else "Task boundaries"
    load = result["load_average"]
    jvms = ("every task in one JVM (`run --all`)" if result.get("one_jvm") else
            "tasks " + ", ".join(result.get("tasks", [])) + ", each its own JVM")
    lines = [f"### {title}: `{result['grouping']}` ({jvms}), {result['events']:,} events, "
             f"{result['reps']} interleaved repetitions, min / median / max", "",
             f"1-minute load average before each run: {load['min']:.1f} / {load['median']:.1f} / {load['max']:.1f}"
             " (2 cores). A difference inside the min–max spread of both rows is noise.", "",
             "| variant | JDK | JVM start → first step s | wall s (all tasks) | CPU s (all processes) | "
             "write intermediates s | read inputs s | intermediate MB / files | JIT CPU s | codegen s | GC s | "
             "median wall vs reference |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def span(v, key, digits=1):
        if key not in v:
            return "–"
        x = v[key]
        return f"{x['min']:.{digits}f} / **{x['median']:.{digits}f}** / {x['max']:.{digits}f}"

    reference = next(iter(result["variants"].values()))
    for name, v in result["variants"].items():
        ratio = v["wall_seconds"]["median"] / reference["wall_seconds"]["median"]
        size = f"{v['intermediate_bytes']['median'] / 1e6:.1f} / {v['intermediate_files']['median']:.0f}"
        lines.append(f"| {name} | {v['java']} | {span(v, 'first_step_seconds', 2)} | {span(v, 'wall_seconds')} | "
                     f"{span(v, 'cpu_seconds')} | {span(v, 'write_intermediate_seconds')} | "
                     f"{span(v, 'read_inputs_seconds')} | {size} | {fmt(v.get('jit_cpu_seconds', {}).get('median'))} | "
                     f"{fmt(v.get('spark_codegen_seconds', {}).get('median'))} | "
                     f"{fmt(v.get('gc_seconds', {}).get('median'))} | {ratio:.2f}× |")
    lines.append("")
    for check in result.get("verification", []):
        lines.append(f"- outputs of {check['candidate']} vs the reference: "
                     f"{'identical' if check['equal'] else 'DIFFERENT'} ({check['summary']})")
    lines += ["", f"- Hive support: {result['hive']}.",
              "- Settings: JVM options and `-Dspark...` through `STEPWISE_JAVA_OPTS` (SparkConf reads `spark.*` system"
              " properties, and the launcher's settings win over the grouping's); codecs through"
              " `--set pipeline.intermediate.options.compression=...` (intermediate datasets only).", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- planner

def bench_planner(args, work):
    planner_dir = os.path.join(work, "planner")
    os.makedirs(planner_dir, exist_ok=True)
    cp = ":".join([BENCH_JAR, read_classpath(BENCH_CP), read_classpath(SPARK_CP)])
    rows = []
    for steps in args.planner_steps:
        # One JVM per size, so that every size's first run is cold: load + validate + plan after JVM start.
        out = subprocess.run(["java", "-cp", cp, "dev.stepwise.bench.PlannerScale", "--dir", planner_dir,
                              "--steps", str(steps), "--reps", str(max(args.reps, 3))],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        for command in ("validate", "plan"):
            walls = []
            for _ in range(args.reps):
                extra = ["--format", "json"] if command == "plan" else []
                r = checked(stepwise([command, "--config", row["pipeline"], "--grouping", row["grouping"]] + extra,
                                     planner_dir, args.cds, log_path=os.path.join(planner_dir, f"{command}.log")),
                            f"stepwise {command} of {steps} steps", os.path.join(planner_dir, f"{command}.log"))
                walls.append(r["wall_seconds"])
            row[f"{command}_command"] = summarize(walls)
        rows.append(row)
        log(f"planner {steps:6d} steps, {row['tasks']} tasks: in process {row['first_seconds']:.2f} s cold, "
            f"{row['warm_median_seconds']:.2f} s warm; `validate` {row['validate_command']['median']:.2f} s, "
            f"`plan` {row['plan_command']['median']:.2f} s wall")
    shutil.rmtree(planner_dir, ignore_errors=True)
    result = {"sizes": rows}
    small = next((r for r in rows if r["steps"] == 1000), None)
    if small:
        result["target"] = {"target": "load + validate + plan of 1,000 steps under 1 s after JVM start (cold)",
                            "seconds": small["first_seconds"],
                            "status": "PASS" if small["first_seconds"] < 1.0 else "MISS"}
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        result["growth"] = {"steps_ratio": b["steps"] / a["steps"],
                            "warm_time_ratio": b["warm_median_seconds"] / a["warm_median_seconds"],
                            "cold_time_ratio": b["first_seconds"] / a["first_seconds"]}
    return result


def planner_markdown(result):
    lines = ["### Planner scale: synthetic pipelines (10 lanes of chained steps, a fan-in every 5th step, 10 steps per task)", "",
             "| steps | tasks | in process, cold s | warm s (median) | of which load / grouping / plan | `validate` wall s | `plan --format json` wall s |",
             "| ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for r in result["sizes"]:
        lines.append(f"| {r['steps']:,} | {r['tasks']:,} | {r['first_seconds']:.2f} | {r['warm_median_seconds']:.2f} | "
                     f"{r['warm_median_load_seconds']:.2f} / {r['warm_median_grouping_seconds']:.2f} / "
                     f"{r['warm_median_plan_seconds']:.2f} | {r['validate_command']['median']:.2f} | "
                     f"{r['plan_command']['median']:.2f} |")
    lines.append("")
    if "target" in result:
        t = result["target"]
        lines.append(f"- **{t['status']}** {t['target']} (measured {t['seconds']:.2f} s)")
    if "growth" in result:
        g = result["growth"]
        lines.append(f"- {g['steps_ratio']:.0f}× the steps took {g['warm_time_ratio']:.1f}× the time warm, "
                     f"{g['cold_time_ratio']:.1f}× cold (linear would be {g['steps_ratio']:.0f}×)")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- main

DELTA_CONFIG = os.path.join(ROOT, "conf", "payments-delta.conf")
STORAGE_VARIANTS = (("parquet", None), ("delta", DELTA_CONFIG))
DELTA_GROUPINGS = ("daily", "single")


def storage_phases(reports):
    """Seconds writing datasets (staging included), reading task inputs, and publishing, summed over reports."""
    write = read = publish = 0.0
    for report in reports:
        for phase in report["phases"]:
            name = phase["name"]
            if name.startswith("write "):
                write += phase["seconds"]
            elif name.endswith("read inputs"):
                read += phase["seconds"]
            elif name == "publish":
                publish += phase["seconds"]
    return {"write_seconds": write, "read_seconds": read, "publish_seconds": publish}


def compare_delta_with_parquet(parquet_root, delta_root, run_date, logs, grouping):
    """bin/lib/compare-delta-outputs.py: each Delta table's run date equals the parquet run's folder."""
    log_path = os.path.join(logs, f"compare-delta-{grouping}.log")
    # bin/lib/spark-dist installs the pinned pyspark venv the comparer runs in, when it is missing.
    subprocess.run([os.path.join(ROOT, "bin", "lib", "spark-dist")], check=True, stdout=subprocess.DEVNULL)
    python = os.path.join(ROOT, ".venv", "spark", "bin", "python")
    app_jar = os.path.join(ROOT, "entrypoint", "target", "stepwise-entrypoint.jar")
    argv = [python, os.path.join(ROOT, "bin", "lib", "compare-delta-outputs.py"), app_jar, parquet_root, delta_root,
            run_date, json.dumps({}), "", grouping]
    result = run_process(argv, log_path=log_path)
    summary = open(log_path, encoding="utf-8", errors="replace").read().strip().splitlines()
    return {"candidate": f"{grouping} on delta", "equal": result["exit_code"] == 0,
            "summary": summary[-1] if summary else "", "log": log_path}


def bench_delta(args, work):
    """Delta Lake against parquet for the cross-task datasets and the outputs: the same groupings on the same
    data, conf/payments.conf against conf/payments-delta.conf, interleaved, at every scale asked for."""
    run_date = args.run_date
    scales = {}
    for scale in args.scales or ["integration"]:
        events = (args.events or SCALES["integration"]) if scale == "integration" else args.volume_events
        scale_dir = os.path.join(work, f"delta-{scale}")
        data = os.path.join(scale_dir, "data")
        logs = os.path.join(scale_dir, "logs")
        os.makedirs(logs, exist_ok=True)
        log(f"delta vs parquet, {scale} scale: generating {events} events for {run_date}")
        gen_log = os.path.join(logs, "generate.log")
        checked(stepwise(["generate", "--run-date", run_date, "--events", str(events)], data, args.cds,
                         log_path=gen_log), "generate", gen_log)
        raw = os.path.join(data, "raw")
        tasks = {g: plan_tasks(g) for g in DELTA_GROUPINGS}
        runs = {(g, v): [] for g in DELTA_GROUPINGS for v, _ in STORAGE_VARIANTS}
        verification = []
        reps = args.volume_reps if scale == "volume" else args.reps
        for rep in range(1, reps + 1):
            for grouping in DELTA_GROUPINGS:
                kept = {}
                for variant, config in STORAGE_VARIANTS:
                    root = os.path.join(scale_dir, f"{grouping}-{variant}-rep{rep}")
                    rep_logs = os.path.join(logs, f"rep{rep}-{variant}")
                    os.makedirs(rep_logs, exist_ok=True)
                    fresh_root(root, raw)
                    extra_env = {"STEPWISE_CONFIG": config} if config else None
                    result = run_grouping(grouping, tasks[grouping], root, run_date, args.cds, rep_logs,
                                          extra_env=extra_env)
                    result["storage"] = storage_phases(reports_of(root, grouping, run_date))
                    runs[(grouping, variant)].append(result)
                    st = result["storage"]
                    log(f"delta vs parquet, {scale} rep {rep}/{reps} {grouping:6s} {variant:8s} "
                        f"{result['wall_seconds']:7.1f} s wall, {result['cpu_seconds']:7.1f} s CPU; write "
                        f"{st['write_seconds']:.1f} s, read inputs {st['read_seconds']:.1f} s, publish "
                        f"{st['publish_seconds']:.1f} s")
                    kept[variant] = root
                if rep == 1 and args.verify and scale == "integration":
                    verification.append(compare_delta_with_parquet(kept["parquet"], kept["delta"], run_date, logs,
                                                                   grouping))
                for root in kept.values():
                    shutil.rmtree(root, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        rows = {}
        for (grouping, variant), results in runs.items():
            rows[f"{grouping} {variant}"] = {
                "grouping": grouping, "storage": variant, "processes": len(tasks[grouping]),
                "wall_seconds": summarize([r["wall_seconds"] for r in results]),
                "cpu_seconds": summarize([r["cpu_seconds"] for r in results]),
                "peak_rss_mb": summarize([r["peak_rss_mb"] for r in results]),
                **{k: summarize([r["storage"][k] for r in results])
                   for k in ("write_seconds", "read_seconds", "publish_seconds")},
            }
        scales[scale] = {"events": events, "reps": reps, "rows": rows, "verification": verification}
    return {"run_date": run_date, "scales": scales}


def delta_markdown(result, machine, command, cds_note):
    def span(summary):
        return f"{fmt(summary['min'])} / {fmt(summary['median'])} / {fmt(summary['max'])}"
    lines = ["## Delta Lake against parquet", "",
             f"Command: `{command}`. Machine: {machine}. {cds_note}", "",
             "The same groupings on the same generated data: `conf/payments.conf` (parquet, Stepwise's staging and"
             " renames) against `conf/payments-delta.conf` (cross-task datasets, quarantines, ledger and reports as"
             " Delta tables, one commit per dataset). Min / median / max of the interleaved repetitions; write is"
             " every dataset's write phase (staging included), publish the commit or the renames.", ""]
    for scale, part in result["scales"].items():
        lines += [f"### {scale} scale, {part['events']:,} events, {part['reps']} repetition(s)", "",
                  "| grouping | storage | wall s | CPU s | write s | read inputs s | publish s | × parquet (median wall) |",
                  "| --- | --- | --- | --- | --- | --- | --- | ---: |"]
        for key, row in part["rows"].items():
            reference = part["rows"][f"{row['grouping']} parquet"]["wall_seconds"]["median"]
            lines.append(f"| `{row['grouping']}` | {row['storage']} | {span(row['wall_seconds'])} | "
                         f"{span(row['cpu_seconds'])} | {span(row['write_seconds'])} | {span(row['read_seconds'])} | "
                         f"{span(row['publish_seconds'])} | {row['wall_seconds']['median'] / reference:.2f} |")
        for v in part["verification"]:
            lines.append("")
            lines.append(f"Outputs of {v['candidate']} against parquet: {'equal' if v['equal'] else 'DIFFERENT'}"
                         f" ({v['summary']}).")
        lines.append("")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bin/bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="integration scale only (no volume, planner or start-up runs): under 10 minutes")
    p.add_argument("--reps", type=int, default=3, help="repetitions of every measurement (default 3)")
    p.add_argument("--events", type=int, help=f"events per day at integration scale (default {SCALES['integration']})")
    p.add_argument("--volume-reps", type=int,
                   help="repetitions at volume scale (default: --reps); volume runs take minutes each")
    p.add_argument("--volume-events", type=int, default=SCALES["volume"],
                   help=f"events per day at volume scale (default {SCALES['volume']:,})")
    p.add_argument("--scales", default=None, help="comma-separated: integration,volume, or none (default both; --quick: integration)")
    p.add_argument("--baselines", default=",".join(BASELINES), help=f"comma-separated subset of {','.join(BASELINES)}")
    p.add_argument("--no-planner", action="store_true", help="skip the planner-scale runs")
    p.add_argument("--no-startup", action="store_true", help="skip the start-up experiments")
    p.add_argument("--scheduler", action="store_true",
                   help="run the groupings under a real Airflow scheduler (bench/scheduled.py), also with --quick")
    p.add_argument("--no-scheduler", action="store_true", help="skip the runs under a real Airflow scheduler")
    p.add_argument("--delta", action="store_true",
                   help="run Delta Lake against parquet (daily and single, both storages) also with --quick")
    p.add_argument("--no-delta", action="store_true", help="skip the Delta Lake against parquet runs")
    p.add_argument("--delta-only", action="store_true",
                   help="only Delta Lake against parquet, at --scales (no baselines, start-up, planner or scheduler)")
    p.add_argument("--startup-only", action="store_true",
                   help="only the start-up experiments (no scales, no planner); with --boundaries, those too")
    p.add_argument("--boundaries", action="store_true",
                   help="also the task-boundary experiments (codec of intermediate datasets, cache compression)")
    p.add_argument("--startup-grouping", default="daily",
                   help="the grouping the start-up and boundary experiments run, every task its own JVM (default daily)")
    p.add_argument("--startup-events", type=int,
                   help="events per day for the start-up and boundary experiments (default: --events, else 500)")
    p.add_argument("--startup-tasks", type=int,
                   help="only the first N tasks of the grouping in the start-up experiments (e.g. 1: daily's ingest)")
    p.add_argument("--one-jvm", action="store_true",
                   help="start-up/boundary experiments run `run --all` (every task in one JVM, boundaries still"
                        " written and read back) instead of a JVM per task")
    p.add_argument("--variants", default=None,
                   help="comma-separated row numbers of the start-up/boundary tables to run (row 0, the reference,"
                        " always runs), e.g. 2,4")
    p.add_argument("--planner-steps", default="1000,5000,10000", help="synthetic pipeline sizes (default 1000,5000,10000)")
    p.add_argument("--cds", choices=["on", "off"], default="on",
                   help="class-data archives for every JVM, the monolith's own included (default on)")
    p.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting for every JVM, e.g. spark.sql.shuffle.partitions=8 (repeatable); it wins"
                        " over the groupings' own settings")
    p.add_argument("--run-date", default="2026-11-21")
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="skip comparing every baseline's outputs with the monolith's (default: compare at integration scale)")
    p.add_argument("--work", help="scratch folder (default: a new temporary folder, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder (logs, generated data)")
    p.add_argument("--out", default=RESULTS, help="where the .json and .md results go (default bench/results)")
    args = p.parse_args(argv)
    if args.reps < 1:
        p.error("--reps must be at least 1")
    args.volume_reps = args.volume_reps or args.reps
    if args.volume_reps < 1:
        p.error("--volume-reps must be at least 1")
    args.baselines = [b.strip() for b in args.baselines.split(",") if b.strip()]
    unknown = [b for b in args.baselines if b not in BASELINES]
    if unknown:
        p.error(f"unknown baseline(s) {unknown}; choose from {', '.join(BASELINES)}")
    scales = args.scales or ("integration" if args.quick else "integration,volume")
    args.scales = [s.strip() for s in scales.split(",") if s.strip() and s.strip() != "none"]
    if any(s not in SCALES for s in args.scales):
        p.error(f"--scales takes integration and/or volume, got {scales}")
    args.planner = not (args.quick or args.no_planner or args.startup_only)
    args.startup = not (args.quick or args.no_startup)
    args.scheduled = args.scheduler or not (args.quick or args.no_scheduler or args.startup_only)
    args.delta_part = args.delta or args.delta_only or not (args.quick or args.no_delta or args.startup_only)
    if args.delta_only:
        args.planner = args.startup = args.scheduled = False
    if args.startup_only:
        args.scales = []
    args.variants = set(args.variants.split(",")) if args.variants else None
    args.planner_steps = [int(s) for s in args.planner_steps.split(",")]
    args.cds = args.cds == "on"
    for setting in args.spark_conf:
        if "=" not in setting or not setting.startswith("spark."):
            p.error(f"--spark-conf takes spark.KEY=VALUE, got {setting}")
    return args


def save(out, part, result, md):
    """Writes one part's results as <part>.json and <part>.md; returns the markdown."""
    write(os.path.join(out, f"{part}.json"), json.dumps(result, indent=2))
    write(os.path.join(out, f"{part}.md"), md)
    return md


def main(argv):
    args = parse_args(argv)
    SPARK_CONF.extend(f"-D{setting}" for setting in args.spark_conf)
    started = time.monotonic()
    command = "bin/bench " + " ".join(argv) if argv else "bin/bench"
    work = args.work or tempfile.mkdtemp(prefix="stepwise-bench-")
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    machine = machine_description()
    cds_note = (f"Fairness: every JVM ran on JDK {MONOLITH_FEATURE} with "
                f"{'a class-data archive' if MONOLITH_FEATURE == 17 else 'an ahead-of-time cache'} of its own classes "
                "(bin/stepwise's, and one recorded the same way for the monolith)." if args.cds else
                "Fairness: every JVM ran without a class-data archive (`--cds off`, STEPWISE_CDS=off).")
    cds_note += (" Spark settings: " + ", ".join(f"`{c}`" for c in args.spark_conf) + " for every JVM, over the"
                 " groupings' own." if args.spark_conf else
                 " Spark settings: local runs default to two shuffle partitions per core (4 here), the monolith"
                 " included; `daily` gives its tasks 32/16/4.")
    log(f"machine: {machine}")
    log(cds_note)
    # The first bin/stepwise call builds the jar and records its class-data archive when stale: never inside a timing.
    warm = os.path.join(work, "warm-up.log")
    checked(stepwise(["validate"], work, args.cds, log_path=warm), "warming up bin/stepwise", warm)
    if args.cds and "monolith" in args.baselines and args.scales and not args.delta_only:
        ensure_monolith_cds(work)
    markdown = []
    failed_checks = []
    everything = {"machine": machine, "command": command, "cds": args.cds, "fairness": cds_note,
                  "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    for scale in [] if args.delta_only else args.scales:
        events = (args.events or SCALES["integration"]) if scale == "integration" else args.volume_events
        opts = argparse.Namespace(**vars(args))
        opts.verify = args.verify and scale == "integration"
        opts.reps = args.volume_reps if scale == "volume" else args.reps
        result = bench_scale(scale, events, opts, work)
        ratios_and_targets(result)
        result.update(machine=machine, command=command, fairness=cds_note)
        markdown.append(save(args.out, scale, result, scale_markdown(result, machine, command, cds_note)))
        everything[scale] = result
    if args.delta_part:
        result = bench_delta(args, work)
        result.update(machine=machine, command=command)
        markdown.append(save(args.out, "delta", result, delta_markdown(result, machine, command, cds_note)))
        failed_checks += [v for part in result["scales"].values() for v in part["verification"] if not v["equal"]]
    if args.startup:
        result = bench_startup(args, work)
        markdown.append(save(args.out, "startup", result, startup_markdown(result)))
    if args.boundaries:
        result = bench_startup(args, work, kind="boundaries")
        markdown.append(save(args.out, "boundaries", result, startup_markdown(result)))
    if args.planner:
        result = bench_planner(args, work)
        markdown.append(save(args.out, "planner", result, planner_markdown(result)))
    if args.scheduled:
        result = scheduled.bench_scheduled(args.reps, args.events or SCALES["integration"], args.run_date, work)
        result.update(machine=machine, command=command)
        markdown.append(save(args.out, "scheduled", result, scheduled.scheduled_markdown(result, machine, command)))
        failed_checks += result["failed_comparisons"]
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("\n".join(markdown))
    log(f"done in {time.monotonic() - started:.0f} s; results in {args.out}/"
        + ("" if not args.keep else f"; scratch kept in {work}"))
    failed_checks += [v for s in args.scales if s in everything for v in everything[s]["verification"] if not v["equal"]]
    return 1 if failed_checks else 0


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text if text.endswith("\n") else text + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
