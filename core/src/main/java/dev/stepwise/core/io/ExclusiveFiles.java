package dev.stepwise.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small files created only if absent, whole or not at all: the primitive lock files rest on. On a
 * local disk the content is written to a file of the writer's own and hard-linked to its name, which
 * fails if the name exists (Hadoop's local {@code create(path, false)} checks, then creates: two
 * processes can both succeed). Elsewhere the file is written aside and renamed, which HDFS refuses
 * when the name exists; object stores without an atomic rename give no such guarantee.
 */
final class ExclusiveFiles {
  /** What a small file held when read, and when it was last written. */
  record Content(String text, Instant modified) {}

  private final FileSystem fs;

  ExclusiveFiles(FileSystem fs) {
    this.fs = fs;
  }

  private java.nio.file.Path local(Path path) {
    return ((LocalFileSystem) fs).pathToFile(path).toPath();
  }

  private boolean isLocal() {
    return fs instanceof LocalFileSystem;
  }

  /** Creates {@code file} holding {@code text}; false when it exists already. */
  boolean create(Path file, String text, String writer) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (isLocal()) {
      java.nio.file.Path target = local(file);
      java.nio.file.Path own = target.resolveSibling(target.getFileName() + ".tmp-" + writer);
      Files.write(own, bytes);
      try {
        Files.createLink(target, own);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(own);
      }
    }
    Path own = new Path(file.getParent(), file.getName() + ".tmp-" + writer);
    try (OutputStream out = fs.create(own, true)) {
      out.write(bytes);
    }
    boolean created = fs.rename(own, file);
    if (!created) {
      fs.delete(own, false);
    }
    return created;
  }

  /** The file's content; empty when it does not exist. */
  Optional<Content> read(Path file) throws IOException {
    if (isLocal()) {
      java.nio.file.Path path = local(file);
      try {
        Instant modified = Files.getLastModifiedTime(path).toInstant();
        return Optional.of(new Content(Files.readString(path, StandardCharsets.UTF_8), modified));
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      }
    }
    try {
      FileStatus status = fs.getFileStatus(file);
      try (InputStream in = fs.open(file)) {
        return Optional.of(new Content(new String(in.readAllBytes(), StandardCharsets.UTF_8),
            Instant.ofEpochMilli(status.getModificationTime())));
      }
    } catch (java.io.FileNotFoundException gone) {
      return Optional.empty();
    }
  }

  void delete(Path file) throws IOException {
    if (isLocal()) {
      Files.deleteIfExists(local(file));
    } else {
      fs.delete(file, false);
    }
  }
}
