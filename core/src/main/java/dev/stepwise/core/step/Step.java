package dev.stepwise.core.step;

/**
 * A small business transformation: named datasets in, named datasets out.
 *
 * <p>A step is pure. It composes lazy {@code Dataset<Row>} transformations and never reads or
 * writes storage, never creates or stops a SparkSession and never runs an action to steer its
 * own control flow. The executor decides what is cached, written or kept in memory, which is what
 * lets the same step run unchanged under any grouping.
 *
 * <p>Typed parameters arrive through the constructor, so a unit test builds a step with plain
 * values and calls {@link #apply} with in-memory DataFrames; no config or command line involved.
 */
@FunctionalInterface
public interface Step {

  /** Builds this step's outputs (one per declared output role) from its inputs. */
  StepOutputs apply(StepInputs inputs);
}
