package dev.stepwise.core.plan;

/** How the second and later steps that use a dataset get it. */
public enum Reuse {
  /** Persisted in Spark's cache (memory, spilling to disk) when first computed, released after its last user. */
  CACHE,
  /** Each use reads the dataset's files again. */
  REREAD,
  /** Computed once by its write; each later use reads the files just written. */
  READ_BACK
}
