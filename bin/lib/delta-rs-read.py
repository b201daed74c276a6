"""Reads Delta tables with delta-rs (PyPI deltalake: no Spark, no JVM) and checks them against counts.

    python delta-rs-read.py DELTA_ROOT RUN_DATE COUNTS_JSON_FILE

For each table named in the counts file (paths relative to DELTA_ROOT): the newest version's live
files of the run date hold exactly that many rows (by the row counts Delta keeps per file), the
table is partitioned by run_date, and its newest commit's userMetadata is Stepwise's, for that run
date. Exits 1 naming every difference.
"""

import json
import sys

from deltalake import DeltaTable


def main(delta_root, run_date, counts_file):
    with open(counts_file) as f:
        counts = json.load(f)
    problems = []
    for table, expected in sorted(counts.items()):
        t = DeltaTable(f"{delta_root}/{table}")
        if t.metadata().partition_columns != ["run_date"]:
            problems.append(f"{table}: partitioned by {t.metadata().partition_columns}")
        actions = t.get_add_actions(flatten=True)
        adds = zip(actions["num_records"].to_pylist(), actions["partition.run_date"].to_pylist())
        rows = sum(records for records, date in adds if str(date) == run_date)
        if rows != expected:
            problems.append(f"{table}: delta-rs counts {rows} rows for {run_date}, the parquet run has {expected}")
        newest = t.history(1)[0]
        info = json.loads(newest.get("userMetadata") or "{}")
        if info.get("stepwise") != 1 or info.get("run_date") != run_date:
            problems.append(f"{table}: newest commit's userMetadata is not Stepwise's for {run_date}: {newest}")
        print(f"{table}: version {t.version()}, {rows} rows for {run_date}, newest commit by task {info.get('task')}")
    for problem in problems:
        print("DIFFERENT " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
