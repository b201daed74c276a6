package dev.stepwise.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a dataset is stored: a file format under a path, a catalog table, or a Delta Lake table under a path. */
public enum StorageFormat {
  PARQUET, JSON, CSV, TEXT, ORC, TABLE, DELTA;

  public boolean isFile() {
    return this != TABLE;
  }

  /** The name used in config and by Spark's DataFrameReader. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(StorageFormat::configName).toList();
  }
}
