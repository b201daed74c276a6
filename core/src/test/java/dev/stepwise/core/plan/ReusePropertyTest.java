package dev.stepwise.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the planner keeps datasets used more than once, on generated pipelines and groupings (no
 * Spark): every such dataset gets exactly one choice; by cost, nothing computed in a task is
 * computed twice, row-based files are never parsed twice, only unchecked columnar inputs are read
 * again and only datasets staged as columnar files are read back; policy {@code all} caches
 * everything; the launcher's policy wins over the task's. The expected choices are worked out here
 * from the generated config, independently of the planner's code.
 *
 * <p>Rerun one failing case with {@code -Dstepwise.reuseSeed=<seed>}: the seed of every case is in
 * its message.
 */
class ReusePropertyTest {
  private static final long SEED = Long.getLong("stepwise.reuseSeed", 20_261_202L);
  private static final int CASES = 150;
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in"))),
      StepType.named("join").inputs("left", "right").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("left")))));
  private static final List<String> SOURCE_FORMATS = List.of("parquet", "orc", "csv", "json", "text", "table");
  private static final List<String> OUTPUT_FORMATS = List.of("parquet", "orc", "csv", "json", "table");
  private static final Set<StorageFormat> COLUMNAR_STAGING =
      Set.of(StorageFormat.PARQUET, StorageFormat.ORC, StorageFormat.TABLE, StorageFormat.DELTA);

  @TempDir Path dir;

  @Test
  void everyDatasetUsedTwiceIsKeptAsItsCostSays() throws IOException {
    Random seeds = new Random(SEED);
    int reused = 0;
    Map<Reuse, Integer> seen = new HashMap<>();
    for (int i = 0; i < CASES; i++) {
      long seed = seeds.nextLong();
      Random random = new Random(seed);
      PipelineConfig pipeline = pipeline(random, seed);
      Optional<CachePolicy> launcher = random.nextInt(3) == 0
          ? Optional.of(CachePolicy.values()[random.nextInt(CachePolicy.values().length)]) : Optional.empty();
      Grouping grouping = grouping(pipeline, random);
      ExecutionPlan plan = Planner.plan(pipeline, grouping, launcher);
      for (TaskPlan task : plan.tasks()) {
        String where = "seed " + seed + ", task " + task.name() + " " + task.stepNames() + ", launcher " + launcher;
        TaskSpec spec = grouping.tasks().stream().filter(t -> t.name().equals(task.name())).findFirst().orElseThrow();
        CachePolicy policy = launcher.orElse(Optional.ofNullable(spec.spark().get(CachePolicy.KEY))
            .flatMap(CachePolicy::named).orElse(CachePolicy.BY_COST));
        assertEquals(policy, task.cachePolicy(), where);
        Map<String, Integer> uses = uses(task);
        Map<String, DatasetReuse> byDataset = new LinkedHashMap<>();
        task.reuse().forEach(r -> assertEquals(null, byDataset.put(r.dataset(), r), where + ": one choice per dataset"));
        Set<String> usedTwice = new HashSet<>();
        uses.forEach((dataset, n) -> {
          if (n >= 2) {
            usedTwice.add(dataset);
          }
        });
        assertEquals(usedTwice, byDataset.keySet(), where + ": datasets used more than once");
        for (DatasetReuse r : task.reuse()) {
          String about = where + ", dataset " + r.dataset();
          assertEquals(uses.get(r.dataset()), r.uses(), about);
          assertEquals(expected(pipeline, task, policy, r.dataset()), r.reuse(), about + ": " + r.reason());
          assertEquals(r.reuse() == Reuse.CACHE ? Optional.of(lastDependent(task, r.dataset())) : Optional.empty(),
              r.releaseAfter(), about);
          seen.merge(r.reuse(), 1, Integer::sum);
          reused++;
        }
      }
    }
    assertTrue(reused > CASES, "the cases reuse datasets often enough to prove something: " + reused);
    for (Reuse how : Reuse.values()) {
      assertTrue(seen.getOrDefault(how, 0) >= 10, "the cases exercise " + how + " often enough: " + seen);
    }
  }

  /** The rule, stated from the config: what a task must do with a dataset it uses more than once. */
  private static Reuse expected(PipelineConfig pipeline, TaskPlan task, CachePolicy policy, String dataset) {
    if (policy == CachePolicy.ALL) {
      return Reuse.CACHE;
    }
    boolean producedHere = task.steps().stream().anyMatch(s -> s.outputs().containsValue(dataset));
    if (producedHere) {
      Optional<DatasetWrite> write = task.writes().stream().filter(w -> w.dataset().equals(dataset)).findFirst();
      // Never computed twice: either cached, or computed once by its write and read back.
      return write.isPresent() && COLUMNAR_STAGING.contains(write.get().storage().format())
          && write.get().storage().partitionBy().isEmpty() ? Reuse.READ_BACK : Reuse.CACHE;
    }
    DatasetRead read = task.reads().stream().filter(r -> r.dataset().equals(dataset)).findFirst().orElseThrow();
    StorageFormat format = read.storage().format();
    boolean checked = read.producerTask().isEmpty() && !pipeline.dataset(dataset).expectations().isEmpty();
    return (format == StorageFormat.PARQUET || format == StorageFormat.ORC) && !checked ? Reuse.REREAD : Reuse.CACHE;
  }

  /** Steps of the task reading each dataset, plus one for the task's own write of it. */
  private static Map<String, Integer> uses(TaskPlan task) {
    Map<String, Integer> uses = new HashMap<>();
    for (StepSpec step : task.steps()) {
      Set.copyOf(step.inputs().values()).forEach(d -> uses.merge(d, 1, Integer::sum));
    }
    for (DatasetWrite write : task.writes()) {
      if (uses.containsKey(write.dataset())) {
        uses.merge(write.dataset(), 1, Integer::sum);
      }
    }
    return uses;
  }

  /** The last step of the task, in its order, that reads the dataset or anything built from it there. */
  private static String lastDependent(TaskPlan task, String dataset) {
    Set<String> tainted = new HashSet<>(Set.of(dataset));
    String last = null;
    for (StepSpec step : task.steps()) {
      if (step.inputs().values().stream().anyMatch(tainted::contains)) {
        tainted.addAll(step.outputs().values());
        last = step.name();
      }
    }
    return last;
  }

  private PipelineConfig pipeline(Random random, long seed) throws IOException {
    StringBuilder datasets = new StringBuilder();
    StringBuilder steps = new StringBuilder();
    List<String> available = new ArrayList<>();
    int sources = 1 + random.nextInt(3);
    for (int s = 0; s < sources; s++) {
      String format = SOURCE_FORMATS.get(random.nextInt(SOURCE_FORMATS.size()));
      String name = "src" + s;
      datasets.append("  ").append(name).append(" { ").append(storage(format, name))
          .append(random.nextInt(3) == 0 ? ", expectations { some { row_count { min = 1 } } }" : "").append(" }\n");
      available.add(name);
    }
    int stepCount = 2 + random.nextInt(7);
    for (int i = 0; i < stepCount; i++) {
      String out = "d" + i;
      // Inputs lean towards recent datasets, so chains and fan-outs both occur.
      String left = available.get(Math.max(0, available.size() - 1 - random.nextInt(Math.min(4, available.size()))));
      String right = available.get(random.nextInt(available.size()));
      boolean join = random.nextBoolean() && !left.equals(right);
      steps.append("  s").append(i).append(" { type = ").append(join ? "join" : "pass").append(", inputs { ")
          .append(join ? "left = " + left + ", right = " + right : "in = " + left).append(" }, outputs { out = ")
          .append(out).append(" } }\n");
      int kind = random.nextInt(4);
      String format = OUTPUT_FORMATS.get(random.nextInt(OUTPUT_FORMATS.size()));
      datasets.append("  ").append(out).append(" { ")
          .append(kind == 0 ? "" : kind == 1 ? "checkpoint = true" : storage(format, out)
              + (random.nextInt(4) == 0 ? ", partition_by = [day]" : "") + (kind == 3 ? ", checkpoint = true" : ""))
          .append(" }\n");
      available.add(out);
    }
    String intermediate = List.of("parquet", "orc", "csv", "json").get(random.nextInt(4));
    String text = "pipeline {\n  name = generated\n  intermediate { format = " + intermediate
        + ", path = \"/tmp/work/{dataset}/{run_date}\" }\n}\ndatasets {\n" + datasets + "}\nsteps {\n" + steps + "}\n";
    Path file = dir.resolve("pipeline-" + Long.toUnsignedString(seed) + ".conf");
    Files.writeString(file, text);
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
  }

  private static String storage(String format, String name) {
    return format.equals("table")
        ? "format = table, table = t_" + name
        : "format = " + format + ", path = \"/tmp/data/" + name + "/{run_date}\"";
  }

  /** A random order consistent with the step graph cut into runs: always an acyclic task graph. */
  private static Grouping grouping(PipelineConfig pipeline, Random random) {
    List<String> order = new ArrayList<>();
    Map<String, String> producerOf = new HashMap<>();
    pipeline.steps().values().forEach(s -> s.outputs().values().forEach(d -> producerOf.put(d, s.name())));
    Deque<String> pending = new ArrayDeque<>(pipeline.steps().keySet());
    while (!pending.isEmpty()) {
      List<String> ready = pending.stream().filter(step -> pipeline.step(step).inputs().values().stream()
          .map(producerOf::get).allMatch(p -> p == null || order.contains(p))).toList();
      String next = ready.get(random.nextInt(ready.size()));
      order.add(next);
      pending.remove(next);
    }
    List<TaskSpec> tasks = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String step : order) {
      if (!current.isEmpty() && random.nextInt(3) == 0) {
        tasks.add(task(tasks.size(), current, random));
        current = new ArrayList<>();
      }
      current.add(step);
    }
    tasks.add(task(tasks.size(), current, random));
    return new Grouping("drawn", "", tasks, "code");
  }

  private static TaskSpec task(int index, List<String> steps, Random random) {
    int choice = random.nextInt(3);
    Map<String, String> spark = choice == 0 ? Map.of()
        : Map.of(CachePolicy.KEY, choice == 1 ? "by-cost" : "all");
    return new TaskSpec("t" + index, steps, spark, "code");
  }
}
