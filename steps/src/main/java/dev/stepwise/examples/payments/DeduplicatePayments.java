package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepParams;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Keeps one payment per {@code event_id}: senders retry, so the same event arrives more than once.
 *
 * <p>Input {@code events}: the parsed events of {@link ParsePaymentEvents}.
 *
 * <p>Output {@code payments}: the same columns, one row per event_id, plus {@code is_late}
 * (boolean): the event was ingested more than {@code late_after} (default 6h) after it occurred.
 *
 * <p>The copy ingested first wins. Copies ingested at the same instant are ordered by their
 * remaining columns, so the choice never depends on partitioning; copies equal in every column are
 * interchangeable.
 */
public final class DeduplicatePayments implements Step {
  public static final Duration DEFAULT_LATE_AFTER = Duration.ofHours(6);

  // ingested_at first: min() over this struct picks the earliest copy, the rest break ties.
  private static final String[] PICK_ORDER =
      {"ingested_at", "occurred_at", "event_type", "booking_id", "host_id", "amount", "currency"};

  private final Duration lateAfter;

  public DeduplicatePayments(Duration lateAfter) {
    Objects.requireNonNull(lateAfter, "late_after");
    if (lateAfter.isNegative() || lateAfter.isZero()) {
      throw new IllegalArgumentException("late_after must be a positive duration such as 6h, got " + lateAfter);
    }
    this.lateAfter = lateAfter;
  }

  public static DeduplicatePayments from(StepParams params) {
    return new DeduplicatePayments(params.duration("late_after", DEFAULT_LATE_AFTER));
  }

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column[] candidates = Arrays.stream(PICK_ORDER).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> firstCopies = inputs.get("events")
        .groupBy("event_id")
        .agg(min(struct(candidates)).as("first"));
    Column delay = unix_micros(col("ingested_at")).minus(unix_micros(col("occurred_at")));
    Dataset<Row> payments = firstCopies.select(
            col("event_id"),
            col("first.event_type").as("event_type"),
            col("first.booking_id").as("booking_id"),
            col("first.host_id").as("host_id"),
            col("first.amount").as("amount"),
            col("first.currency").as("currency"),
            col("first.occurred_at").as("occurred_at"),
            col("first.ingested_at").as("ingested_at"))
        .withColumn("is_late", delay.gt(lateAfterMicros()));
    return StepOutputs.of("payments", payments);
  }

  private long lateAfterMicros() {
    return lateAfter.toNanos() / 1_000;
  }
}
