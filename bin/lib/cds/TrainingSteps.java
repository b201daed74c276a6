package dev.stepwise.cds;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import dev.stepwise.core.step.StepLibrary;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.util.List;

/**
 * The step types of bin/stepwise's class-data training run (training.conf): a join and an
 * aggregation, so that the run loads what a user's pipeline loads (reading, planning, shuffling,
 * writing) without the payments example. Compiled and jarred by bin/stepwise; never shipped.
 */
public final class TrainingSteps implements StepLibrary {
  @Override
  public List<StepType> stepTypes() {
    return List.of(
        StepType.named("join_training_rows").inputs("left", "right").outputs("joined")
            .create(p -> in -> StepOutputs.of("joined", in.get("left").join(in.get("right"), "key"))),
        StepType.named("sum_training_rows").inputs("rows").outputs("sums")
            .create(p -> in -> StepOutputs.of("sums", in.get("rows").groupBy(col("key"))
                .agg(sum(col("amount")).as("amount"), count(col("label")).as("labels")))));
  }
}
