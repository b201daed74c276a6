package dev.stepwise.core.model;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logical run: its date and variables, which fill the {@code {run_date}} and {@code {name}}
 * placeholders of storage locations, and an id that keeps its staging files apart from any other
 * run's.
 *
 * <p>Every location a run touches comes from {@link #resolve(StorageSpec, String)}, which refuses
 * a placeholder value that is not one plain folder name (unless the storage allows sub-folders for
 * it) and a location outside the storage's {@link StorageRoot}.
 *
 * @param pipeline and {@code grouping}: the names a run's table commits are labelled with (see
 *     {@code io.StepwiseCommit}); empty when the caller did not say
 */
public record RunContext(LocalDate runDate, Map<String, String> vars, String runId, String pipeline,
    String grouping) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final String RUN_DATE = "run_date";

  /**
   * @throws UnsafeLocationException for {@code run_date} among the variables, a variable name no
   *     placeholder could have, or a value no location could hold (empty, control characters, '..', ...)
   */
  public RunContext {
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(grouping, "grouping");
    vars = Map.copyOf(vars);
    for (Map.Entry<String, String> var : vars.entrySet()) {
      String name = var.getKey();
      if (name.equals(RUN_DATE)) {
        throw new UnsafeLocationException("--var run_date=" + StorageRoot.printable(var.getValue())
            + ": the run date is not a variable; set it with --run-date YYYY-MM-DD");
      }
      if (name.equals("dataset")) {
        throw new UnsafeLocationException("--var dataset=...: {dataset} is always the dataset's own name;"
            + " choose another variable name");
      }
      if (!NAME.matcher(name).matches()) {
        throw new UnsafeLocationException("--var " + StorageRoot.printable(name) + "=...: '"
            + StorageRoot.printable(name) + "' is not a placeholder name (letters, digits and '_',"
            + " not starting with a digit)");
      }
      // Checked as leniently as any dataset could use it; each location checks it again, strictly
      // unless its storage allows sub-folders for it.
      PathText.valueProblem(var.getValue(), true).ifPresent(reason -> {
        throw new UnsafeLocationException(unsafeValue(name, var.getValue(), reason, Optional.empty()));
      });
    }
  }

  public RunContext(LocalDate runDate, Map<String, String> vars, String runId) {
    this(runDate, vars, runId, "", "");
  }

  /** The same run, labelled with the pipeline and grouping it runs. */
  public RunContext named(String pipelineName, String groupingName) {
    return new RunContext(runDate, vars, runId, pipelineName, groupingName);
  }

  public static RunContext of(LocalDate runDate, Map<String, String> vars) {
    return new RunContext(runDate, vars,
        runDate + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + ProcessHandle.current().pid());
  }

  /** Every placeholder value: {@code run_date} first, then the variables. */
  public Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(RUN_DATE, runDate.toString());
    values.putAll(vars);
    return values;
  }

  /**
   * Fills the placeholders of a file location {@code template}, each value one folder name.
   *
   * @throws UnresolvedPlaceholderException naming the placeholder and the dataset
   * @throws UnsafeLocationException when a value is not one plain folder name
   */
  public String resolve(String template, String dataset) {
    return fill(template, dataset, StorageSpec.files(StorageFormat.PARQUET, template));
  }

  /**
   * The storage at its resolved location for this run.
   *
   * @throws UnresolvedPlaceholderException naming the placeholder and the dataset
   * @throws UnsafeLocationException when a value is not one plain folder name (or, for placeholders
   *     in {@link StorageSpec#allowSubpaths()}, plain folder names), or the location lies outside
   *     the storage's root
   */
  public StorageSpec resolve(StorageSpec storage, String dataset) {
    String location = fill(storage.location(), dataset, storage);
    // A catalog table's folder is checked against the root once a session has looked it up.
    if (!storage.locationIsTableName()) {
      StorageRoot root = storage.root().orElseThrow(() -> new UnsafeLocationException("dataset '" + dataset
          + "': its location " + StorageRoot.printable(location) + " is not a path Hadoop can read"));
      if (!root.contains(location)) {
        throw new UnsafeLocationException("dataset '" + dataset + "' would be at " + StorageRoot.printable(location)
            + ", which is not below its storage root " + root.describe() + "; keep its path under the root,"
            + " or declare root = \"...\" on the dataset for data that lives elsewhere");
      }
    }
    return storage.withLocation(location).onRunDate(runDate);
  }

  private String fill(String template, String dataset, StorageSpec storage) {
    Map<String, String> values = values();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        throw new UnresolvedPlaceholderException(dataset, name, template);
      }
      Optional<String> problem = storage.locationIsTableName()
          ? PathText.tableValueProblem(value)
          : PathText.valueProblem(value, storage.allowSubpaths().contains(name));
      if (problem.isPresent()) {
        throw new UnsafeLocationException(unsafeValue(name, value, problem.get(), Optional.of(dataset)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String unsafeValue(String name, String value, String reason, Optional<String> dataset) {
    String flag = name.equals(RUN_DATE) ? "--run-date " : "--var " + name + "=";
    return flag + "'" + StorageRoot.printable(value) + "'" + dataset.map(d -> " (in the path of dataset '" + d + "')")
        .orElse("") + ": a placeholder value must be one plain folder name, and this one " + reason
        + (name.equals(RUN_DATE) || PathText.valueProblem(value, true).isPresent() ? ""
            : "; if the dataset's folders really nest by " + name + ", declare allow_subpaths = [" + name
                + "] on its storage");
  }
}
