package dev.stepwise.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a config file comes from: the file system, or the application jar (so a spark-submit of
 * the jar alone finds the pipeline it was built with). Groupings are looked up beside it.
 */
public sealed interface ConfigSource {

  /** The grouping file named {@code name} beside this config, if there is one. */
  Optional<ConfigSource> grouping(String name);

  String describe();

  static ConfigSource file(Path path) {
    return new File(path);
  }

  static ConfigSource resource(String name, ClassLoader loader) {
    return new Resource(name, loader);
  }

  record File(Path path) implements ConfigSource {
    public File {
      Objects.requireNonNull(path, "path");
    }


    @Override
    public Optional<ConfigSource> grouping(String name) {
      Path parent = path.toAbsolutePath().getParent();
      Path candidate = parent.resolve("groupings").resolve(name + ".conf");
      return Files.isRegularFile(candidate) ? Optional.of(new File(candidate)) : Optional.empty();
    }

    @Override
    public String describe() {
      return path.toString();
    }
  }

  record Resource(String name, ClassLoader loader) implements ConfigSource {

    @Override
    public Optional<ConfigSource> grouping(String groupingName) {
      int slash = name.lastIndexOf('/');
      String dir = slash < 0 ? "" : name.substring(0, slash + 1);
      String candidate = dir + "groupings/" + groupingName + ".conf";
      return loader.getResource(candidate) != null ? Optional.of(new Resource(candidate, loader)) : Optional.empty();
    }

    @Override
    public String describe() {
      return "classpath:" + name;
    }
  }
}
