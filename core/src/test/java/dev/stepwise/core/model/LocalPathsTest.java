package dev.stepwise.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A local location means the same folder whether written as a path or as its {@code file:} URI. */
class LocalPathsTest {
  private static final List<String> PIECES = List.of("data", "a b", "100%", "é", "x#y", "run_date=2026-01-01", "[1]");

  @Test
  void aPathAndItsFileUriNameTheSameFolder() {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      Path path = Path.of("/tmp");
      int depth = 1 + random.nextInt(4);
      for (int d = 0; d < depth; d++) {
        path = path.resolve(PIECES.get(random.nextInt(PIECES.size())));
      }
      String uri = path.toUri().toString();
      assertTrue(LocalPaths.isLocal(uri), uri);
      assertTrue(LocalPaths.isLocal(path.toString()), path.toString());
      assertEquals(path, LocalPaths.of(uri), uri);
      assertEquals(path, LocalPaths.of(path.toString()));
    }
  }

  @Test
  void aLocationWithAnotherSchemeIsNotLocal() {
    for (String location : List.of("hdfs://nn/data", "s3a://bucket/x", "abfss://c@a.dfs.core.windows.net/p")) {
      assertFalse(LocalPaths.isLocal(location), location);
    }
  }
}
