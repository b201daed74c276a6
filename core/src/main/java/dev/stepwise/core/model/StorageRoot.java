package dev.stepwise.core.model;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The folder a dataset's locations must stay under: the pipeline's {@code storage_root}, a root the
 * dataset declares for itself ({@code root = ...}), or, when the config names neither, the fixed
 * part of the dataset's path before its first placeholder. The one place that decides whether a
 * resolved location is inside: every read, write, lock, staging folder and report of a run is a
 * location checked here, or a sibling inside the same folder as one.
 *
 * <p>Locations are compared as Hadoop sees them: scheme, authority and the path after Hadoop's own
 * normalization (which resolves {@code .} and {@code ..}), with a plain path meaning the local file
 * system and a relative one the working directory. So {@code file:///data/x} and {@code /data/x}
 * compare equal, and {@code /data/a/../../etc} is outside {@code /data}.
 *
 * @param declared the root as the config wrote it, for messages
 * @param origin where the root comes from, for messages
 * @param normalized scheme, authority and normalized absolute path; never ends with a slash
 */
public record StorageRoot(String declared, Origin origin, URI normalized) {
  /** Characters Hadoop and Spark read as a glob pattern: a root holding one could read outside itself. */
  private static final Pattern GLOB = Pattern.compile("[*?\\[\\]{}]");
  private static final Pattern PERCENT_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");

  /** Which config key a root comes from. */
  public enum Origin {
    PIPELINE("pipeline.storage_root"),
    DATASET("the dataset's own root"),
    PATH_PREFIX("the fixed part of its path (the config names no storage_root)");

    private final String description;

    Origin(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  public StorageRoot {
    Objects.requireNonNull(declared, "declared");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(normalized, "normalized");
  }

  /**
   * A root the config declares ({@code pipeline.storage_root} or a dataset's {@code root}).
   *
   * @throws IllegalArgumentException saying what is wrong with it and what would do
   */
  public static StorageRoot declared(String text, Origin origin) {
    problem(text).ifPresent(reason -> {
      throw new IllegalArgumentException(reason);
    });
    return new StorageRoot(text, origin, normalize(text).orElseThrow());
  }

  /** Why {@code text} cannot be a storage root, if it cannot. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.of("is empty: every dataset path would start at the top of the file system;"
          + " give a folder such as ./data or /data/stepwise (an empty environment variable counts as set)");
    }
    if (text.isBlank()) {
      return Optional.of("is only whitespace; give a folder such as ./data or /data/stepwise");
    }
    if (!text.strip().equals(text)) {
      return Optional.of("'" + printable(text) + "' starts or ends with whitespace; remove it");
    }
    Optional<String> bad = PathText.forbiddenCharacter(text);
    if (bad.isPresent()) {
      return Optional.of("'" + printable(text) + "' contains " + bad.get() + "; give a plain folder path");
    }
    if (text.indexOf('\\') >= 0) {
      return Optional.of("'" + printable(text) + "' contains a backslash; write the folder with '/'");
    }
    if (GLOB.matcher(text).find()) {
      return Optional.of("'" + printable(text) + "' contains one of * ? [ ] { }, which Spark reads as a file"
          + " pattern; give a plain folder path");
    }
    if (PERCENT_ENCODED.matcher(text).find()) {
      return Optional.of("'" + printable(text) + "' contains a percent-encoded character; write it as it is");
    }
    for (String segment : text.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("'" + printable(text) + "' contains '..'; write the folder without it");
      }
    }
    Optional<URI> normalized = normalize(text);
    if (normalized.isEmpty()) {
      return Optional.of("'" + printable(text) + "' is not a path Hadoop can read; give a folder such as"
          + " /data/stepwise or hdfs://namenode/data/stepwise");
    }
    String path = normalized.get().getPath();
    if (path.isEmpty() || path.equals("/")) {
      return Optional.of("'" + printable(text) + "' is the top of its file system; give a folder of its own"
          + " such as /data/stepwise");
    }
    return Optional.empty();
  }

  /**
   * The root implied by a path template when the config declares none: its text up to the last
   * {@code /} before the first placeholder, so no placeholder value can lead outside what the
   * config itself wrote.
   */
  public static Optional<StorageRoot> enclosing(String template) {
    int placeholder = template.indexOf('{');
    String fixed = placeholder < 0 ? template : template.substring(0, placeholder);
    int slash = fixed.lastIndexOf('/');
    String folder = slash < 0 ? "." : fixed.substring(0, slash);
    // "/x" and "hdfs://nn/x" leave "" and "hdfs://nn" here: their folder is the top of that file system.
    Optional<URI> uri = normalize(folder).or(() -> normalize(folder + "/"));
    return uri.map(u -> new StorageRoot(folder.isEmpty() ? "/" : folder, Origin.PATH_PREFIX, u));
  }

  /** Whether {@code location} lies strictly below this root (the root itself is not a place to write). */
  public boolean contains(String location) {
    return normalize(location).map(this::contains).orElse(false);
  }

  private boolean contains(URI location) {
    if (!Objects.equals(normalized.getScheme(), location.getScheme())
        || !Objects.equals(normalized.getRawAuthority(), location.getRawAuthority())) {
      return false;
    }
    String path = location.getPath();
    String prefix = normalized.getPath().endsWith("/") ? normalized.getPath() : normalized.getPath() + "/";
    return path.startsWith(prefix) && path.length() > prefix.length() && !hasDotDot(path);
  }

  /** Whether the location itself, without the strictness of {@link #contains}, is this root or inside it. */
  public boolean containsOrIs(String location) {
    return normalize(location).map(uri -> uri.equals(normalized) || contains(uri)).orElse(false);
  }

  /** A location below this root, one folder name per segment. */
  public String child(String... segments) {
    StringBuilder out = new StringBuilder(declared.endsWith("/") ? declared.substring(0, declared.length() - 1)
        : declared);
    for (String segment : segments) {
      PathText.builtNameProblem(segment).ifPresent(reason -> {
        throw new IllegalArgumentException("'" + printable(segment) + "' cannot be a folder name under "
            + declared + ": it " + reason);
      });
      out.append('/').append(segment);
    }
    String location = out.toString();
    if (!contains(location)) {
      throw new IllegalArgumentException(location + " is not below " + declared);
    }
    return location;
  }

  /** The root as a person reads it: what the config wrote, and where that comes from. */
  public String describe() {
    return declared + " (" + origin.description() + ")";
  }

  /**
   * Scheme, authority and Hadoop-normalized absolute path of a location; empty when Hadoop cannot
   * parse it or its path still climbs above the top after normalization.
   */
  public static Optional<URI> normalize(String location) {
    if (location == null || location.isEmpty() || PathText.forbiddenCharacter(location).isPresent()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new org.apache.hadoop.fs.Path(location).toUri();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    String authority = uri.getRawAuthority();
    if (scheme.equals("file")) {
      if (authority != null && !authority.isEmpty() && !authority.equals("localhost")) {
        return Optional.empty(); // Hadoop's local file system refuses a host: "file://x/data" would fail, or worse
      }
      authority = null;
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.startsWith("/")) {
      if (!scheme.equals("file") || uri.getScheme() != null) {
        return Optional.empty(); // "hdfs:relative" has no meaning worth guessing
      }
      path = Path.of("").toAbsolutePath().toString().replace('\\', '/') + "/" + path;
    }
    try {
      URI result = new URI(scheme, authority, path, null, null).normalize();
      String normalizedPath = result.getPath();
      if (hasDotDot(normalizedPath)) {
        return Optional.empty();
      }
      if (normalizedPath.length() > 1 && normalizedPath.endsWith("/")) {
        result = new URI(scheme, authority, normalizedPath.substring(0, normalizedPath.length() - 1), null, null);
      }
      return Optional.of(result);
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean hasDotDot(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** A value as it can be printed on one line: control characters escaped, very long text cut. */
  public static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(120).forEach(cp -> {
      if (Character.isISOControl(cp) || PathText.isInvisible(cp)) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    if (text.codePointCount(0, text.length()) > 120) {
      out.append("... (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }
}
