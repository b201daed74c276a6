package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.io.Preflight.Contents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-flight's verdict on generated input layouts. Each layout is built from a recipe whose verdict
 * is known: clutter that holds no data (empty folders, nested empty folders, zero-byte files,
 * hidden files and folders even with data inside them), then maybe one real data file somewhere
 * under non-hidden folders, or Spark's {@code _SUCCESS}. Both ways of looking (java.nio for local
 * paths, Hadoop for the rest) must agree with the recipe.
 */
class PreflightLayoutTest {
  private static final int LAYOUTS = 400;
  @TempDir Path dir;

  @Test
  void onlyARealDataFileOrSparksSuccessMarkerCountsAsData() throws IOException {
    Random random = new Random(20261121);
    Configuration hadoop = new Configuration();
    Map<Contents, Integer> verdicts = new EnumMap<>(Contents.class);
    for (int i = 0; i < LAYOUTS; i++) {
      Path input = dir.resolve("layout-" + i);
      List<String> recipe = new ArrayList<>();
      Contents expected = build(input, random, recipe);
      String why = "layout " + i + ": " + recipe;
      assertEquals(expected, Preflight.contentsOf(input.toString(), () -> hadoop), why + " (local path)");
      assertEquals(expected, Preflight.contentsOf(input.toUri().toString(), () -> hadoop), why + " (file: URI)");
      assertEquals(expected, Preflight.contentsOf(new org.apache.hadoop.fs.Path(input.toUri()), hadoop),
          why + " (through Hadoop)");
      verdicts.merge(expected, 1, Integer::sum);
    }
    System.out.println("pre-flight layouts: " + LAYOUTS + " generated, verdicts " + verdicts);
    verdicts.values().forEach(n -> org.junit.jupiter.api.Assertions.assertTrue(n > 20, "each verdict is tried often"));
  }

  private static Contents build(Path input, Random random, List<String> recipe) throws IOException {
    int kind = random.nextInt(10);
    if (kind == 0) {
      recipe.add("nothing");
      return Contents.ABSENT;
    }
    if (kind == 1) {
      byte[] bytes = random.nextBoolean() ? new byte[0] : "1,2\n".getBytes();
      Files.createDirectories(input.getParent());
      Files.write(input, bytes);
      recipe.add("a single file of " + bytes.length + " bytes");
      return bytes.length > 0 ? Contents.DATA : Contents.EMPTY;
    }
    Files.createDirectories(input);
    List<Path> visibleFolders = new ArrayList<>(List.of(input));
    int clutter = random.nextInt(6);
    for (int c = 0; c < clutter; c++) {
      Path parent = visibleFolders.get(random.nextInt(visibleFolders.size()));
      switch (random.nextInt(5)) {
        case 0 -> {
          Path folder = Files.createDirectories(parent.resolve("part_col=" + c));
          visibleFolders.add(folder);
          recipe.add("empty folder " + input.relativize(folder));
        }
        case 1 -> {
          Path file = Files.createFile(parent.resolve("part-" + c + ".parquet"));
          recipe.add("zero-byte " + input.relativize(file));
        }
        case 2 -> {
          Path file = Files.writeString(parent.resolve(".part-" + c + ".crc"), "checksum");
          recipe.add("hidden " + input.relativize(file));
        }
        case 3 -> {
          Path file = Files.writeString(parent.resolve("_committed_" + c), "spark bookkeeping");
          recipe.add("hidden " + input.relativize(file));
        }
        default -> {
          Path folder = Files.createDirectories(parent.resolve(random.nextBoolean() ? "_temporary" : ".staging"));
          Files.writeString(folder.resolve("part-0.json"), "{\"a\": 1}\n");
          recipe.add("data inside hidden folder " + input.relativize(folder));
        }
      }
    }
    switch (random.nextInt(3)) {
      case 0 -> {
        return Contents.EMPTY;
      }
      case 1 -> {
        Files.createFile(input.resolve("_SUCCESS"));
        recipe.add("_SUCCESS");
        return Contents.DATA;
      }
      default -> {
        Path parent = visibleFolders.get(random.nextInt(visibleFolders.size()));
        Path file = Files.writeString(parent.resolve("data-" + random.nextInt(1000) + ".csv"), "1,2\n");
        recipe.add("data file " + input.relativize(file));
        return Contents.DATA;
      }
    }
  }
}
