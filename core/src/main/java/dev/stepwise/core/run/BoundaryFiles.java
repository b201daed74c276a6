package dev.stepwise.core.run;

import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.MaterializeReason;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * How many files a task writes for a dataset that exists on storage only for another task to read
 * (a task boundary). Spark writes one file per partition of the computation that produced the data,
 * whatever its size; {@code rebalance} lets adaptive execution merge small partitions (or split big
 * ones) right before the write, so the file count follows the data's size. Rows stay the same.
 * Final outputs and checkpoints keep the layout their computation gives.
 */
public enum BoundaryFiles {
  /** One more shuffle, sized by adaptive execution's partition coalescing, before the write. */
  REBALANCE("rebalance"),
  /** One file per partition of the computation, as Spark writes them. */
  AS_COMPUTED("as-computed");

  /** The Spark setting that chooses; read from the task's session. */
  public static final String KEY = "spark.stepwise.boundary.files";
  public static final BoundaryFiles DEFAULT = AS_COMPUTED;

  private final String configName;

  BoundaryFiles(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<BoundaryFiles> named(String value) {
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(b -> b.configName.equals(wanted)).findFirst();
  }

  public static String choices() {
    return String.join(" or ", Arrays.stream(values()).map(BoundaryFiles::configName).toList());
  }

  static BoundaryFiles of(SparkSession spark) {
    String value = spark.conf().get(KEY, DEFAULT.configName);
    return named(value).orElseThrow(() -> new IllegalArgumentException(
        "'" + value + "' is not a value of " + KEY + "; write " + choices()));
  }

  /** The data as it is to be written: rebalanced only at a task boundary, and only when Spark can size it. */
  Dataset<Row> arrange(Dataset<Row> data, DatasetWrite write, SparkSession spark) {
    boolean boundaryOnly = write.reasons().equals(Set.of(MaterializeReason.CROSS_TASK));
    // Without adaptive execution a rebalance is a plain shuffle into spark.sql.shuffle.partitions files.
    boolean adaptive = Boolean.parseBoolean(spark.conf().get("spark.sql.adaptive.enabled", "true"));
    if (this == AS_COMPUTED || !boundaryOnly || !adaptive) {
      return data;
    }
    // By the partition columns when there are some: each folder then gets few files, not one per task.
    Object[] columns = write.storage().partitionBy().stream().map(functions::col).toArray(Column[]::new);
    return data.hint("rebalance", columns);
  }
}
