package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.DeltaTableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta dataset whose folder holds something else, whose log is corrupt, or whose table does not
 * have the columns or partitions the run writes: each a clear error naming the dataset and path,
 * and nothing committed or changed. Each class of bad input is a corpus of cases.
 */
class DeltaBadInputTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static final LocalDate NEXT = DAY.plusDays(1);
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = DeltaPipeline.session(scratch.resolve("spark"));
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private interface Setup {
    void at(Path table) throws IOException;
  }

  @Test
  void aFolderThatIsNotADeltaTableIsNeitherReadNorWritten() throws Exception {
    Map<String, Setup> foreign = new LinkedHashMap<>();
    foreign.put("parquet written by Spark", t -> spark.range(3).write().parquet(t.toString()));
    foreign.put("partitioned parquet", t -> spark.range(3).withColumn("run_date", lit(DAY.toString())).write()
        .partitionBy("run_date").parquet(t.toString()));
    foreign.put("a parquet dataset Stepwise published", t -> {
      spark.range(3).write().parquet(t.toString());
      Files.writeString(t.resolve("_STEPWISE"), "run_id=earlier\n");
    });
    foreign.put("csv files", t -> spark.range(2).write().csv(t.toString()));
    foreign.put("a file where the folder should be", t -> {
      Files.createDirectories(t.getParent());
      Files.writeString(t, "not a table");
    });
    foreign.put("parquet beside an empty _delta_log", t -> {
      spark.range(3).write().parquet(t.toString());
      Files.createDirectories(t.resolve("_delta_log"));
    });
    foreign.put("only a hidden file", t -> {
      Files.createDirectories(t);
      Files.writeString(t.resolve("_SUCCESS"), "");
    });
    for (Map.Entry<String, Setup> kind : foreign.entrySet()) {
      DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("foreign-" + kind.getKey().replaceAll("\\W", "_")));
      pipeline.deliverEvents(DAY, 3);
      kind.getValue().at(pipeline.doubled());
      Map<String, Long> before = files(pipeline.doubled());

      DeltaTableException write = assertThrows(DeltaTableException.class, () -> pipeline.run(spark, "double", DAY),
          kind.getKey());
      assertNames(write, pipeline.doubled(), kind.getKey());
      assertTrue(write.getMessage().contains("no commit in _delta_log"), write.getMessage());
      DeltaTableException read = assertThrows(DeltaTableException.class, () -> pipeline.run(spark, "tally", DAY),
          kind.getKey());
      assertNames(read, pipeline.doubled(), kind.getKey());

      assertEquals(before, files(pipeline.doubled()), kind.getKey() + ": left as it was");
      assertEquals(List.of("doubled"), names(pipeline.doubled().getParent()), kind.getKey() + ": nothing beside it");
    }
  }

  @Test
  void aCorruptLogFailsTheRunAndNothingIsCommitted() throws Exception {
    Path template = goodTable("corrupt-template", 2);
    Map<String, Setup> corruptions = new LinkedHashMap<>();
    corruptions.put("newest commit cut in half", t -> {
      Path commit = commit(t, 1);
      String text = Files.readString(commit);
      Files.writeString(commit, text.substring(0, text.length() / 2));
    });
    corruptions.put("newest commit is not json", t -> Files.writeString(commit(t, 1), "this is not a Delta commit\n"));
    corruptions.put("first commit missing", t -> Files.delete(commit(t, 0)));
    corruptions.put("a gap between commits", t -> Files.move(commit(t, 1), commit(t, 3)));
    corruptions.put("schema in the metadata is not a schema", t -> replaceIn(commit(t, 0), "\"schemaString\":\"",
        "\"schemaString\":\"nonsense"));
    corruptions.put("a protocol this Delta cannot read", t -> Files.writeString(commit(t, 1),
        Files.readString(commit(t, 1)) + "{\"protocol\":{\"minReaderVersion\":99,\"minWriterVersion\":99}}\n"));
    for (Map.Entry<String, Setup> kind : corruptions.entrySet()) {
      DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("corrupt-" + kind.getKey().replaceAll("\\W", "_")));
      copy(template.resolve("tables"), pipeline.root.resolve("tables"));
      kind.getValue().at(pipeline.doubled());
      pipeline.deliverEvents(NEXT, 4);
      Map<String, Long> before = files(pipeline.doubled());

      DeltaTableException write = assertThrows(DeltaTableException.class, () -> pipeline.run(spark, "double", NEXT),
          kind.getKey());
      assertNames(write, pipeline.doubled(), kind.getKey());
      assertTrue(write.getMessage().contains("Delta log (_delta_log) cannot be read"), write.getMessage());
      DeltaTableException read = assertThrows(DeltaTableException.class, () -> pipeline.run(spark, "tally", DAY),
          kind.getKey());
      assertNames(read, pipeline.doubled(), kind.getKey());
      assertEquals(before, files(pipeline.doubled()), kind.getKey() + ": nothing committed");
    }
  }

  @Test
  void rowsThatDoNotFitTheTableAreNotCommitted() throws Exception {
    Path template = goodTable("schema-template", 1);
    Map<String, String[]> variants = new LinkedHashMap<>();
    variants.put("an extra column", new String[] {"double_with_extra", ""});
    variants.put("a wider type", new String[] {"double_as_long", ""});
    variants.put("a missing column", new String[] {"id_only", ""});
    variants.put("other partition columns", new String[] {"double_n", "partition_by = [run_date, id]"});
    for (Map.Entry<String, String[]> variant : variants.entrySet()) {
      Path root = scratch.resolve("schema-" + variant.getKey().replaceAll("\\W", "_"));
      DeltaPipeline pipeline = new DeltaPipeline(root, variant.getValue()[0], variant.getValue()[1]);
      copy(template.resolve("tables"), root.resolve("tables"));
      pipeline.deliverEvents(NEXT, 4);
      Map<String, Long> before = files(pipeline.doubled());

      DeltaTableException e = assertThrows(DeltaTableException.class, () -> pipeline.run(spark, "double", NEXT),
          variant.getKey());
      assertNames(e, pipeline.doubled(), variant.getKey());
      assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
      assertEquals(before, files(pipeline.doubled()), variant.getKey() + ": nothing committed");
    }
  }

  /** A pipeline root whose table {@code doubled} has {@code commits} good commits, one run date each. */
  private static Path goodTable(String name, int commits) throws IOException {
    DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve(name));
    for (int i = 0; i < commits; i++) {
      pipeline.deliverEvents(DAY.minusDays(i), 3);
      pipeline.run(spark, "double", DAY.minusDays(i));
    }
    return pipeline.root;
  }

  private static void assertNames(RuntimeException e, Path table, String kind) {
    assertTrue(e.getMessage().contains("dataset 'doubled'") && e.getMessage().contains(table.toString()),
        kind + ": " + e.getMessage());
  }

  private static Path commit(Path table, int version) {
    return table.resolve("_delta_log").resolve(String.format("%020d.json", version));
  }

  private static void replaceIn(Path file, String from, String to) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains(from), file + " holds " + from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
  }

  /** Every file below {@code path} (or the file itself) with its size. */
  private static Map<String, Long> files(Path path) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(path)) {
      all.filter(Files::isRegularFile).forEach(f -> {
        try {
          files.put(path.relativize(f).toString(), Files.size(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return files;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
