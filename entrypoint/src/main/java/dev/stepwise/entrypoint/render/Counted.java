package dev.stepwise.entrypoint;

/** A count with its noun agreeing: "1 task", "4 tasks", "0 datasets". */
final class Counted {
  private Counted() {}

  static String of(long count, String noun) {
    return count + " " + (count == 1 ? noun : noun + "s");
  }
}
