package dev.stepwise.core.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.Expectation.Action;
import dev.stepwise.core.model.Expectation.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * A dataset with its expectations applied, lazily: no Spark job runs here. Violations are counted
 * with one observation over the incoming rows, so counting costs no extra pass; {@code fail} rules
 * make the first offending row raise an error when the data is computed; {@code drop} rules filter.
 * Row counts and the counts of {@code warn} and {@code drop} rules are known once the data has been
 * computed, which is when {@link #results()} is called (before the task publishes anything).
 *
 * <p>A {@code unique} rule needs every row of a key side by side. In the computing pass that is a
 * window, which shuffles and sorts whole rows. When the task writes the data to files that keep
 * every value anyway, a {@code unique} rule that drops nothing is checked on the written files
 * instead ({@link #checkKeys}): grouping only the key columns, which a columnar file reads alone.
 * Before either, a {@code unique} rule that Spark's optimizer proves from the plan (the key was
 * grouped by or deduplicated on, and no row was multiplied since) holds without any check
 * ({@link UniqueByPlan}).
 */
public final class CheckedDataset {
  private static final String DUPLICATES = "__stepwise_key_rows_";
  private static final String ROWS = "__rows";

  private final String dataset;
  private final List<Expectation> expectations;
  private final Observation observation;
  private final Dataset<Row> data;
  private final Map<Expectation, Dataset<Row>> quarantines;
  /** Indexes of the unique rules left to {@link #checkKeys}. */
  private final Set<Integer> onWrittenKeys;
  /** Indexes of the unique rules the plan proves: they hold, and nothing checks them. */
  private final Set<Integer> heldByPlan;
  /** Rows breaking each of them, once checked. */
  private final Map<Integer, Long> keyResults = new ConcurrentHashMap<>();

  private CheckedDataset(String dataset, List<Expectation> expectations, Observation observation,
      Dataset<Row> data, Map<Expectation, Dataset<Row>> quarantines, Set<Integer> onWrittenKeys,
      Set<Integer> heldByPlan) {
    this.dataset = dataset;
    this.expectations = expectations;
    this.observation = observation;
    this.data = data;
    this.quarantines = quarantines;
    this.onWrittenKeys = onWrittenKeys;
    this.heldByPlan = heldByPlan;
  }

  /** Every rule checked in the pass that computes the data. */
  public static CheckedDataset apply(String dataset, Dataset<Row> incoming, List<Expectation> expectations) {
    return apply(dataset, incoming, expectations, false);
  }

  /**
   * @param writtenExactly whether the task writes this data, before any later step reads it, to
   *     files that give back every value as written (columnar, not split into folders by value):
   *     its {@code unique} rules that drop nothing are then left to {@link #checkKeys}
   */
  public static CheckedDataset apply(String dataset, Dataset<Row> incoming, List<Expectation> expectations,
      boolean writtenExactly) {
    List<String> originalColumns = List.of(incoming.columns());
    expectations.forEach(e -> requireColumns(dataset, incoming, e));
    Set<Integer> heldByPlan = new TreeSet<>();
    Set<Integer> onWrittenKeys = new TreeSet<>();
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      if (e.kind() != Kind.UNIQUE) {
        continue;
      }
      if (UniqueByPlan.proves(incoming, e.columns())) {
        heldByPlan.add(i);
      } else if (writtenExactly && e.action() != Action.DROP) {
        onWrittenKeys.add(i);
      }
    }
    Set<Integer> unchecked = new TreeSet<>(heldByPlan);
    unchecked.addAll(onWrittenKeys);
    Dataset<Row> withKeys = incoming;
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      if (e.kind() == Kind.UNIQUE && !unchecked.contains(i)) {
        Column[] keys = e.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        withKeys = withKeys.withColumn(DUPLICATES + i, count(lit(1)).over(Window.partitionBy(keys)));
      }
    }
    List<Column> metrics = new ArrayList<>();
    metrics.add(count(lit(1)).as(ROWS));
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      if (e.kind().isRowLevel() && !unchecked.contains(i)) {
        // coalesce: a sum over no rows is null, and an empty dataset breaks no rule.
        metrics.add(coalesce(sum(when(broken(e, i), lit(1L)).otherwise(lit(0L))), lit(0L)).as("v" + i));
      }
    }
    Observation observation = new Observation("expectations_" + dataset.replaceAll("[^A-Za-z0-9_]", "_"));
    Dataset<Row> observed = withKeys.observe(observation, metrics.get(0),
        metrics.subList(1, metrics.size()).toArray(Column[]::new));

    Dataset<Row> result = observed;
    Map<Expectation, Dataset<Row>> quarantines = new LinkedHashMap<>();
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      if (!e.kind().isRowLevel() || unchecked.contains(i)) {
        continue;
      }
      Column broken = broken(e, i);
      if (e.action() == Action.FAIL) {
        String message = "expectation '" + e.name() + "' on dataset '" + dataset + "' failed: a row breaks "
            + e.describe();
        result = result.filter(when(broken, raise_error(lit(message))).otherwise(lit(true)));
      } else if (e.action() == Action.DROP) {
        if (e.quarantine().isPresent()) {
          quarantines.put(e, result.filter(broken).select(originalColumns.stream().map(c -> col(c))
              .toArray(Column[]::new)).withColumn("expectation", lit(e.name())));
        }
        result = result.filter(not(broken));
      }
    }
    Dataset<Row> data = result.select(originalColumns.stream().map(c -> col(c)).toArray(Column[]::new));
    return new CheckedDataset(dataset, List.copyOf(expectations), observation, data, quarantines,
        Set.copyOf(onWrittenKeys), Set.copyOf(heldByPlan));
  }

  /**
   * A rule naming a column the data lacks fails here, naming the rule and where it is declared: a
   * dataset without a declared schema could not be checked when the config was loaded, and Spark
   * would report only an unresolved column and its plan. Analysis only: no job runs.
   */
  private static void requireColumns(String dataset, Dataset<Row> incoming, Expectation e) {
    if (e.kind() == Kind.ROW_COUNT) {
      return;
    }
    List<String> columns = List.of(incoming.columns());
    List<String> missing = e.columns().stream()
        .filter(c -> columns.stream().noneMatch(existing -> existing.equalsIgnoreCase(c))).toList();
    String problem = null;
    if (!missing.isEmpty()) {
      problem = "names column" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
          + "' that the data does not have" + dev.stepwise.core.problem.Suggestions.didYouMean(missing.get(0), columns);
    } else if (e.kind() == Kind.SQL) {
      try {
        incoming.select(expr(e.sql()));
      } catch (Exception analysis) { // Spark's AnalysisException is checked in Java's eyes, though undeclared
        problem = "cannot be evaluated on the data: " + dev.stepwise.core.config.Reasons.of(analysis);
      }
    }
    if (problem != null) {
      throw new ExpectationFailedException("expectation '" + e.name() + "' on dataset '" + dataset + "' ("
          + e.location() + ") " + problem + "; its columns: " + String.join(", ", columns)
          + ". Fix the expectation, or declare the dataset's schema so validate catches this before a run");
    }
  }

  /** Null counts as broken for not_null and sql rules and as accepted for accepted_values, as in dbt. */
  private static Column broken(Expectation e, int index) {
    return switch (e.kind()) {
      case NOT_NULL -> e.columns().stream().map(c -> col(c).isNull()).reduce(Column::or).orElseThrow();
      case UNIQUE -> col(DUPLICATES + index).gt(1);
      case ACCEPTED_VALUES -> coalesce(not(col(e.columns().get(0)).cast("string")
          .isin(e.acceptedValues().toArray())), lit(false));
      case SQL -> not(coalesce(expr(e.sql()), lit(false)));
      case ROW_COUNT -> throw new IllegalArgumentException("a row count is not a row-level rule");
    };
  }

  public Dataset<Row> data() {
    return data;
  }

  public String dataset() {
    return dataset;
  }

  /** The names of the {@code unique} rules that hold by the plan alone, so that nothing checked them. */
  public List<String> heldByPlan() {
    return heldByPlan.stream().map(i -> expectations.get(i).name()).toList();
  }

  /** Whether some {@code unique} rule waits for {@link #checkKeys} on the written files. */
  public boolean keysPending() {
    return onWrittenKeys.stream().anyMatch(i -> !keyResults.containsKey(i));
  }

  /**
   * Checks the {@code unique} rules left to the written files, on {@code written}: the rows whose
   * key occurs more than once are counted by grouping the key columns alone, a small aggregation per rule.
   * They are the rows the window would have flagged (a null key is one key, as there). A broken
   * {@code fail} rule throws, naming up to three of the repeated keys; nothing has been published.
   */
  public void checkKeys(Dataset<Row> written) {
    for (int i : onWrittenKeys) {
      Expectation e = expectations.get(i);
      Column[] keys = e.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
      Dataset<Row> repeated = written.groupBy(keys).agg(count(lit(1)).as(DUPLICATES))
          .filter(col(DUPLICATES).gt(1));
      Row totals = repeated.agg(coalesce(sum(col(DUPLICATES)), lit(0L)), count(lit(1))).first();
      long rows = totals.getLong(0);
      keyResults.put(i, rows);
      if (rows > 0 && e.action() == Action.FAIL) {
        String examples = repeated.limit(3).collectAsList().stream()
            .map(row -> row.toSeq().take(keys.length).mkString("(", ", ", ")") + " " + row.getLong(keys.length)
                + " times")
            .collect(java.util.stream.Collectors.joining("; "));
        long repeatedKeys = totals.getLong(1);
        throw new ExpectationFailedException("expectation '" + e.name() + "' on dataset '" + dataset + "' failed: "
            + rows + " rows break " + e.describe() + ": " + repeatedKeys
            + (repeatedKeys == 1 ? " key occurs" : " keys occur") + " more than once, e.g. " + examples);
      }
    }
  }

  /** Rows dropped by each {@code drop} rule that has a quarantine, with an {@code expectation} column. */
  public Map<Expectation, Dataset<Row>> quarantines() {
    return quarantines;
  }

  /**
   * The outcome of every rule, once the data has been computed. A {@code fail} rule broken at row
   * level has already raised its error in Spark; here a row count out of bounds is found.
   */
  public List<ExpectationResult> results() {
    Row metrics = metrics();
    List<ExpectationResult> results = new ArrayList<>();
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      if (e.kind() == Kind.ROW_COUNT) {
        long rows = metrics == null ? -1 : metrics.<Long>getAs(ROWS);
        boolean inBounds = rows < 0 || (e.minRows().stream().allMatch(m -> rows >= m)
            && e.maxRows().stream().allMatch(m -> rows <= m));
        results.add(new ExpectationResult(dataset, e, rows, inBounds));
      } else if (heldByPlan.contains(i)) {
        results.add(new ExpectationResult(dataset, e, 0, true, true));
      } else if (onWrittenKeys.contains(i)) {
        long broken = keyResults.getOrDefault(i, -1L);
        results.add(new ExpectationResult(dataset, e, broken, broken <= 0));
      } else {
        long broken = metrics == null ? -1 : ((Number) metrics.getAs("v" + i)).longValue();
        results.add(new ExpectationResult(dataset, e, broken, broken <= 0));
      }
    }
    return results;
  }

  /**
   * Whether every {@code fail} rule is known to hold for what has been computed so far. Row-level
   * rules raise an error in Spark as soon as a row breaks them, so they held if no job failed; a
   * row count is known only once the data was computed, so with such a rule this waits up to
   * {@code grace} for the count and answers false (unknown) without it; a unique rule left to the
   * written files is unknown until {@link #checkKeys} ran. Staged data is kept for a resumed run,
   * which does not check it again, only when this holds for every checked dataset.
   */
  public boolean knownToHold(java.time.Duration grace) {
    if (keysPending()) {
      return false;
    }
    boolean countsMatter = expectations.stream()
        .anyMatch(e -> e.kind() == Kind.ROW_COUNT && e.action() == Action.FAIL);
    if (!countsMatter) {
      return true;
    }
    try {
      scala.concurrent.Await.ready(observation.future(),
          scala.concurrent.duration.Duration.create(grace.toMillis(), TimeUnit.MILLISECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return results().stream().allMatch(r -> r.passed() || r.expectation().action() != Action.FAIL);
  }

  private Row metrics() {
    try {
      return scala.concurrent.Await.result(observation.future(),
          scala.concurrent.duration.Duration.create(10, TimeUnit.SECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
