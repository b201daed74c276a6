package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Parses raw payment events, one JSON object per line, and sets aside every line it cannot trust.
 *
 * <p>Input {@code raw}: column {@code value} (string), as Spark's text format reads it.
 *
 * <p>Output {@code events}: {@code event_id, event_type} (charge, refund or payout, lower case),
 * {@code booking_id} (null for payouts), {@code host_id, amount} ({@link Money#TYPE}),
 * {@code currency} (upper case), {@code occurred_at, ingested_at} (timestamps).
 *
 * <p>Output {@code malformed}: {@code value} (the line as read) and {@code reason}. Every input line
 * lands in exactly one output. The first failed check names the reason: empty line, not a JSON
 * object, a missing required field (all but booking_id; booking_id too for charges and refunds),
 * an unknown event_type, an amount that is not a plain decimal with at most 2 places and 12 digits
 * before the point, a currency that is not 3 letters, a timestamp that is not ISO-8601 with an
 * explicit zone ({@code 2026-11-21T10:15:30Z}). The zone is required so that the result does not
 * depend on the session's time zone.
 *
 * <p>Every JSON field is read as text and checked here, so bad data never throws under ANSI mode.
 */
public final class ParsePaymentEvents implements Step {
  static final List<String> REQUIRED_FIELDS =
      List.of("event_id", "event_type", "host_id", "amount", "currency", "occurred_at", "ingested_at");

  private static final String CORRUPT = "_corrupt_record";
  private static final StructType EVENT_JSON = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("event_type", DataTypes.StringType)
      .add("booking_id", DataTypes.StringType)
      .add("host_id", DataTypes.StringType)
      .add("amount", DataTypes.StringType)
      .add("currency", DataTypes.StringType)
      .add("occurred_at", DataTypes.StringType)
      .add("ingested_at", DataTypes.StringType)
      .add(CORRUPT, DataTypes.StringType);

  private static final String AMOUNT = "^-?[0-9]{1,12}(\\.[0-9]{1,2})?$";
  private static final String CURRENCY = "^[A-Za-z]{3}$";
  // Microseconds at most: Spark keeps no finer precision, and silently truncating would alter data.
  private static final String TIMESTAMP =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> checked = inputs.get("raw")
        .select(col("value"), from_json(col("value"), EVENT_JSON, Map.of("mode", "PERMISSIVE")).as("e"))
        .withColumn("reason", rejection());

    Dataset<Row> events = checked.where(col("reason").isNull()).select(
        field("event_id").as("event_id"),
        lower(trim(field("event_type"))).as("event_type"),
        field("booking_id").as("booking_id"),
        field("host_id").as("host_id"),
        field("amount").cast(Money.TYPE).as("amount"),
        upper(field("currency")).as("currency"),
        timestamp("occurred_at").as("occurred_at"),
        timestamp("ingested_at").as("ingested_at"));
    Dataset<Row> malformed = checked.where(col("reason").isNotNull()).select("value", "reason");
    return StepOutputs.of("events", events, "malformed", malformed);
  }

  /** The first thing wrong with a line, or null when it is a valid event. */
  private static Column rejection() {
    Column eventType = lower(trim(field("event_type")));
    Column reason = when(col("value").isNull().or(trim(col("value")).equalTo("")), lit("empty line"))
        .when(col("e").isNull().or(field(CORRUPT).isNotNull()), lit("not a JSON object"));
    for (String name : REQUIRED_FIELDS) {
      reason = reason.when(missing(name), lit("missing " + name));
    }
    return reason
        .when(not(eventType.isin(PaymentKind.EVENT_TYPES.toArray())), lit("unknown event_type"))
        .when(eventType.isin("charge", "refund").and(missing("booking_id")), lit("missing booking_id"))
        .when(not(field("amount").rlike(AMOUNT)), lit("amount is not a decimal number"))
        .when(not(field("currency").rlike(CURRENCY)), lit("currency is not a 3-letter code"))
        .when(badTimestamp("occurred_at"), lit("occurred_at is not an ISO-8601 timestamp with zone"))
        .when(badTimestamp("ingested_at"), lit("ingested_at is not an ISO-8601 timestamp with zone"));
  }

  private static Column field(String name) {
    return col("e").getField(name);
  }

  private static Column missing(String name) {
    return field(name).isNull().or(trim(field(name)).equalTo(""));
  }

  private static Column timestamp(String name) {
    return field(name).try_cast(DataTypes.TimestampType);
  }

  // The pattern rules out zone-less text; try_cast still catches impossible dates like 2026-02-30.
  private static Column badTimestamp(String name) {
    return not(field(name).rlike(TIMESTAMP)).or(timestamp(name).isNull());
  }
}
