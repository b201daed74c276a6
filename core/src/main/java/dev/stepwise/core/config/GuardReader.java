package dev.stepwise.core.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stepwise.core.model.RowGuard;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/** Reads a dataset's {@code guard { min_rows = N, max_drop = 0.5 }} block. */
final class GuardReader {
  static final Set<String> KEYS = Set.of("min_rows", "max_drop");

  private GuardReader() {}

  static Optional<RowGuard> read(ConfigBlock dataset, boolean stored) {
    Optional<ConfigBlock> found = dataset.block("guard");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ConfigBlock block = found.get().allowOnly(KEYS);
    if (!stored) {
      block.problem("a guard needs the dataset to be written: give this dataset a format and path");
    }
    OptionalLong minRows = OptionalLong.empty();
    OptionalDouble maxDrop = OptionalDouble.empty();
    Optional<ConfigValue> min = block.value("min_rows");
    if (min.isPresent()) {
      if (min.get().valueType() == ConfigValueType.NUMBER && min.get().unwrapped() instanceof Number n
          && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= 0) {
        minRows = OptionalLong.of(n.longValue());
      } else {
        block.problem(min.get(), "min_rows", "expected a whole number of rows, 0 or more, got "
            + min.get().render());
      }
    }
    Optional<ConfigValue> drop = block.value("max_drop");
    if (drop.isPresent()) {
      if (drop.get().valueType() == ConfigValueType.NUMBER && drop.get().unwrapped() instanceof Number n
          && n.doubleValue() >= 0 && n.doubleValue() < 1) {
        maxDrop = OptionalDouble.of(n.doubleValue());
      } else {
        block.problem(drop.get(), "max_drop", "expected a fraction from 0 up to (not including) 1, such as 0.5"
            + " for 'at most half fewer rows than last time', got " + drop.get().render());
      }
    }
    if (min.isEmpty() && drop.isEmpty()) {
      block.problem("guard needs min_rows, max_drop or both");
    }
    return Optional.of(new RowGuard(minRows, maxDrop, block.location()));
  }
}
