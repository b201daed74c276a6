package dev.stepwise.core.plan;

/** Why a dataset is written to storage instead of living only in memory. */
public enum MaterializeReason {
  /** A step of another task reads it. */
  CROSS_TASK,
  /** No step reads it: it is an output of the pipeline. */
  FINAL_OUTPUT,
  /** Config marks it {@code checkpoint = true}. */
  CHECKPOINT
}
