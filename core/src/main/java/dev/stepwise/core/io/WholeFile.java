package dev.stepwise.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a small properties file so that a reader finds it whole or not at all: written under a
 * temporary name, then renamed. Markers and the publish journal are such files; each write and each
 * rename is a crash point.
 */
final class WholeFile {
  private WholeFile() {}

  /** @return whether the rename to {@code destination} succeeded (the temporary file stays if not) */
  static boolean write(FileSystem fs, Properties properties, String comment, Path temporary, Path destination,
      String writePoint, String renamePoint) throws IOException {
    StringWriter text = new StringWriter();
    properties.store(text, comment);
    CrashPoints.reach(writePoint);
    try (OutputStream out = fs.create(temporary, true)) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    CrashPoints.reach(renamePoint);
    return fs.rename(temporary, destination);
  }

  /** The properties in {@code file}; empty when there is no such file. */
  static Optional<Properties> read(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = fs.open(file)) {
      properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
    return Optional.of(properties);
  }
}
