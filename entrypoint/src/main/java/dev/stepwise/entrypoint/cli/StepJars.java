package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepLibrary;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * The user's step jars ({@code --jars}): each checked before any Spark, then the step catalog of
 * every {@link StepLibrary} they and the class path hold, with each step type traced to its jar so
 * that two libraries claiming one type name are reported by jar.
 */
final class StepJars {
  static final String SERVICE = "META-INF/services/" + StepLibrary.class.getName();

  private final List<Path> jars;

  private StepJars(List<Path> jars) {
    this.jars = List.copyOf(jars);
  }

  /** Checks that each jar exists, is a jar, and declares a {@link StepLibrary}; else a usage error naming it. */
  static StepJars checked(List<Path> jars) {
    for (Path jar : jars) {
      check(jar);
    }
    return new StepJars(jars);
  }

  List<Path> jars() {
    return jars;
  }

  private static void check(Path jar) {
    if (!Files.exists(jar)) {
      throw new UsageException("--jars: " + jar + " does not exist (working directory "
          + Path.of("").toAbsolutePath() + "); build your steps jar (mvn package) or fix the path");
    }
    if (!Files.isRegularFile(jar)) {
      throw new UsageException("--jars: " + jar + " is not a file; pass the jar your build made, e.g. target/my-steps.jar");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      if (file.getEntry(SERVICE) == null) {
        throw new UsageException("--jars: " + jar + " has no step library: it lacks " + SERVICE
            + "; list your StepLibrary class in that file (one class name a line) and rebuild the jar");
      }
    } catch (IOException e) {
      throw new UsageException("--jars: " + jar + " is not a readable jar (" + e.getMessage() + ")");
    }
  }

  /**
   * The loader the step classes come from: the jars over {@code parent}. When bin/stepwise or
   * spark-submit has already put them on the class path the parent answers first, so each class is
   * loaded once either way.
   */
  ClassLoader loader(ClassLoader parent) {
    if (jars.isEmpty()) {
      return parent;
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toAbsolutePath().toUri().toURL();
      } catch (MalformedURLException e) {
        throw new UsageException("--jars: " + jars.get(i) + " is not a usable path (" + e.getMessage() + ")");
      }
    }
    return new URLClassLoader("stepwise-user-jars", urls, parent);
  }

  /** Every step type of every library the loader sees; two libraries defining one name is a usage error. */
  static StepCatalog catalog(ClassLoader loader) {
    Map<String, String> originOfType = new LinkedHashMap<>();
    List<StepType> types = new ArrayList<>();
    ServiceLoader<StepLibrary> libraries = ServiceLoader.load(StepLibrary.class, loader);
    try {
      for (StepLibrary library : libraries) {
        String origin = origin(library);
        for (StepType type : library.stepTypes()) {
          String previous = originOfType.putIfAbsent(type.name(), origin);
          if (previous != null) {
            throw new UsageException("step type '" + type.name() + "' is defined twice: by " + previous + " and by "
                + origin + "; remove one of the jars, or rename the type in one library");
          }
          types.add(type);
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new UsageException("a step library cannot be loaded: " + e.getMessage()
          + "; check the class names in " + SERVICE + " of your jar");
    }
    return StepCatalog.of(types);
  }

  /** "library com.acme.MySteps in /path/my-steps.jar": the class and where it was loaded from. */
  private static String origin(StepLibrary library) {
    Class<?> type = library.getClass();
    CodeSource source = type.getProtectionDomain().getCodeSource();
    String where = "the class path";
    if (source != null && source.getLocation() != null) {
      try {
        where = Path.of(source.getLocation().toURI()).toString();
      } catch (URISyntaxException | IllegalArgumentException e) {
        where = source.getLocation().toString();
      }
    }
    return "library " + type.getName() + " in " + where;
  }
}
