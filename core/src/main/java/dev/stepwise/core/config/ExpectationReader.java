package dev.stepwise.core.config;

import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.Expectation.Action;
import dev.stepwise.core.model.Expectation.Kind;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.LambdaFunction;
import org.apache.spark.sql.catalyst.expressions.UnresolvedNamedLambdaVariable;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads a dataset's {@code expectations { name { <kind> = ..., action = ... } }} block. Columns are
 * checked against the dataset's declared schema when it has one, and SQL expressions are parsed, so
 * a typo fails at load, not in the middle of a run.
 */
final class ExpectationReader {
  private static final Set<String> KEYS = Set.of("not_null", "unique", "accepted_values", "row_count", "sql",
      "action", "quarantine");
  private static final List<String> KIND_KEYS = Arrays.stream(Kind.values()).map(Kind::configName).toList();
  private static final List<String> ACTIONS =
      Arrays.stream(Action.values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

  private ExpectationReader() {}

  static List<Expectation> read(ConfigBlock expectations, Optional<StructType> schema) {
    List<Expectation> result = new ArrayList<>();
    for (Map.Entry<String, ConfigBlock> entry : expectations.blocks()) {
      read(entry.getKey(), entry.getValue().allowOnly(KEYS), schema).ifPresent(result::add);
    }
    return result;
  }

  private static Optional<Expectation> read(String name, ConfigBlock block, Optional<StructType> schema) {
    List<String> kinds = KIND_KEYS.stream().filter(block.keys()::contains).toList();
    if (kinds.size() != 1) {
      block.problem("expectation '" + name + "' needs exactly one of " + String.join(", ", KIND_KEYS)
          + (kinds.isEmpty() ? "" : ", got " + String.join(" and ", kinds)));
      return Optional.empty();
    }
    Kind kind = Kind.valueOf(kinds.get(0).toUpperCase(Locale.ROOT));
    Action action = block.keys().contains("action")
        ? block.choice("action", Action.class, ACTIONS).orElse(Action.FAIL)
        : Action.FAIL;
    List<String> columns = List.of();
    List<String> values = List.of();
    OptionalLong min = OptionalLong.empty();
    OptionalLong max = OptionalLong.empty();
    String sql = "";
    switch (kind) {
      case NOT_NULL, UNIQUE -> columns = names(block, kind.configName());
      case ACCEPTED_VALUES -> {
        Optional<ConfigBlock> accepted = block.block("accepted_values");
        if (accepted.isPresent()) {
          ConfigBlock a = accepted.get().allowOnly(Set.of("column", "values"));
          columns = a.requiredString("column").map(List::of).orElse(List.of());
          values = names(a, "values");
        }
      }
      case ROW_COUNT -> {
        Optional<ConfigBlock> bounds = block.block("row_count");
        if (bounds.isPresent()) {
          ConfigBlock b = bounds.get().allowOnly(Set.of("min", "max"));
          min = bound(b, "min");
          max = bound(b, "max");
          if (min.isEmpty() && max.isEmpty() && b.value("min").isEmpty() && b.value("max").isEmpty()) {
            b.problem("row_count needs min, max or both");
          }
          if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            b.problem(b.value("max").orElseThrow(), "max", "max = " + max.getAsLong() + " is below min = "
                + min.getAsLong() + ": no row count could pass; swap them or fix one");
          }
        }
        if (action == Action.DROP) {
          block.problem(block.value("action").orElseThrow(), "action",
              "a row count cannot drop rows; use fail or warn");
        }
      }
      case SQL -> {
        sql = block.string("sql").orElse("");
        if (block.value("sql").isPresent()) {
          if (sql.isBlank()) {
            block.problem(block.value("sql").orElseThrow(), "sql", "an empty expression; write a boolean Spark SQL"
                + " expression every row must satisfy, such as \"amount >= 0\"");
          } else {
            try {
              Expression parsed = CatalystSqlParser$.MODULE$.parseExpression(sql);
              String expression = sql;
              schema.ifPresent(s -> checkSqlColumns(block, expression, parsed, s));
            } catch (Exception e) {
              block.problem(block.value("sql").orElseThrow(), "sql", "not a Spark SQL expression: " + Reasons.of(e));
            }
          }
        }
      }
    }
    List<String> named = columns;
    schema.ifPresent(s -> checkColumns(block, kind, named, s));
    Optional<StorageSpec> quarantine = Optional.empty();
    if (block.keys().contains("quarantine")) {
      if (action != Action.DROP) {
        block.problem(block.value("quarantine").orElseThrow(), "quarantine", "only action = drop sets rows aside");
      }
      quarantine = block.block("quarantine").flatMap(q -> PipelineConfigLoader.storage(
          q.allowOnly(Set.of("format", "path", "table", "options"))));
    }
    return Optional.of(new Expectation(name, kind, action, columns, values, min, max, sql, quarantine,
        block.location()));
  }

  /** Checks the columns the rule was read with, so a mistake in reading them is not reported again. */
  private static void checkColumns(ConfigBlock block, Kind kind, List<String> columns, StructType schema) {
    if (kind == Kind.ROW_COUNT || kind == Kind.SQL) {
      return;
    }
    String key = kind.configName();
    List<String> known = Arrays.asList(schema.fieldNames());
    for (String column : columns) {
      if (!known.contains(column)) {
        block.problem(block.value(key).orElseThrow(), key, "column '" + column + "' is not in the dataset's schema"
            + Suggestions.didYouMean(column, known) + "; its columns: " + String.join(", ", known));
      }
    }
  }

  private static OptionalLong bound(ConfigBlock block, String key) {
    Optional<Integer> value = block.integer(key);
    if (value.isPresent() && value.get() < 0) {
      block.problem(block.value(key).orElseThrow(), key, "a row count cannot be negative, got " + value.get());
      return OptionalLong.empty();
    }
    return value.map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /** Columns a sql rule names must be in the declared schema (names inside lambdas are not columns). */
  private static void checkSqlColumns(ConfigBlock block, String sql, Expression parsed, StructType schema) {
    List<String> known = Arrays.asList(schema.fieldNames());
    Set<String> knownLower = known.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    Set<String> unknown = new java.util.LinkedHashSet<>();
    collectColumns(parsed, Set.of(), knownLower, unknown);
    for (String column : unknown) {
      block.problem(block.value("sql").orElseThrow(), "sql", "column '" + column + "' in \"" + sql
          + "\" is not in the dataset's schema" + Suggestions.didYouMean(column, known) + "; its columns: "
          + String.join(", ", known));
    }
  }

  private static void collectColumns(Expression e, Set<String> lambdaNames, Set<String> known, Set<String> unknown) {
    Set<String> bound = lambdaNames;
    if (e instanceof LambdaFunction lambda) {
      bound = new java.util.HashSet<>(lambdaNames);
      for (Object argument : CollectionConverters.asJava(lambda.arguments())) {
        if (argument instanceof UnresolvedNamedLambdaVariable variable) {
          bound.add(CollectionConverters.asJava(variable.nameParts()).get(0).toLowerCase(Locale.ROOT));
        }
      }
    }
    if (e instanceof UnresolvedAttribute attribute) {
      String column = CollectionConverters.asJava(attribute.nameParts()).get(0);
      String lower = column.toLowerCase(Locale.ROOT);
      if (!known.contains(lower) && !bound.contains(lower)) {
        unknown.add(column);
      }
    }
    for (Expression child : CollectionConverters.asJava(e.children())) {
      collectColumns(child, bound, known, unknown);
    }
  }

  private static List<String> names(ConfigBlock block, String key) {
    List<String> names = block.stringList(key).orElse(List.of()).stream().map(Map.Entry::getKey)
        .collect(Collectors.toList());
    if (names.isEmpty() && block.value(key).isPresent() && block.value(key).get().valueType()
        == com.typesafe.config.ConfigValueType.LIST) {
      block.problem(block.value(key).get(), key, "an empty list; name at least one");
    }
    return names;
  }
}
