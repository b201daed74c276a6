package dev.stepwise.core.problem;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a config, reported together so one edit can fix them all. */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(render(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid config has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public InvalidConfigException(ConfigProblem problem) {
    this(List.of(problem));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String render(List<ConfigProblem> problems) {
    String noun = problems.size() == 1 ? "problem" : "problems";
    return problems.size() + " config " + noun + ":\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
