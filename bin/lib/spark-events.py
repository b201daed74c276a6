"""Reads a Spark event log (uncompressed, not rolled) and answers what a test asks of it.

    python spark-events.py properties EVENT_DIR      key=value per Spark property of the session
    python spark-events.py executors EVENT_DIR       one line per executor that ran tasks: id host

EVENT_DIR is the spark.eventLog.dir of exactly one application. The properties are those of the
SparkListenerEnvironmentUpdate event: the SparkConf the running SparkContext was built with.
"""

import json
import os
import sys


def events(event_dir):
    logs = [os.path.join(event_dir, f) for f in os.listdir(event_dir)
            if not f.startswith(".") and os.path.isfile(os.path.join(event_dir, f))]
    if len(logs) != 1:
        raise SystemExit(f"spark-events: expected one event log in {event_dir}, found {sorted(logs)}")
    with open(logs[0], encoding="utf-8") as log:
        for line in log:
            yield json.loads(line)


def properties(event_dir):
    for event in events(event_dir):
        if event["Event"] == "SparkListenerEnvironmentUpdate":
            for key, value in sorted(event["Spark Properties"].items()):
                print(f"{key}={value}")
            return 0
    raise SystemExit(f"spark-events: no SparkListenerEnvironmentUpdate in the event log of {event_dir}")


def executors(event_dir):
    hosts = {}
    ran_tasks = set()
    for event in events(event_dir):
        if event["Event"] == "SparkListenerExecutorAdded":
            hosts[event["Executor ID"]] = event["Executor Info"]["Host"]
        elif event["Event"] == "SparkListenerTaskEnd":
            ran_tasks.add(event["Task Info"]["Executor ID"])
    for executor in sorted(ran_tasks):
        print(f"{executor} {hosts.get(executor, '?')}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("properties", "executors"):
        raise SystemExit(__doc__)
    sys.exit({"properties": properties, "executors": executors}[sys.argv[1]](sys.argv[2]))
