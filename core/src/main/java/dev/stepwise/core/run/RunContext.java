package dev.stepwise.core.run;

import dev.stepwise.core.config.StorageSpec;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logical run: its date and variables, which fill the {@code {run_date}} and {@code {name}}
 * placeholders of storage locations, and an id that keeps its staging files apart from any other
 * run's.
 */
public record RunContext(LocalDate runDate, Map<String, String> vars, String runId) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  public RunContext {
    Objects.requireNonNull(runDate, "runDate");
    vars = Map.copyOf(vars);
    Objects.requireNonNull(runId, "runId");
  }

  public static RunContext of(LocalDate runDate, Map<String, String> vars) {
    return new RunContext(runDate, vars,
        runDate + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + ProcessHandle.current().pid());
  }

  /** Every placeholder value: {@code run_date} first, then the variables. */
  public Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("run_date", runDate.toString());
    values.putAll(vars);
    return values;
  }

  /**
   * Fills the placeholders of {@code template}.
   *
   * @throws UnresolvedPlaceholderException naming the placeholder and the dataset
   */
  public String resolve(String template, String dataset) {
    Map<String, String> values = values();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new UnresolvedPlaceholderException(dataset, m.group(1), template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public StorageSpec resolve(StorageSpec storage, String dataset) {
    return storage.withLocation(resolve(storage.location(), dataset));
  }
}
