package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta dataset whose first commit was killed midway (a JVM halted while Delta wrote the data
 * files: the log folder made, files written, no commit) is published to by the next run: one commit,
 * exactly that run's rows. The kill moments are drawn from a seed; the folder layouts such a kill
 * can leave are generated at large in DeltaFolderLayoutTest.
 */
class DeltaKilledFirstCommitTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  // One JVM halted in Delta's write proves the layout; DeltaFolderLayoutTest generates the layouts at large.
  private static final int KILLS = 1;
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = DeltaPipeline.session(scratch.resolve("spark"));
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void theNextRunCommitsWhereAFirstCommitWasKilled() throws Exception {
    Random random = new Random(20261202);
    for (int kill = 0; kill < KILLS; kill++) {
      DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("kill-" + kill));
      int rows = 200 + random.nextInt(800);
      int partitions = 2 + random.nextInt(3);
      // Past the first partition, so that at least one data file is whole on disk when the JVM dies.
      int haltAt = rows / partitions + 1 + random.nextInt(rows - rows / partitions - 1);
      String what = "kill " + kill + ": " + rows + " rows in " + partitions + " partitions, halted at row " + haltAt;
      Path log = scratch.resolve("kill-" + kill + ".log");
      Process writer = ChildJvm.start(KilledDeltaWrite.class, List.of(), log, pipeline.doubled().toString(),
          String.valueOf(rows), String.valueOf(partitions), String.valueOf(haltAt));
      assertEquals(KilledDeltaWrite.HALTED, writer.waitFor(), what + ": " + Files.readString(log));
      assertTrue(Files.isDirectory(pipeline.doubled().resolve("_delta_log")), what + ": Delta made the log first");
      assertEquals(List.of(), commits(pipeline.doubled()), what + ": no commit");
      assertTrue(dataFiles(pipeline.doubled()) > 0, what + ": data files were written");

      pipeline.deliverEvents(DAY, 3);
      pipeline.run(spark, "double", DAY);
      assertEquals(List.of("00000000000000000000.json"), commits(pipeline.doubled()), what + ": one commit");
      List<String> published = spark.read().format("delta").load(pipeline.doubled().toString()).collectAsList()
          .stream().map(Row::toString).sorted().toList();
      assertEquals(List.of("[1,2,2026-11-21]", "[2,4,2026-11-21]", "[3,6,2026-11-21]"), published, what);
    }
  }

  private static List<String> commits(Path table) throws Exception {
    try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json")).sorted()
          .collect(Collectors.toList());
    }
  }

  private static long dataFiles(Path table) throws Exception {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  /** Writes a new Delta table the way a publish does and halts the JVM at row HALT_AT of the write. */
  public static final class KilledDeltaWrite {
    static final int HALTED = 137;

    public static void main(String[] args) throws Exception {
      SparkSession spark = DeltaPipeline.session(Files.createTempDirectory("stepwise-killed-delta-"));
      spark.sparkContext().setLogLevel("ERROR");
      long haltAt = Long.parseLong(args[3]);
      spark.udf().register("halt_at", (UDF1<Long, Long>) id -> {
        if (id == haltAt) {
          Runtime.getRuntime().halt(HALTED);
        }
        return id;
      }, DataTypes.LongType);
      spark.range(0, Long.parseLong(args[1]), 1, Integer.parseInt(args[2]))
          .withColumn("id", callUDF("halt_at", col("id")))
          .withColumn("n", col("id").multiply(2))
          .withColumn("run_date", lit(java.sql.Date.valueOf(DAY)))
          .write().format("delta").mode("overwrite").partitionBy("run_date")
          .option("replaceWhere", "run_date = DATE'" + DAY + "'").save(args[0]);
      spark.stop();
      System.exit(0);
    }
  }
}
