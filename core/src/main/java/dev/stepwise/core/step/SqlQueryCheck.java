package dev.stepwise.core.step;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.analysis.NamedParameter;
import org.apache.spark.sql.catalyst.analysis.PosParameter;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Checks a {@code sql} step's query without a SparkSession, with Spark's own parser: it must be one
 * query (no command, no DDL), read only the step's input roles or CTEs it defines (no catalog
 * tables, no files, no table functions), and use {@code :name} markers for exactly the args given.
 * Column names and types need analysis, hence a session; they are checked when the step runs.
 */
final class SqlQueryCheck {
  /** What is wrong, and how many lines into the query (0: its first line). */
  record Problem(int linesIn, String message) {}

  private final Set<String> roles = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  private final Set<String> ctes = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  private final Set<String> tables = new LinkedHashSet<>();
  private final Set<String> markers = new LinkedHashSet<>();
  private final List<Problem> problems = new ArrayList<>();

  private SqlQueryCheck(Collection<String> roles) {
    this.roles.addAll(roles);
  }

  static List<Problem> of(String query, Collection<String> roles, Collection<String> args) {
    SqlQueryCheck check = new SqlQueryCheck(roles);
    if (roles.isEmpty()) {
      check.problems.add(new Problem(0, "a sql step needs at least one input: bind its tables in"
          + " inputs { <name in the query> = <dataset> }"));
    }
    if (query.isBlank()) {
      check.problems.add(new Problem(0, "the query is empty; write a SELECT over the step's inputs"));
      return check.problems;
    }
    LogicalPlan plan;
    try {
      plan = CatalystSqlParser$.MODULE$.parseQuery(query);
    } catch (Exception e) { // ParseException is checked to Java and thrown undeclared
      int line = e instanceof ParseException parse && parse.start().line().isDefined()
          ? (Integer) parse.start().line().get() : 1;
      check.problems.add(new Problem(line - 1, "the query does not parse: " + summary(String.valueOf(e.getMessage()))));
      return check.problems;
    }
    check.walk(plan);
    check.compareTables();
    check.compareMarkers(args);
    return check.problems;
  }

  private void walk(LogicalPlan plan) {
    plan.foreach(node -> {
      visit(node);
      CollectionConverters.asJava(node.subqueries()).forEach(this::walk);
      return BoxedUnit.UNIT;
    });
  }

  private void visit(LogicalPlan node) {
    if (node instanceof UnresolvedWith with) {
      CollectionConverters.asJava(with.cteRelations()).forEach(cte -> ctes.add(cte._1()));
    } else if (node instanceof UnresolvedRelation relation) {
      tables.add(String.join(".", CollectionConverters.asJava(relation.multipartIdentifier())));
    } else if (node instanceof UnresolvedTableValuedFunction function) {
      problems.add(new Problem(0, "table function " + function.name().mkString(".") + "() is not allowed:"
          + " a sql step reads only its inputs"));
    } else if (node.getClass().getSimpleName().equals("PlanWithUnresolvedIdentifier")) {
      problems.add(new Problem(0, "IDENTIFIER(...) is not allowed in FROM: the tables a sql step reads are its"
          + " input roles, written as names"));
    }
    CollectionConverters.asJava(node.expressions()).forEach(this::visit);
  }

  private void visit(Expression expression) {
    expression.foreach(e -> {
      if (e instanceof NamedParameter parameter) {
        markers.add(parameter.name());
      } else if (e instanceof PosParameter) {
        problems.add(new Problem(0, "positional markers (?) are not supported; name them (:name) and give"
            + " their values in args { name = ... }"));
      }
      return BoxedUnit.UNIT;
    });
  }

  private void compareTables() {
    for (String table : tables) {
      if (!roles.contains(table) && !ctes.contains(table)) {
        problems.add(new Problem(0, "the query reads '" + table + "', which is not one of the step's inputs "
            + new TreeSet<>(roles) + "; bind it in inputs { " + table.toLowerCase(Locale.ROOT)
            + " = <dataset> }, or read only the inputs (a sql step reads no catalog table or file)"));
      }
    }
  }

  private void compareMarkers(Collection<String> args) {
    for (String marker : markers) {
      if (!args.contains(marker)) {
        problems.add(new Problem(0, "the query uses :" + marker + " but args has no '" + marker + "'; add"
            + " args { " + marker + " = <value> }" + (args.isEmpty() ? "" : " (args has " + new TreeSet<>(args) + ")")));
      }
    }
    for (String arg : args) {
      if (!markers.contains(arg)) {
        problems.add(new Problem(0, "args." + arg + " is not used by the query" + (markers.isEmpty()
            ? "; it has no :name markers" : "; its markers are " + markers.stream().map(m -> ":" + m).toList())));
      }
    }
  }

  /** Spark's parse message without the echo of the query that follows it. */
  private static String summary(String message) {
    int echo = message.indexOf("\n== SQL");
    String text = echo < 0 ? message : message.substring(0, echo);
    return text.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
