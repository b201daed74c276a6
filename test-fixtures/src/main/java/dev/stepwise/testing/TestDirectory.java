package dev.stepwise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A test's own directory, deleted when JUnit closes the store of the test that asked for it. */
final class TestDirectory implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private final Path path;

  private TestDirectory(Path path) {
    this.path = path;
  }

  static TestDirectory create(String testName) {
    // The name helps whoever finds a leftover directory after a killed JVM.
    String prefix = "stepwise-" + testName.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
    try {
      return new TestDirectory(Files.createTempDirectory(prefix.length() > 60 ? prefix.substring(0, 60) : prefix));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for test " + testName
          + " under " + System.getProperty("java.io.tmpdir"), e);
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    deleteRecursively(path);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
