"""Compares the payments example's outputs on Delta (conf/payments-delta.conf) with a parquet run's.

    python compare-delta-outputs.py APP_JAR PARQUET_ROOT DELTA_ROOT RUN_DATE COMMITS_JSON [COUNTS_OUT [GROUPING]]

For every dataset the Delta variant stores as a table, the run date's rows of the table (without its
run_date column) must equal the parquet run's folder row for row (same columns and types, same
multiset of rows); the outputs both variants write as files (json, csv) must be equal as text. Every
commit of every table must carry Stepwise's userMetadata naming pipeline payments, grouping GROUPING (default daily) and
the run date, and the number of commits for the run date must be as COMMITS_JSON says per table
(a dataset missing from it: 1). COUNTS_OUT, if given, receives the parquet run's row count per table
(JSON), for an independent reader to check against. Exits 1 naming every difference. Reads Delta through the
application jar, which carries Delta Lake.
"""

import json
import sys

from pyspark.sql import SparkSession

TABLES = {
    "ledger/ledger_entries": "delta/ledger/ledger_entries",
    "reports/market_revenue": "delta/reports/market_revenue",
    "reports/host_payouts": "delta/reports/host_payouts",
    "reports/booking_reconciliation": "delta/reports/booking_reconciliation",
    "quarantine/malformed_payment_events": "delta/quarantine/malformed_payment_events",
    "quarantine/unconvertible_payments": "delta/quarantine/unconvertible_payments",
}
FILES = ["reports/ledger_balance", "reports/rejected_event_summary"]


def main(app_jar, parquet_root, delta_root, run_date, commits_json, counts_out=None, grouping="daily"):
    expected_commits = json.loads(commits_json)
    counts = {}
    spark = (SparkSession.builder.master("local[1]").appName("compare-delta-outputs")
             .config("spark.jars", app_jar)
             .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
             .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
             .config("spark.databricks.delta.snapshotPartitions", "1")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    problems = []
    for folder, table in TABLES.items():
        reference = spark.read.parquet(f"{parquet_root}/{folder}/run_date={run_date}")
        path = f"{delta_root}/{table}"
        counts[table] = reference.count()
        candidate = (spark.read.format("delta").load(path)
                     .where(f"run_date = DATE'{run_date}'").drop("run_date"))
        if [(f.name, f.dataType) for f in reference.schema] != [(f.name, f.dataType) for f in candidate.schema]:
            problems.append(f"{table}: columns {candidate.schema.simpleString()} "
                            f"!= parquet {reference.schema.simpleString()}")
            continue
        missing = reference.exceptAll(candidate).count()
        extra = candidate.exceptAll(reference).count()
        if missing or extra:
            problems.append(f"{table}: {missing} rows of the parquet run missing, {extra} rows extra")
        history = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").select("version", "userMetadata").collect()
        runs = []
        for row in history:
            info = json.loads(row["userMetadata"]) if row["userMetadata"] else None
            if not info or info.get("stepwise") != 1 or info.get("pipeline") != "payments" \
                    or info.get("grouping") != grouping or not info.get("run_id") or not info.get("task") \
                    or len(info.get("config_fingerprint", "")) != 64:
                problems.append(f"{table}: version {row['version']} has no Stepwise metadata: {row['userMetadata']}")
            elif info.get("run_date") == run_date:
                runs.append(info)
        want = expected_commits.get(table.split("/")[-1], 1)
        if len(runs) != want:
            problems.append(f"{table}: {len(runs)} commits for {run_date}, expected {want}")
        print(f"{table}: {candidate.count()} rows equal the parquet run's; {len(history)} commit(s), "
              f"last by task {runs[0]['task'] if runs else '?'}")
    for folder in FILES:
        a = spark.read.text(f"{parquet_root}/{folder}/run_date={run_date}")
        b = spark.read.text(f"{delta_root}/{folder}/run_date={run_date}")
        if a.exceptAll(b).count() or b.exceptAll(a).count():
            problems.append(f"{folder}: differs between the runs")
    spark.stop()
    if counts_out:
        with open(counts_out, "w") as out:
            json.dump(counts, out)
    for problem in problems:
        print("DIFFERENT " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:8]))
