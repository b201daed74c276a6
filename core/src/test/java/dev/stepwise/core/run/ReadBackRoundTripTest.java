package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.StagedOutput;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data a task stages and later steps read back (instead of a cache, or when a resumed run reuses
 * it) is the data that was written: generated schemas and values (nulls, empty and numeric-looking
 * strings, NaN and signed zeros, far dates, empty datasets), in parquet and ORC, some partitioned.
 * Same rows, same column order and types.
 *
 * <p>One exception is excluded by design: an empty string in a partition column comes back null,
 * because Spark names its folder as it names null's. The planner never reads back a partitioned
 * dataset for that reason; a resumed run does, as it always did.
 *
 * <p>Rerun one failing case with {@code -Dstepwise.readBackSeed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadBackRoundTripTest {
  private static final long SEED = Long.getLong("stepwise.readBackSeed", 20_261_202L);
  private static final int CASES = 16;
  private static final String[] STRINGS = {"007", "", " ", "a,b\"c", "ünï", "null", "NaN", "1e3", "x/y=z", "-0"};
  private static final double[] DOUBLES = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, 1e-300, -1.5, 1e17};

  private SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  void start(@TempDir Path scratch) {
    spark = TinyPipeline.session(scratch);
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** A column type, how to draw a value of it, and whether it may partition a dataset. */
  private record Kind(DataType type, Function<Random, Object> value, boolean partitionable) {}

  private static final List<Kind> KINDS = List.of(
      new Kind(DataTypes.IntegerType, r -> r.nextInt(7) - 3, true),
      new Kind(DataTypes.LongType, r -> r.nextLong(), true),
      new Kind(DataTypes.StringType, r -> STRINGS[r.nextInt(STRINGS.length)], true),
      new Kind(DataTypes.DoubleType, r -> DOUBLES[r.nextInt(DOUBLES.length)], false),
      new Kind(DataTypes.createDecimalType(18, 2),
          r -> BigDecimal.valueOf(r.nextLong() % 1_000_000_000_000L, 2), true),
      new Kind(DataTypes.DateType, r -> Date.valueOf(java.time.LocalDate.ofEpochDay(r.nextInt(200_000) - 100_000)),
          true),
      new Kind(DataTypes.TimestampType, r -> Timestamp.from(java.time.Instant.ofEpochSecond(
          r.nextInt(2_000_000_000), r.nextInt(1_000_000) * 1000L)), false),
      new Kind(DataTypes.BooleanType, Random::nextBoolean, true),
      new Kind(DataTypes.createArrayType(DataTypes.StringType), r -> new String[] {STRINGS[r.nextInt(STRINGS.length)]},
          false));

  @Test
  void stagedDataReadBackIsTheDataThatWasWritten() {
    Random seeds = new Random(SEED);
    DatasetStore store = new DatasetStore(spark);
    for (int c = 0; c < CASES; c++) {
      long seed = seeds.nextLong();
      Random random = new Random(seed);
      List<Kind> kinds = new ArrayList<>();
      List<StructField> fields = new ArrayList<>();
      int columns = 1 + random.nextInt(5);
      for (int i = 0; i < columns; i++) {
        Kind kind = KINDS.get(random.nextInt(KINDS.size()));
        kinds.add(kind);
        fields.add(DataTypes.createStructField("c" + i, kind.type(), true));
      }
      fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
      StructType schema = DataTypes.createStructType(fields);
      List<String> partitionBy = new ArrayList<>();
      for (int i = 0; i < columns - 1 && partitionBy.isEmpty(); i++) {
        if (kinds.get(i).partitionable() && random.nextInt(3) == 0) {
          partitionBy.add("c" + i);
        }
      }
      int rowCount = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(15);
      List<Row> rows = new ArrayList<>();
      for (int r = 0; r < rowCount; r++) {
        Object[] values = new Object[columns + 1];
        for (int i = 0; i < columns; i++) {
          Object value = random.nextInt(6) == 0 ? null : kinds.get(i).value().apply(random);
          boolean lostInAFolderName = "".equals(value) && partitionBy.contains("c" + i);
          values[i] = lostInAFolderName ? "e" : value;
        }
        values[columns] = r;
        rows.add(RowFactory.create(values));
      }
      StorageFormat format = random.nextBoolean() ? StorageFormat.PARQUET : StorageFormat.ORC;
      String about = "seed " + seed + ": " + format + " " + schema.simpleString() + " partitioned by " + partitionBy
          + ", " + rowCount + " rows";

      Dataset<Row> written = spark.createDataFrame(rows, schema);
      StorageSpec storage = new StorageSpec(format, dir.resolve("case-" + c).toString(), Map.of(), Optional.empty(),
          partitionBy);
      StagedOutput output = store.stage(written, storage, "case_" + c, "run-" + c);
      Dataset<Row> readBack = output.readWritten(written.schema());

      assertEquals(Arrays.asList(written.schema().fieldNames()), Arrays.asList(readBack.schema().fieldNames()), about);
      for (StructField field : written.schema().fields()) {
        assertEquals(field.dataType(), readBack.schema().apply(field.name()).dataType(), about + ", " + field.name());
      }
      assertEquals(sorted(written), sorted(readBack), about);
      output.discard();
    }
  }

  private static List<String> sorted(Dataset<Row> data) {
    return data.collectAsList().stream().map(ReadBackRoundTripTest::text).sorted().toList();
  }

  /** A row as text that tells every value apart (arrays by content, -0.0 from 0.0). */
  private static String text(Row row) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      out.append(value instanceof scala.collection.Seq<?> seq ? seq.mkString("[", ",", "]")
          : value instanceof String s ? "'" + s + "'" : String.valueOf(value)).append('|');
    }
    return out.toString();
  }
}
