package dev.stepwise.core.problem;

import com.typesafe.config.ConfigOrigin;

/** Renders a typesafe-config origin as the "file:line" a person can open in an editor. */
public final class Origins {
  private Origins() {}

  public static String describe(ConfigOrigin origin) {
    if (origin == null) {
      return "<unknown>";
    }
    String where = origin.filename();
    if (where == null && origin.resource() != null) {
      where = "classpath:" + origin.resource();
    }
    if (where == null && origin.url() != null) {
      where = origin.url().toString();
    }
    if (where == null) {
      // Values given with --set carry typesafe-config's synthetic "withValue(...)" origins.
      where = origin.description().startsWith("withValue") ? "--set" : origin.description();
    }
    return origin.lineNumber() > 0 ? where + ":" + origin.lineNumber() : where;
  }
}
