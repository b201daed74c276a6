package dev.stepwise.core.plan;

import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;

/**
 * Decides, by cost, how a task keeps a dataset it uses more than once. Building Spark's in-memory
 * columnar cache costs CPU and memory; it pays only when the alternative is dearer: computing a
 * lineage again, or parsing row-based files again. Columnar files are cheap to read again (only
 * the needed columns, already typed), and a dataset the task writes anyway is read back from what
 * it wrote, so it is never computed twice.
 */
final class ReuseChoice {
  private ReuseChoice() {}

  /** A dataset computed by a step of the task; {@code written} is its storage when the task writes it. */
  static ReuseReason computed(CachePolicy policy, java.util.Optional<StorageSpec> written) {
    if (policy == CachePolicy.ALL) {
      return ReuseReason.CACHE_POLICY_ALL;
    }
    if (written.isEmpty()) {
      return ReuseReason.COMPUTED_IN_TASK;
    }
    StorageSpec storage = written.get();
    if (!stagedAsColumns(storage.format())) {
      return ReuseReason.WRITTEN_AS_ROWS;
    }
    return stagedExactly(storage) ? ReuseReason.WRITTEN_AS_COLUMNS : ReuseReason.WRITTEN_PARTITIONED;
  }

  /**
   * Whether what a task stages there gives back every value as written: columnar files, not split
   * into folders by value (a folder name keeps no empty string). Delta is staged unpartitioned.
   */
  static boolean stagedExactly(StorageSpec storage) {
    return stagedAsColumns(storage.format())
        && (storage.partitionBy().isEmpty() || storage.format() == StorageFormat.DELTA);
  }

  /**
   * A dataset the task reads from storage: a source, or another task's output.
   *
   * @param checked whether expectations are applied to it as it is read (sources only)
   */
  static ReuseReason read(CachePolicy policy, StorageSpec storage, boolean checked) {
    if (policy == CachePolicy.ALL) {
      return ReuseReason.CACHE_POLICY_ALL;
    }
    return switch (storage.format()) {
      case PARQUET, ORC -> checked ? ReuseReason.CHECKED_INPUT : ReuseReason.COLUMNAR_INPUT;
      // Delta resolves its newest version whenever a query runs, not when the read was set up.
      case DELTA -> ReuseReason.DELTA_INPUT;
      case TABLE -> ReuseReason.TABLE_INPUT;
      case CSV, JSON, TEXT -> ReuseReason.ROW_FORMAT_INPUT;
    };
  }

  /** Tables and Delta datasets are staged as parquet before they are published (see DatasetStore). */
  private static boolean stagedAsColumns(StorageFormat format) {
    return switch (format) {
      case PARQUET, ORC, DELTA, TABLE -> true;
      case CSV, JSON, TEXT -> false;
    };
  }
}
