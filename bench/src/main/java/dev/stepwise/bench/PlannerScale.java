package dev.stepwise.bench;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times loading, validating and planning synthetic pipelines inside one JVM (after JVM start), so
 * the planner's own cost is seen apart from class loading. For each size it writes the pipeline
 * and grouping files under {@code --dir}, then runs load + grouping + plan {@code --reps} times:
 * the first run is cold (classes load, the JIT has not compiled anything), the rest are warm.
 * Prints one JSON object per size on stdout.
 *
 * <pre>
 * java -cp ... dev.stepwise.bench.PlannerScale --dir DIR [--steps 1000,5000,10000] [--reps 5]
 * </pre>
 */
public final class PlannerScale {
  private PlannerScale() {}

  public static void main(String[] args) {
    Path dir = null;
    List<Integer> sizes = List.of(1_000, 5_000, 10_000);
    int reps = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--steps" -> sizes = Arrays.stream(args[i + 1].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("planner scale: unknown argument '" + args[i]
            + "'; usage: PlannerScale --dir DIR [--steps 1000,5000,10000] [--reps 5]");
      }
    }
    if (dir == null || reps < 1) {
      throw new IllegalArgumentException("planner scale: --dir is required and --reps must be at least 1");
    }
    StepCatalog catalog = StepCatalog.discover(PlannerScale.class.getClassLoader());
    for (int steps : sizes) {
      SyntheticPipeline shape = SyntheticPipeline.ofSteps(steps);
      SyntheticPipeline.Written files = shape.written(dir.resolve(steps + "-steps"));
      List<Timing> runs = new ArrayList<>();
      for (int rep = 0; rep < reps; rep++) {
        runs.add(time(catalog, files));
      }
      System.out.println(json(steps, shape.tasks(), files, runs));
    }
  }

  /** One load + grouping + plan, as {@code stepwise plan --config P --grouping G} does them. */
  static Timing time(StepCatalog catalog, SyntheticPipeline.Written files) {
    long start = System.nanoTime();
    PipelineConfig pipeline = new PipelineConfigLoader(catalog).load(ConfigSource.file(files.pipeline()), Map.of());
    long loaded = System.nanoTime();
    Grouping grouping = GroupingLoader.load(files.grouping().toString(), pipeline);
    long grouped = System.nanoTime();
    ExecutionPlan plan = Planner.plan(pipeline, grouping);
    long planned = System.nanoTime();
    if (plan.tasks().size() != grouping.tasks().size()) {
      throw new IllegalStateException("planned " + plan.tasks().size() + " tasks of " + grouping.tasks().size());
    }
    return new Timing((loaded - start) / 1e9, (grouped - loaded) / 1e9, (planned - grouped) / 1e9);
  }

  record Timing(double loadSeconds, double groupingSeconds, double planSeconds) {
    double total() {
      return loadSeconds + groupingSeconds + planSeconds;
    }
  }

  private static String json(int steps, int tasks, SyntheticPipeline.Written files, List<Timing> runs) {
    Timing first = runs.get(0);
    List<Timing> warm = runs.size() > 1 ? runs.subList(1, runs.size()) : runs;
    return String.format(Locale.ROOT,
        "{\"steps\": %d, \"tasks\": %d, \"pipeline\": \"%s\", \"grouping\": \"%s\", \"reps\": %d,"
            + " \"first_seconds\": %.4f, \"first_load_seconds\": %.4f, \"first_grouping_seconds\": %.4f,"
            + " \"first_plan_seconds\": %.4f, \"warm_median_seconds\": %.4f, \"warm_min_seconds\": %.4f,"
            + " \"warm_median_load_seconds\": %.4f, \"warm_median_grouping_seconds\": %.4f,"
            + " \"warm_median_plan_seconds\": %.4f}",
        steps, tasks, files.pipeline(), files.grouping(), runs.size(), first.total(), first.loadSeconds(),
        first.groupingSeconds(), first.planSeconds(), median(warm.stream().map(Timing::total).toList()),
        warm.stream().mapToDouble(Timing::total).min().orElseThrow(),
        median(warm.stream().map(Timing::loadSeconds).toList()),
        median(warm.stream().map(Timing::groupingSeconds).toList()),
        median(warm.stream().map(Timing::planSeconds).toList()));
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
