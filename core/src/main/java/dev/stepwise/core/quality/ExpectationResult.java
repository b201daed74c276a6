package dev.stepwise.core.quality;

import dev.stepwise.core.model.Expectation;

/**
 * How one expectation fared in a run.
 *
 * @param violations rows that broke a row-level rule (dropped ones for {@code drop}); for a row
 *     count, the rows counted; -1 when Spark did not report the figure
 * @param passed false when the rule was broken (a failing rule fails the task)
 * @param heldByPlan a {@code unique} rule that Spark's plan proves, so no row was checked
 */
public record ExpectationResult(String dataset, Expectation expectation, long violations, boolean passed,
    boolean heldByPlan) {

  public ExpectationResult(String dataset, Expectation expectation, long violations, boolean passed) {
    this(dataset, expectation, violations, passed, false);
  }

  public String describe() {
    String what = heldByPlan
        ? "held by the plan (the key is grouped by or deduplicated on, and no row multiplied since), not checked"
        : expectation.kind() == Expectation.Kind.ROW_COUNT
            ? violations + " rows"
            : violations + " row" + (violations == 1 ? "" : "s") + " broke it";
    return "expectation '" + expectation.name() + "' on '" + dataset + "' [" + expectation.describe() + ", "
        + expectation.action().name().toLowerCase(java.util.Locale.ROOT) + "]: "
        + (passed ? "ok" : "broken") + ", " + what;
  }
}
