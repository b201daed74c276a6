"""Compares the final outputs of pipeline runs under different storage roots, row for row.

    python compare-outputs.py REFERENCE_ROOT CANDIDATE_ROOT [CANDIDATE_ROOT...]

Every published dataset (a folder with _SUCCESS) under reports/, ledger/ and quarantine/ of the
reference must exist in each candidate with the same schema and the same multiset of rows (order
does not matter, duplicates do), and a candidate may have no dataset the reference lacks. Exits 1
naming every difference. Runs on the PySpark of the venv that bin/lib/spark-dist installs.
"""

import os
import sys

from pyspark.sql import SparkSession

OUTPUT_FOLDERS = ("reports", "ledger", "quarantine")


def published_datasets(root):
    """Relative paths of published datasets, e.g. reports/market_revenue/run_date=2026-11-21."""
    found = set()
    for folder in OUTPUT_FOLDERS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
            if "_SUCCESS" in filenames:
                found.add(os.path.relpath(dirpath, root))
    return found


def read(spark, path):
    """Reads a dataset by the extension of its part files; CSV as strings, so nothing is inferred."""
    parts = [f for f in os.listdir(path) if f.startswith("part-")]
    if not parts:
        return spark.createDataFrame([], "empty STRING")
    name = parts[0]
    if ".parquet" in name:
        return spark.read.parquet(path)
    if ".json" in name:
        # Compared as the exact text Spark wrote: number formatting differences would show.
        return spark.read.text(path)
    if ".csv" in name:
        return spark.read.option("header", "true").csv(path)
    raise SystemExit(f"compare-outputs: cannot tell the format of {path} from {name}")


def differences(spark, reference, candidate):
    problems = []
    want = published_datasets(reference)
    have = published_datasets(candidate)
    if not want:
        problems.append(f"no published dataset under {reference}: the reference run wrote nothing")
    for missing in sorted(want - have):
        problems.append(f"{candidate}: missing {missing}")
    for extra in sorted(have - want):
        problems.append(f"{candidate}: {extra} is not in the reference run")
    for dataset in sorted(want & have):
        expected = read(spark, os.path.join(reference, dataset))
        actual = read(spark, os.path.join(candidate, dataset))
        if expected.schema != actual.schema:
            problems.append(f"{dataset}: schema {actual.schema.simpleString()} "
                            f"differs from the reference's {expected.schema.simpleString()}")
            continue
        rows = expected.count()
        only_expected = expected.exceptAll(actual).count()
        only_actual = actual.exceptAll(expected).count()
        if only_expected or only_actual:
            problems.append(f"{dataset}: {only_expected} of {rows} reference rows missing, "
                            f"{only_actual} rows not in the reference")
        else:
            print(f"  same  {dataset}: {rows} rows")
    return problems


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    spark = (SparkSession.builder.master("local[2]").appName("compare-outputs")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    reference = argv[1]
    problems = []
    for candidate in argv[2:]:
        print(f"compare-outputs: {candidate} against {reference}")
        problems += differences(spark, reference, candidate)
    spark.stop()
    for problem in problems:
        print(f"  DIFF  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
