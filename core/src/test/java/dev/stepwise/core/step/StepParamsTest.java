package dev.stepwise.core.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.problem.InvalidConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepParamsTest {
  enum Mode { STRICT, LENIENT }

  @Test
  void typedValues() {
    StepParams p = StepParams.of(Map.of("rate", "0.029", "window", "36h", "mode", "lenient", "n", 3,
        "markets", Map.of("tokyo", 0.05)));
    assertEquals(new BigDecimal("0.029"), p.decimal("rate"));
    assertEquals(Duration.ofHours(36), p.duration("window"));
    assertEquals(Mode.LENIENT, p.choice("mode", Mode.class, Mode.STRICT));
    assertEquals(3, p.integer("n"));
    assertEquals(Map.of("tokyo", new BigDecimal("0.05")), p.decimals("markets"));
    assertEquals(7, p.integer("absent", 7));
    assertEquals(List.of(), p.unknownKeys());
  }

  @Test
  void keysNoGetterAskedForAreReportedWithASuggestion() {
    StepParams p = StepParams.of(Map.of("rate", "0.1", "windw", "1h"));
    p.decimal("rate");
    p.duration("window", Duration.ZERO);
    assertEquals(1, p.unknownKeys().size());
    assertTrue(p.unknownKeys().get(0).message().contains("did you mean 'window'?"), p.unknownKeys().toString());
  }

  @Test
  void badValuesNameTheKeyAndWhatIsValid() {
    StepParams p = StepParams.of(Map.of("rate", "cheap", "mode", "loose"));
    InvalidConfigException rate = assertThrows(InvalidConfigException.class, () -> p.decimal("rate"));
    assertTrue(rate.getMessage().contains("params.rate") && rate.getMessage().contains("decimal"), rate.getMessage());
    InvalidConfigException mode = assertThrows(InvalidConfigException.class,
        () -> p.choice("mode", Mode.class, Mode.STRICT));
    assertTrue(mode.getMessage().contains("strict, lenient"), mode.getMessage());
    InvalidConfigException missing = assertThrows(InvalidConfigException.class, () -> p.string("absent"));
    assertTrue(missing.getMessage().contains("missing required parameter"), missing.getMessage());
  }
}
