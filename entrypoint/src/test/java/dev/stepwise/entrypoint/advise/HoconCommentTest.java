package dev.stepwise.entrypoint.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class HoconCommentTest {
  @Test
  void aMultiLineErrorStaysInsideTheComment() {
    String note = "not merging a with b: grouping 'candidate' has a cycle:\n  a -> b\n  b -> a\nsplit them";
    String comment = HoconComment.wrapped(note);
    comment.lines().forEach(line -> assertTrue(line.startsWith("#    "), "uncommented line: " + line));
    assertTrue(ConfigFactory.parseString(comment + "x = 1\n").hasPath("x"), "the comment parses as HOCON");
  }

  @Test
  void longTextIsWrappedWithoutLosingWords() {
    String text = "word ".repeat(60).strip();
    String comment = HoconComment.wrapped(text);
    comment.lines().forEach(line -> assertTrue(line.length() <= 110, "too long: " + line));
    assertEquals(60, comment.replace("#", " ").strip().split("\\s+").length);
  }
}
