package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code --set} values get the type HOCON gives the same text in a file; strings stay as typed. */
class SetValuesTest {
  @Test
  void numbersAndBooleansAreTypedAndStringsKeptByteForByte() {
    Random random = new Random(11);
    for (int i = 0; i < 500; i++) {
      int n = random.nextInt(Integer.MAX_VALUE) - Integer.MAX_VALUE / 2;
      assertEquals(n, SetValues.typed("k", Integer.toString(n)).unwrapped());
      ConfigValue decimal = SetValues.typed("k", n + ".25");
      assertEquals(ConfigValueType.NUMBER, decimal.valueType(), n + ".25");
    }
    assertEquals(Boolean.TRUE, SetValues.typed("k", "true").unwrapped());
    assertEquals(Boolean.FALSE, SetValues.typed("k", "false").unwrapped());
    assertEquals(List.of("a", "b"), SetValues.typed("k", "[a, b]").unwrapped());
    for (String text : List.of("s3a://bucket/path", "file:///tmp/x", "${HOME}/data", "a # not a comment", "10m", "2g",
        "", " ", "x, y = 2", "two words", "/tmp/a:b", "\"quoted\"", "0x10", "1 2")) {
      ConfigValue value = SetValues.typed("k", text);
      if (value.valueType() == ConfigValueType.STRING) {
        assertEquals(text, value.unwrapped(), text);
      }
    }
    for (int i = 0; i < 500; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(20);
      for (int c = 0; c < length; c++) {
        text.append((char) (32 + random.nextInt(95)));
      }
      assertNothingLost(text.toString());
    }
  }

  @Test
  void aCommentMarkerNeverCutsAValueShort() {
    for (String text : List.of("5#x", "5 # five", "true // yes", "null#", "7//", "1.5#\u0000", "[a] # list",
        "{ a = 1 } // map")) {
      assertEquals(text, SetValues.typed("k", text).unwrapped(), text);
    }
    Random random = new Random(17);
    String[] pieces = {"5", "true", "null", "1.5", "#", "//", " ", "x", "[a]", "\"", "0"};
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      for (int p = random.nextInt(5) + 1; p > 0; p--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      assertNothingLost(text.toString());
    }
  }

  /** A typed value renders back to what was typed; anything else is the text as typed. */
  private static void assertNothingLost(String text) {
    ConfigValue value = SetValues.typed("k", text);
    switch (value.valueType()) {
      case STRING -> assertEquals(text, value.unwrapped(), text);
      case NUMBER -> assertEquals(0, new java.math.BigDecimal(text.strip())
          .compareTo(new java.math.BigDecimal(value.unwrapped().toString())), text);
      case BOOLEAN, NULL -> assertEquals(text.strip(), value.render(), text);
      default -> assertFalse(text.contains("#") || text.contains("//"), text);
    }
  }
}
