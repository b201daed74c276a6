package dev.stepwise.core.config;

import java.util.regex.Pattern;

/**
 * Names of pipelines, datasets and steps end up in paths ({@code {dataset}}, report folders),
 * Airflow DAG and task ids and Spark application names: letters, digits, '_', '.' and '-', never
 * a path of their own.
 */
final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private Names() {}

  static boolean valid(String name) {
    return NAME.matcher(name).matches() && !name.contains("..") && name.length() <= 200;
  }

  /** Checks the value of {@code key}; false (and a problem) when it is not a valid name. */
  static boolean check(ConfigBlock block, String key, String what, String name) {
    if (valid(name)) {
      return true;
    }
    block.problem(block.value(key).orElseThrow(), key, problem(what, name));
    return false;
  }

  /** Checks a name given as a key, such as a dataset declared as {@code "../x" { ... }}. */
  static void checkKey(ConfigBlock block, String what, String name) {
    if (!valid(name)) {
      block.problem(problem(what, name));
    }
  }

  private static String problem(String what, String name) {
    return what + " '" + name + "' is not a valid name: use letters, digits, '_', '.' and '-', starting with a"
        + " letter, digit or '_', without '..' or '/' (it becomes part of paths and Airflow ids)";
  }
}
