package dev.stepwise.entrypoint.render;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The shape of an acyclic graph: depth (nodes on the longest path: the runs that must happen one
 * after another), width (most nodes on one level: how much could run side by side) and a critical
 * path (one longest path).
 */
public record GraphShape(int depth, int width, List<String> criticalPath) {

  static GraphShape of(List<String> nodes, Function<String, List<String>> upstream) {
    Map<String, List<String>> downstream = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    for (String node : nodes) {
      downstream.putIfAbsent(node, new ArrayList<>());
      waiting.put(node, upstream.apply(node).size());
      for (String up : upstream.apply(node)) {
        downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(node);
      }
    }
    // Kahn's order: every node after its upstream nodes, without recursion (big graphs stay safe).
    Deque<String> ready = new ArrayDeque<>();
    nodes.stream().filter(n -> waiting.get(n) == 0).forEach(ready::add);
    Map<String, Integer> level = new HashMap<>();
    Map<String, String> longestFrom = new HashMap<>();
    while (!ready.isEmpty()) {
      String node = ready.poll();
      int best = 0;
      for (String up : upstream.apply(node)) {
        if (level.get(up) > best) {
          best = level.get(up);
          longestFrom.put(node, up);
        }
      }
      level.put(node, best + 1);
      for (String down : downstream.get(node)) {
        if (waiting.merge(down, -1, Integer::sum) == 0) {
          ready.add(down);
        }
      }
    }
    int depth = level.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Map<Integer, Integer> perLevel = new HashMap<>();
    level.values().forEach(l -> perLevel.merge(l, 1, Integer::sum));
    int width = perLevel.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    String last = nodes.stream().filter(n -> level.get(n) == depth).findFirst().orElse(null);
    List<String> path = new ArrayList<>();
    for (String n = last; n != null; n = longestFrom.get(n)) {
      path.add(n);
    }
    Collections.reverse(path);
    return new GraphShape(depth, width, path);
  }
}
