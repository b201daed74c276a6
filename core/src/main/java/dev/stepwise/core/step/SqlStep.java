package dev.stepwise.core.step;

import dev.stepwise.core.problem.InvalidConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;

/**
 * The built-in step type {@code sql}: a Spark SQL query in the config, so a union or a filter needs
 * no Java class.
 *
 * <pre>
 * only_large_charges {
 *   type = sql
 *   inputs { payments = payments_with_fees }
 *   outputs { result = large_charges }
 *   params {
 *     query = "SELECT * FROM payments WHERE kind = 'CHARGE' AND amount_usd >= :min_usd"
 *     args { min_usd = 1000.00 }
 *   }
 * }
 * </pre>
 *
 * <p>Each input role is a table name the query reads; {@code :name} markers take the typed values
 * of {@code args}, bound by Spark as literals (never spliced into the text, so a value cannot change
 * the query). The one output role is {@code result}. At load the query is parsed, its tables must be
 * its input roles (or its own CTEs), its markers and args must match; see {@link SqlQueryCheck}.
 *
 * <p>While the query is analyzed, each role is a temporary view of the session; the views are
 * dropped as soon as the analyzed result exists, which no longer needs them, so no session state
 * outlives the step. The output columns and types are known only then (analysis needs a session),
 * which is when a declared schema of the output dataset is checked: when the task starts the step,
 * before any data is read.
 */
public final class SqlStep implements Step {
  public static final String TYPE_NAME = "sql";
  public static final String OUTPUT_ROLE = "result";
  public static final StepType TYPE =
      StepType.named(TYPE_NAME).inputsFromConfig().outputs(OUTPUT_ROLE).create(SqlStep::from);

  private final String query;
  private final Map<String, Object> args;
  private final List<String> roles;

  /**
   * @param roles the input roles, which the query reads as tables
   * @param args named-marker values: String, Boolean, Long, Integer, BigDecimal, or any literal Spark accepts
   * @throws IllegalArgumentException if the query does not parse or does not match the roles and args
   */
  public SqlStep(String query, Map<String, ?> args, List<String> roles) {
    this.query = Objects.requireNonNull(query, "query");
    this.args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    this.roles = List.copyOf(roles);
    List<SqlQueryCheck.Problem> problems = SqlQueryCheck.of(query, roles, this.args.keySet());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          String.join("; ", problems.stream().map(SqlQueryCheck.Problem::message).toList()));
    }
  }

  /** Reads {@code query} and {@code args}; every problem is reported at the query's file:line. */
  public static SqlStep from(StepParams params) {
    String query = params.string("query");
    Map<String, Object> args = params.has("args") ? params.scalars("args") : Map.of();
    List<SqlQueryCheck.Problem> problems = SqlQueryCheck.of(query, params.inputRoles(), args.keySet());
    if (!problems.isEmpty()) {
      List<dev.stepwise.core.problem.ConfigProblem> all = new ArrayList<>();
      for (SqlQueryCheck.Problem problem : problems) {
        all.addAll(params.problemAt("query", problem.linesIn(), problem.message()).problems());
      }
      throw new InvalidConfigException(all);
    }
    return new SqlStep(query, args, params.inputRoles());
  }

  public String query() {
    return query;
  }

  public Map<String, Object> args() {
    return args;
  }

  @Override
  public StepOutputs apply(StepInputs inputs) {
    SparkSession spark = inputs.get(roles.get(0)).sparkSession();
    SessionCatalog catalog = spark.sessionState().catalog();
    Set<String> taken = new LinkedHashSet<>();
    for (String role : roles) {
      if (catalog.getTempView(role).isDefined()) {
        taken.add(role);
      }
    }
    if (!taken.isEmpty()) {
      throw new IllegalStateException("the session already has temporary views named " + taken + "; a sql step"
          + " names its inputs' views after its input roles, so rename those roles or drop the views");
    }
    List<String> created = new ArrayList<>();
    try {
      for (String role : roles) {
        inputs.get(role).createTempView(role);
        created.add(role);
      }
      // spark.sql analyzes at once: the result holds the inputs' plans and no longer needs the views.
      Dataset<Row> result = spark.sql(query, args);
      return StepOutputs.of(OUTPUT_ROLE, result);
    } catch (Exception e) { // Spark's AnalysisException is checked to Java, and thrown undeclared
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new IllegalArgumentException("its query does not fit its inputs: " + firstLine(e.getMessage()), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      // The session catalog's own drop: Catalog.dropTempView would also uncache a persisted input.
      created.forEach(role -> catalog.dropTempView(role));
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  @Override
  public String toString() {
    return "sql step over " + roles + ": " + query.strip().replaceAll("\\s+", " ");
  }
}
