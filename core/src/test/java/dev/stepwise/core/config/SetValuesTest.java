package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
      ConfigValue value = SetValues.typed("k", text.toString());
      if (value.valueType() == ConfigValueType.STRING) {
        assertEquals(text.toString(), value.unwrapped(), text.toString());
      }
    }
  }
}
