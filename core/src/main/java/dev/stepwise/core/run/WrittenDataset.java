package dev.stepwise.core.run;

import java.time.Duration;

/**
 * A dataset a task published.
 *
 * @param rows rows written, counted while writing; -1 when Spark did not report them
 * @param writeTime computing and writing it (its lazy lineage runs here)
 */
public record WrittenDataset(String dataset, String step, String location, long rows, Duration writeTime) {}
