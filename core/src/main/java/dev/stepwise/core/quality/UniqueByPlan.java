package dev.stepwise.core.quality;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionSet;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Whether Spark's optimizer proves, from the plan alone, that some columns hold each value at most
 * once: they include a key the plan makes distinct (grouped by, deduplicated on) and nothing since
 * has multiplied rows (a join to a side not unique on its join key, a union, an explode). The
 * optimizer relies on the same facts to drop aggregations it finds redundant, so a wrong answer
 * would already be a wrong result in Spark. Anything it cannot prove is checked on the data.
 */
final class UniqueByPlan {
  private UniqueByPlan() {}

  static boolean proves(Dataset<Row> data, List<String> columns) {
    try {
      return proves(data.queryExecution().optimizedPlan(), columns);
    } catch (RuntimeException e) { // what Spark cannot plan or reason about is not proven: the check runs
      return false;
    }
  }

  private static boolean proves(LogicalPlan plan, List<String> columns) {
    Set<ExprId> named = new HashSet<>();
    for (String column : columns) {
      List<Attribute> matches = new ArrayList<>();
      plan.output().foreach(attribute -> attribute.name().equalsIgnoreCase(column) && matches.add(attribute));
      if (matches.size() != 1) {
        return false;
      }
      named.add(matches.get(0).exprId());
    }
    scala.collection.Iterator<ExpressionSet> keys = plan.distinctKeys().iterator();
    while (keys.hasNext()) {
      if (coveredBy(keys.next(), named)) {
        return true;
      }
    }
    return false;
  }

  /** An empty key means at most one row: any columns are unique in it. */
  private static boolean coveredBy(ExpressionSet key, Set<ExprId> named) {
    scala.collection.Iterator<Expression> parts = key.iterator();
    while (parts.hasNext()) {
      if (!(parts.next() instanceof Attribute attribute) || !named.contains(attribute.exprId())) {
        return false;
      }
    }
    return true;
  }
}
