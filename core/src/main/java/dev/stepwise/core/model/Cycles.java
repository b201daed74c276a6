package dev.stepwise.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Finds one cycle in a directed graph, as the path that closes it ("a -> b -> a"). */
public final class Cycles {
  private Cycles() {}

  private enum Mark { IN_PROGRESS, DONE }

  public static List<String> find(Collection<String> nodes, Function<String, List<String>> successors) {
    Map<String, Mark> marks = new HashMap<>();
    for (String start : nodes) {
      if (marks.containsKey(start)) {
        continue;
      }
      // Iterative depth-first search: a 10,000-step pipeline must not overflow the stack.
      List<String> path = new ArrayList<>();
      List<java.util.Iterator<String>> iterators = new ArrayList<>();
      path.add(start);
      iterators.add(successors.apply(start).iterator());
      marks.put(start, Mark.IN_PROGRESS);
      while (!path.isEmpty()) {
        java.util.Iterator<String> it = iterators.get(iterators.size() - 1);
        if (it.hasNext()) {
          String next = it.next();
          Mark mark = marks.get(next);
          if (mark == Mark.IN_PROGRESS) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
            cycle.add(next);
            return cycle;
          }
          if (mark == null) {
            marks.put(next, Mark.IN_PROGRESS);
            path.add(next);
            iterators.add(successors.apply(next).iterator());
          }
        } else {
          marks.put(path.remove(path.size() - 1), Mark.DONE);
          iterators.remove(iterators.size() - 1);
        }
      }
    }
    return List.of();
  }
}
