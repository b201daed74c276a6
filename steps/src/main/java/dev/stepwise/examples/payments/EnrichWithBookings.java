package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Attaches each payment to its booking's market and host.
 *
 * <p>Inputs: {@code payments} (from {@link NormalizeCurrencies}); {@code bookings}
 * ({@code booking_id, host_id, market, ...}).
 *
 * <p>Output {@code payments}: the input columns, with {@code host_id} taken from the booking when
 * there is one (the booking is the record of who hosts; the event's host is a fallback), plus
 * {@code market} (string, {@value #UNKNOWN_MARKET} without a booking or without a market) and
 * {@code booking_found} (boolean). Payouts have no booking: they keep their event's host and
 * land in market {@value #UNKNOWN_MARKET}. No payment is dropped or duplicated: a left join on
 * bookings made unique by booking_id.
 */
public final class EnrichWithBookings implements Step {
  public static final String UNKNOWN_MARKET = "unknown";

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> payments = inputs.get("payments");
    Dataset<Row> bookings = Bookings.unique(inputs.get("bookings")).select(
        col("booking_id").as("known_booking_id"),
        col("host_id").as("booking_host_id"),
        col("market").as("booking_market"));

    List<Column> columns = new ArrayList<>();
    for (String name : payments.columns()) {
      columns.add(name.equals("host_id")
          ? coalesce(col("booking_host_id"), col("host_id")).as("host_id")
          : col(name));
    }
    columns.add(coalesce(col("booking_market"), lit(UNKNOWN_MARKET)).as("market"));
    columns.add(col("known_booking_id").isNotNull().as("booking_found"));

    Dataset<Row> enriched = payments
        .join(bookings, col("booking_id").equalTo(col("known_booking_id")), "left")
        .select(columns.toArray(Column[]::new));
    return StepOutputs.of("payments", enriched);
  }
}
