package dev.stepwise.core.model;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What text may become part of a storage location. Placeholder values ({@code --var}, the run
 * date) and the folder names Stepwise builds itself must each stay one plain folder name: nothing
 * a file system, Hadoop, Spark's file patterns or a URI decoder would read as a way up, across or
 * out.
 */
public final class PathText {
  /** Longer names are refused by most file systems (255 bytes); refusing here says which value it was. */
  static final int MAX_SEGMENT = 255;
  private static final Pattern PERCENT_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");
  private static final Pattern TABLE_PART = Pattern.compile("[A-Za-z0-9_]+");
  private static final String PATTERN_CHARACTERS = "*?[]{}";

  private PathText() {}

  /** Control, invisible formatting and line-separator characters, and unpaired surrogates. */
  public static Optional<String> forbiddenCharacter(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.isISOControl(cp) || isInvisible(cp) || Character.isSurrogate((char) cp)) {
        return Optional.of(String.format("the character U+%04X", cp));
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
  }

  /**
   * Why {@code value} cannot fill a placeholder of a file location, if it cannot.
   *
   * @param subpaths whether the dataset allows this placeholder to hold several folders ("a/b")
   * @return a reason that reads after "it": "contains '/'", ...
   */
  public static Optional<String> valueProblem(String value, boolean subpaths) {
    if (value.isEmpty()) {
      return Optional.of("is empty");
    }
    if (value.isBlank()) {
      return Optional.of("is only whitespace");
    }
    if (subpaths && value.startsWith("/")) {
      return Optional.of("starts with '/', an absolute path");
    }
    if (!subpaths && value.indexOf('/') >= 0) {
      return Optional.of("contains '/', which would make more than one folder");
    }
    for (String segment : value.split("/", -1)) {
      Optional<String> problem = segmentProblem(segment);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** Why {@code segment} cannot be one folder name, if it cannot. */
  public static Optional<String> segmentProblem(String segment) {
    if (segment.isEmpty()) {
      return Optional.of("has an empty folder name (a leading, trailing or doubled '/')");
    }
    Optional<String> problem = plainNameProblem(segment);
    if (problem.isPresent()) {
      return problem;
    }
    // Some stores and tools fold look-alikes (full-width '．', '／') into their ASCII forms: check those too.
    String folded = Normalizer.normalize(segment, Normalizer.Form.NFKC);
    if (!folded.equals(segment)) {
      if (folded.indexOf('/') >= 0) {
        return Optional.of("has a character that reads as '/' once normalized (NFKC)");
      }
      return plainNameProblem(folded).map(p -> p + " once normalized (NFKC)");
    }
    return Optional.empty();
  }

  /**
   * Why a folder name Stepwise builds from config names (pipeline, grouping, task) cannot be one
   * folder, if it cannot. Looser than a placeholder value: such names may start with '_' ("_reports").
   */
  public static Optional<String> builtNameProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return Optional.of("is not one folder name");
    }
    return forbiddenCharacter(name).map(c -> "contains " + c);
  }

  private static Optional<String> plainNameProblem(String segment) {
    if (!segment.strip().equals(segment)) {
      return Optional.of("starts or ends with whitespace");
    }
    Optional<String> forbidden = forbiddenCharacter(segment);
    if (forbidden.isPresent()) {
      return Optional.of("contains " + forbidden.get());
    }
    if (segment.equals(".") || segment.equals("..")) {
      return Optional.of("is '" + segment + "', which names a folder up or here");
    }
    if (segment.contains("..")) {
      return Optional.of("contains '..'");
    }
    if (segment.startsWith(".") || segment.startsWith("_")) {
      return Optional.of("starts with '" + segment.charAt(0) + "': Spark and Hadoop skip such names as hidden,"
          + " and Stepwise keeps its locks and staging folders under them");
    }
    if (segment.indexOf('\\') >= 0) {
      return Optional.of("contains '\\'");
    }
    if (segment.indexOf(':') >= 0) {
      return Optional.of("contains ':', which reads as a URI scheme or a drive");
    }
    for (char c : PATTERN_CHARACTERS.toCharArray()) {
      if (segment.indexOf(c) >= 0) {
        return Optional.of("contains '" + c + "', which Spark reads as a file pattern");
      }
    }
    if (PERCENT_ENCODED.matcher(segment).find()) {
      return Optional.of("contains a percent-encoded character (such as %2e or %2f)");
    }
    if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT) {
      return Optional.of("is longer than " + MAX_SEGMENT + " bytes");
    }
    return Optional.empty();
  }

  /** Why {@code value} cannot fill a placeholder of a table name, if it cannot: letters, digits and '_' only. */
  public static Optional<String> tableValueProblem(String value) {
    return TABLE_PART.matcher(value).matches() ? Optional.empty()
        : Optional.of(value.isEmpty() ? "is empty" : "holds more than letters, digits and '_'");
  }
}
