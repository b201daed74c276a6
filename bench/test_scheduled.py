"""The arithmetic of bench/scheduled.py on generated DAG runs (no Airflow, no Spark: seconds to run).

    python3 bench/test_scheduled.py

Each case is a random task graph (every task's upstream drawn from the tasks before it) with a random
schedule a scheduler could have produced: a task is queued some time after its last upstream ended,
starts some time after it was queued, and its Stepwise run report covers part of its Airflow duration.
The timing must then add up: the critical path's gaps and task times equal the wall time exactly, the
path is a chain of upstream links from a root to the last task to end, and the parts of a gap add up
to the gap.
"""

import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scheduled  # noqa: E402

CASES = 200
SEED = 20261202


def generated_run(rng, storage_root, grouping, run_date):
    """A manifest, the metadata DB's task_instance rows as SQLite returns them, and the tasks' run reports."""
    count = rng.randint(1, 14)
    names = [f"task_{i}" for i in range(count)]
    tasks = []
    for i, name in enumerate(names):
        upstream = sorted(rng.sample(names[:i], rng.randint(0, min(i, 3)))) if i else []
        tasks.append({"name": name, "upstream": upstream})
    manifest = {"grouping": grouping, "tasks": tasks}
    t0 = datetime.datetime(2026, 12, 2, 4, 0, 0, tzinfo=datetime.timezone.utc)
    times = {}
    rows = []
    for task in tasks:
        ready = max((times[u]["end"] for u in task["upstream"]), default=t0 + datetime.timedelta(seconds=rng.uniform(0, 3)))
        queued = ready + datetime.timedelta(seconds=rng.uniform(0, 5))
        start = queued + datetime.timedelta(seconds=rng.uniform(0, 5))
        end = start + datetime.timedelta(seconds=rng.uniform(1, 120))
        times[task["name"]] = {"queued": queued, "start": start, "end": end}
        as_text = rng.choice([lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f"), lambda d: d.isoformat()])
        rows.append({"task_id": task["name"], "state": "success", "queued_dttm": as_text(queued),
                     "start_date": as_text(start), "end_date": as_text(end), "try_number": 1})
        wall = (end - start).total_seconds() * rng.uniform(0.5, 0.95)
        overhead = wall * rng.uniform(0.1, 0.9)
        folder = os.path.join(storage_root, "_reports", "payments", grouping, task["name"], f"run_date={run_date}")
        os.makedirs(folder)
        with open(os.path.join(folder, "report.json"), "w", encoding="utf-8") as f:
            split = rng.uniform(0, 1)
            phases = [{"name": "jvm start", "kind": "overhead", "seconds": overhead * split},
                      {"name": "spark session start", "kind": "overhead", "seconds": overhead * (1 - split)},
                      {"name": "step x", "kind": "compute", "seconds": wall - overhead}]
            json.dump({"wall_seconds": wall, "overhead_seconds": overhead, "compute_seconds": wall - overhead,
                       "phases": phases}, f)
    rng.shuffle(rows)
    return manifest, rows, times


def overlap_by_sampling(times):
    instants = sorted({t["start"] for t in times.values()})
    return max(sum(1 for t in times.values() if t["start"] <= at < t["end"]) for at in instants)


class TimeDagRunTest(unittest.TestCase):

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="test-scheduled-")

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def test_generated_dag_runs_add_up(self):
        rng = random.Random(SEED)
        for case in range(CASES):
            storage = os.path.join(self.root, f"case{case}")
            manifest, rows, times = generated_run(rng, storage, "g", "2026-11-21")
            with self.subTest(case=case, tasks=len(rows)):
                timing = scheduled.time_dag_run(rows, manifest, storage, "2026-11-21")
                first = min(t["queued"] for t in times.values())
                last = max(t["end"] for t in times.values())
                self.assertAlmostEqual(timing["wall_seconds"], (last - first).total_seconds(), places=5)
                self.assertAlmostEqual(timing["critical_path_gap_seconds"] + timing["critical_path_task_seconds"],
                                       timing["wall_seconds"], places=5)
                path = timing["critical_path"]
                upstream = {t["name"]: t["upstream"] for t in manifest["tasks"]}
                self.assertEqual(upstream[path[0]], [])
                for before, after in zip(path, path[1:]):
                    self.assertIn(before, upstream[after])
                self.assertEqual(times[path[-1]]["end"], last)
                self.assertAlmostEqual(timing["critical_path_to_queued_seconds"]
                                       + timing["critical_path_queued_to_running_seconds"],
                                       timing["critical_path_gap_seconds"], places=5)
                self.assertAlmostEqual(timing["critical_path_outside_stepwise_seconds"]
                                       + timing["critical_path_stepwise_overhead_seconds"]
                                       + timing["critical_path_stepwise_compute_seconds"],
                                       timing["critical_path_task_seconds"], places=5)
                self.assertAlmostEqual(sum(timing["critical_path_overhead_phases"].values()),
                                       timing["critical_path_stepwise_overhead_seconds"], places=5)
                self.assertGreaterEqual(timing["sum_of_gaps_seconds"] + 1e-9, timing["critical_path_gap_seconds"])
                self.assertEqual(timing["max_tasks_running_at_once"], overlap_by_sampling(times))

    def test_a_missing_run_report_leaves_the_stepwise_parts_unknown_not_zero(self):
        rng = random.Random(SEED)
        storage = os.path.join(self.root, "missing")
        manifest, rows, _ = generated_run(rng, storage, "g", "2026-11-21")
        shutil.rmtree(os.path.join(storage, "_reports"))
        timing = scheduled.time_dag_run(rows, manifest, storage, "2026-11-21")
        self.assertIsNone(timing["critical_path_stepwise_compute_seconds"])
        self.assertIsNone(timing["critical_path_overhead_phases"])
        self.assertIsNotNone(timing["critical_path_task_seconds"])


class SummaryTest(unittest.TestCase):

    def test_ratios_pair_repetitions_and_runs_that_differ_are_not_timed(self):
        def run(grouping, rep, wall, equal=True):
            timing = {k: 1.0 for k in ("critical_path_gap_seconds", "critical_path_to_queued_seconds",
                                       "critical_path_queued_to_running_seconds", "critical_path_task_seconds",
                                       "critical_path_outside_stepwise_seconds", "critical_path_stepwise_overhead_seconds",
                                       "critical_path_stepwise_compute_seconds", "sum_of_gaps_seconds",
                                       "sum_of_task_seconds")}
            timing.update(wall_seconds=wall, tasks=1, critical_path=["t"], max_tasks_running_at_once=1)
            return {"rep": rep, "grouping": grouping, "dag_id": f"{grouping}{rep}", "timing": timing,
                    "outputs_equal": equal, "comparison": "same" if equal else "DIFF", "load_average_before": [1, 1, 1]}

        runs = [run("per-step", 1, 60), run("single", 1, 10), run("per-step", 2, 90), run("single", 2, 20),
                run("per-step", 3, 1, equal=False), run("single", 3, 10)]
        result = scheduled.summarize(runs, ("per-step", "single"), 3, 500, "2026-11-21")
        ratio = result["ratios"]["per-step / single"]
        self.assertEqual(sorted(ratio["runs"]), [4.5, 6.0])
        self.assertAlmostEqual(ratio["of_medians"], 75 / 10)
        self.assertEqual(result["target"]["status"], "PASS")
        self.assertEqual([f["dag_id"] for f in result["failed_comparisons"]], ["per-step3"])
        self.assertIn("MISS", scheduled.scheduled_markdown(scheduled.summarize(
            [run("per-step", 1, 40), run("single", 1, 10)], ("per-step", "single"), 1, 500, "2026-11-21")))


if __name__ == "__main__":
    unittest.main()
