package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shared reading of the bookings source. */
final class Bookings {
  private Bookings() {}

  /**
   * One row per booking_id, so a join never multiplies payments. Should the source list a booking
   * twice, the smallest row (by host, market, total, currency, check-in) wins: an arbitrary but
   * stable choice, whatever the partitioning. Rows without a booking_id are useless and dropped.
   */
  static Dataset<Row> unique(Dataset<Row> bookings) {
    return bookings.where(col("booking_id").isNotNull())
        .groupBy("booking_id")
        .agg(min(struct("host_id", "market", "guest_total", "currency", "check_in")).as("b"))
        .select(col("booking_id"), col("b.host_id").as("host_id"), col("b.market").as("market"),
            col("b.guest_total").cast(Money.TYPE).as("guest_total"), col("b.currency").as("currency"),
            col("b.check_in").as("check_in"));
  }
}
