package dev.stepwise.core.run;

/** Whether a stretch of a run's wall time computed the pipeline's data or only made computing possible. */
public enum PhaseKind {
  /** JVM and SparkSession start-up, config, pre-flight checks, reading set-up, publishing, shutdown. */
  OVERHEAD,
  /** Applying steps and computing and writing the datasets they produce (lazy lineage runs at the write). */
  COMPUTE
}
