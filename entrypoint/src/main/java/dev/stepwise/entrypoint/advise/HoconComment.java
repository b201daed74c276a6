package dev.stepwise.entrypoint.advise;

/** Free text turned into indented HOCON comment lines, so a grouping file can carry explanations. */
final class HoconComment {
  private static final int WIDTH = 110;
  private static final String PREFIX = "#    ";

  private HoconComment() {
  }

  /**
   * Every line of the result starts with {@code #}: the text may quote a multi-line error, and a line
   * break passed through would leave the rest of it as (broken) config.
   */
  static String wrapped(String text) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(PREFIX);
    for (String word : text.strip().split("\\s+")) {
      if (line.length() > PREFIX.length() && line.length() + word.length() > WIDTH) {
        out.append(line.toString().stripTrailing()).append('\n');
        line = new StringBuilder(PREFIX);
      }
      line.append(word).append(' ');
    }
    return out.append(line.toString().stripTrailing()).append('\n').toString();
  }
}
