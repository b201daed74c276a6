package dev.stepwise.entrypoint.render;

/** A count with its noun agreeing: "1 task", "4 tasks", "0 datasets". */
public final class Counted {
  private Counted() {}

  public static String of(long count, String noun) {
    return count + " " + (count == 1 ? noun : noun + "s");
  }
}
