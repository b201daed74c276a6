package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Delta dataset's folder is, on generated layouts whose answer the recipe knows. The case
 * this class exists for: Delta makes a new table's {@code _delta_log} before it writes the first
 * commit's data files, so a writer killed in between leaves a log without a commit beside data files
 * (whole or cut short, in partition folders or not, with or without Hadoop's checksums, with a temporary
 * commit file in the log). Such a folder holds no table for any reader, and must not be taken for
 * foreign data: that refused every later run of the dataset until someone moved the files away.
 * Everything else stays as it was: one commit makes a table; a marker of a finished plain write
 * (_SUCCESS, Stepwise's _STEPWISE), files of other formats or folders that are not partitions make
 * the folder foreign, also beside an empty log.
 */
class DeltaFolderLayoutTest {
  private static final int LAYOUTS = 400;
  @TempDir Path dir;

  @Test
  void aFirstCommitKilledMidwayLeavesNoTableAndNothingForeign() throws IOException {
    Random random = new Random(20261202);
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Map<DeltaTables.Found, Integer> verdicts = new EnumMap<>(DeltaTables.Found.class);
    int unfinished = 0;
    for (int i = 0; i < LAYOUTS; i++) {
      Path table = dir.resolve("table-" + i);
      List<String> recipe = new ArrayList<>();
      DeltaTables.Found expected = build(table, random, recipe);
      if (recipe.get(0).startsWith("first commit killed") && expected == DeltaTables.Found.ABSENT) {
        unfinished++;
      }
      assertEquals(expected, DeltaTables.inspect(fs, new org.apache.hadoop.fs.Path(table.toUri())),
          "layout " + i + ": " + recipe);
      verdicts.merge(expected, 1, Integer::sum);
    }
    System.out.println("Delta folder layouts: " + LAYOUTS + " generated, " + unfinished
        + " of them a first commit killed midway; verdicts " + verdicts);
    verdicts.values().forEach(n -> assertTrue(n > 25, "each verdict is tried often: " + verdicts));
    assertTrue(unfinished > 60, "killed first commits are tried often: " + unfinished);
  }

  private static DeltaTables.Found build(Path table, Random random, List<String> recipe) throws IOException {
    int kind = random.nextInt(8);
    if (kind == 0) {
      recipe.add(random.nextBoolean() ? "nothing" : "an empty folder");
      if (recipe.get(0).equals("an empty folder")) {
        Files.createDirectories(table);
      }
      return DeltaTables.Found.ABSENT;
    }
    // The state a first commit killed midway leaves: the log (maybe with Delta's commit folders and a
    // temporary commit file that was never renamed) and some data files.
    Files.createDirectories(table.resolve("_delta_log"));
    recipe.add("first commit killed midway");
    if (random.nextBoolean()) {
      Files.createDirectories(table.resolve("_delta_log/_commits"));
      recipe.add("_delta_log/_commits");
    }
    if (random.nextInt(4) == 0) {
      Files.writeString(table.resolve("_delta_log/.00000000000000000000.json." + UUID.randomUUID() + ".tmp"),
          "{\"commitInfo\":{}}");
      recipe.add("a temporary commit file");
    }
    boolean partitioned = random.nextBoolean();
    int files = random.nextInt(5);
    for (int f = 0; f < files; f++) {
      Path folder = partitioned ? table.resolve("run_date=2026-11-" + (10 + random.nextInt(3))) : table;
      if (partitioned && random.nextBoolean()) {
        folder = folder.resolve("market=" + (random.nextBoolean() ? "tokyo" : "lisbon"));
      }
      Files.createDirectories(folder);
      String name = String.format("part-%05d-%s.c000.snappy.parquet", f, UUID.randomUUID());
      // A file still being written when the JVM died is cut short: no footer, maybe no byte at all.
      Files.write(folder.resolve(name), new byte[random.nextBoolean() ? 0 : 4 + random.nextInt(200)]);
      if (random.nextBoolean()) {
        Files.write(folder.resolve("." + name + ".crc"), new byte[8]);
      }
      recipe.add(table.relativize(folder.resolve(name)).toString());
    }
    switch (kind) {
      case 1 -> {
        recipe.add("and a commit: " + (random.nextBoolean() ? "json" : "checkpoint"));
        String commit = recipe.get(recipe.size() - 1).endsWith("json")
            ? "00000000000000000000.json" : "00000000000000000010.checkpoint.parquet";
        Files.writeString(table.resolve("_delta_log").resolve(commit), "{}");
        return DeltaTables.Found.TABLE;
      }
      case 2 -> {
        String marker = List.of("_SUCCESS", OwnerMarker.FILE_NAME).get(random.nextInt(2));
        Path folder = partitioned && random.nextBoolean() ? table.resolve("run_date=2026-11-10") : table;
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(marker), "");
        recipe.add("and a marker of a finished plain write: " + table.relativize(folder.resolve(marker)));
        return DeltaTables.Found.FOREIGN;
      }
      case 3 -> {
        String other = List.of("part-00000-x.csv", "data.json", "notes.txt", "part-00000-x.orc").get(random.nextInt(4));
        Files.writeString(table.resolve(other), "1,2\n");
        recipe.add("and a file of another kind: " + other);
        return DeltaTables.Found.FOREIGN;
      }
      case 4 -> {
        String folder = List.of("backup", "_temporary", ".hidden", "=nameless").get(random.nextInt(4));
        Files.createDirectories(table.resolve(folder));
        Files.write(table.resolve(folder).resolve("part-00000-x.snappy.parquet"), new byte[16]);
        recipe.add("and a folder that is not a partition: " + folder);
        return DeltaTables.Found.FOREIGN;
      }
      case 5 -> {
        // The same data files without the log Delta makes first: not Delta's doing, so foreign.
        deleteLog(table);
        recipe.add("but no _delta_log");
        return files == 0 ? DeltaTables.Found.ABSENT : DeltaTables.Found.FOREIGN;
      }
      default -> {
        return DeltaTables.Found.ABSENT;
      }
    }
  }

  private static void deleteLog(Path table) throws IOException {
    try (var paths = Files.walk(table.resolve("_delta_log"))) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
