package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.io.CatalogSettings;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes the failure of a second JVM opening an embedded Derby metastore that another JVM holds
 * (Derby allows one at a time), deep in the causes Hive and Spark wrap it in, and says what to do.
 */
final class MetastoreInUse {
  /** Derby's SQL state for "Another instance of Derby may have already booted the database". */
  private static final String DERBY_IN_USE = "XSDB6";
  private static final Pattern DATABASE = Pattern.compile("booted the database (.+?)\\.?$", Pattern.MULTILINE);

  private MetastoreInUse() {}

  static Optional<String> explain(Throwable failure) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      String message = String.valueOf(t.getMessage());
      boolean inUse = message.contains("Another instance of Derby may have already booted the database")
          || t instanceof SQLException sql && DERBY_IN_USE.equals(sql.getSQLState());
      if (inUse) {
        Matcher database = DATABASE.matcher(message);
        String where = database.find() ? " " + database.group(1) : "";
        return Optional.of("the embedded Hive metastore" + where + " is in use by another process (embedded Derby allows"
            + " one process at a time): run tasks that use format = table one after another, or point every task at a"
            + " shared metastore with " + CatalogSettings.METASTORE_URIS + " (spark-submit --conf, or the grouping's"
            + " spark settings)");
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      if (t instanceof SQLException sql && sql.getNextException() != null) {
        todo.add(sql.getNextException());
      }
      todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
    }
    return Optional.empty();
  }
}
