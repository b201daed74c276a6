package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.*;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.*;
import org.apache.spark.sql.types.*;
import org.junit.jupiter.api.Test;

@SparkTest
class ScratchTest {
  @Test
  void explore(SparkSession spark) {
    StructType s = new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType).add("_corrupt_record", DataTypes.StringType);
    Dataset<Row> raw = spark.createDataset(List.of("{\"a\":\"x\",\"b\":1.50}", "{\"a\":", "[{\"a\":\"y\"}]", "\"str\"", "", "{}", "{\"a\":{\"z\":1}}", "null", "[]", "{\"a\":\"x\"} trailing"), Encoders.STRING()).toDF("value");
    raw.select(col("value"), from_json(col("value"), s, Map.of("mode", "PERMISSIVE")).as("e")).show(false);
    spark.sql("select try_cast('2026-11-21T10:15:30Z' as timestamp) t, try_cast('2026-11-21T10:15:30.123+02:00' as timestamp) t2, date_from_unix_date(cast(floor(unix_seconds(timestamp'2026-11-21 23:59:59') / 86400) as int)) d").show(false);
    Dataset<Row> r = spark.sql("select 1 as x").withColumn("s", when(col("x").equalTo(1), raise_error(lit("boom"))).otherwise(lit("ok")));
    r.printSchema();
    try { System.out.println("count=" + r.count()); } catch (Exception e) { System.out.println("count threw " + e.getMessage()); }
    try { r.collectAsList(); } catch (Exception e) { System.out.println("collect threw " + e.getClass() + " " + e.getMessage()); }
    spark.sql("select min(struct(cast(null as string) a, 1 b)) m from values (1) as t(x)").show();
  }
}
