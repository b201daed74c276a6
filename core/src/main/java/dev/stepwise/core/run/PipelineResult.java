package dev.stepwise.core.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PipelineRunner} run did: the tasks that finished, in order, and where the run's wall
 * time went, back to back from the caller's clock start to the session's stop.
 *
 * @param results one per task that finished; on a failure, the tasks before the one that failed
 * @param failure why the run stopped early; the failed run's phases are still all there
 */
public record PipelineResult(List<TaskResult> results, List<Phase> phases, Optional<Exception> failure) {
  public PipelineResult {
    results = List.copyOf(results);
    phases = List.copyOf(phases);
    Objects.requireNonNull(failure, "failure");
  }

  /** The results, or the failure thrown as it was thrown (Spark's checked exceptions included). */
  public List<TaskResult> resultsOrThrow() {
    failure.ifPresent(PipelineResult::rethrow);
    return results;
  }

  // Spark throws Hadoop's checked IOExceptions undeclared; a caller gets them as the task runner threw them.
  @SuppressWarnings("unchecked")
  private static <E extends Exception> void rethrow(Exception e) throws E {
    throw (E) e;
  }
}
