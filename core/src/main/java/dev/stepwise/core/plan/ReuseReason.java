package dev.stepwise.core.plan;

/** Why a task keeps a dataset used more than once the way it does: what the plan prints beside it. */
public enum ReuseReason {
  CACHE_POLICY_ALL(Reuse.CACHE, "cache policy 'all' caches every dataset used more than once"),
  COMPUTED_IN_TASK(Reuse.CACHE, "computed in this task and not written: each further use would compute it again"),
  ROW_FORMAT_INPUT(Reuse.CACHE, "read from row-based files: each further read would parse them again"),
  CHECKED_INPUT(Reuse.CACHE, "a source with expectations: each further read would check them again"),
  DELTA_INPUT(Reuse.CACHE, "a Delta table: a commit between two reads would show its steps two versions"),
  TABLE_INPUT(Reuse.CACHE, "a catalog table: what reading it again costs is unknown to the plan"),
  WRITTEN_AS_ROWS(Reuse.CACHE, "written as row-based files: reading them back would parse them again"),
  WRITTEN_PARTITIONED(Reuse.CACHE,
      "written partitioned: folder names do not keep every value (an empty string comes back null)"),
  COLUMNAR_INPUT(Reuse.REREAD, "read from columnar files: reading the needed columns again costs less than a cache"),
  WRITTEN_AS_COLUMNS(Reuse.READ_BACK,
      "written as columnar files: later steps read the written files, so it is computed once and not cached");

  private final Reuse reuse;
  private final String explanation;

  ReuseReason(Reuse reuse, String explanation) {
    this.reuse = reuse;
    this.explanation = explanation;
  }

  public Reuse reuse() {
    return reuse;
  }

  public String explanation() {
    return explanation;
  }
}
