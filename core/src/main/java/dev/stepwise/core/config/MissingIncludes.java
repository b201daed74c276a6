package dev.stepwise.core.config;

import com.typesafe.config.ConfigException;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.problem.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * typesafe-config reports a missing {@code include required(...)} at the missing file, without the
 * line of the include: this finds that line in the config that includes it.
 */
final class MissingIncludes {
  private MissingIncludes() {}

  static Optional<ConfigProblem> explain(ConfigSource source, ConfigException.IO e) {
    if (!(source instanceof ConfigSource.File file) || e.origin() == null) {
      return Optional.empty();
    }
    String missing = e.origin().filename() != null ? e.origin().filename()
        : e.origin().resource() != null ? e.origin().resource() : e.origin().description();
    if (missing == null || Path.of(missing).toAbsolutePath().equals(file.path().toAbsolutePath())) {
      return Optional.empty();
    }
    String name = Path.of(missing).getFileName().toString();
    List<String> lines;
    try {
      lines = Files.readAllLines(file.path());
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.contains("include") && line.contains(name)) {
        return Optional.of(new ConfigProblem(file.path() + ":" + (i + 1), "include",
            "the included file " + missing + " does not exist; create it, fix the path (relative paths are"
                + " relative to " + file.path().toAbsolutePath().getParent() + "), or drop 'required(...)'"
                + " to make it optional"));
      }
    }
    return Optional.empty();
  }
}
