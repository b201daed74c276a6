package dev.stepwise.testing;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.LocalPaths;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.MissingInputException;
import dev.stepwise.core.run.PhaseClock;
import dev.stepwise.core.run.PipelineRunner;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.SparkSessions;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a pipeline in the test's JVM the way the entry point runs it (the real config loader,
 * planner and pipeline runner) against a storage root of the test's own: give the sources as
 * DataFrames or files, run a whole grouping or chosen tasks, read the outputs back.
 *
 * <pre>{@code
 * PipelineHarness harness = PipelineHarness.builder(spark, Path.of("../conf/payments.conf"))
 *     .storageRoot(dir)
 *     .runDate(LocalDate.of(2026, 11, 21))
 *     .build();
 * harness.source("fx_rates", rates);
 * PipelineRun run = harness.run("daily");
 * assertDatasetEquals(expected, run.output("market_revenue"));
 * }</pre>
 *
 * <p>The pipeline's file paths must be built from {@code pipeline.storage_root}, which the harness
 * points at the test's directory; a path outside it is refused, so a test can never write where
 * real data lives. Every task runs in the one shared test session: the Spark settings a grouping
 * gives its tasks (executor sizes, shuffle partitions) are not applied: tasks run with
 * {@link Builder#shufflePartitions} (2 by default), which keeps tiny test data from being split
 * into Spark's default 200 partitions and files per written dataset.
 */
public final class PipelineHarness {
  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  /** Tiny test data split 200 ways (Spark's default) costs seconds per written dataset, for nothing. */
  private static final int DEFAULT_SHUFFLE_PARTITIONS = 2;
  private final SparkSession spark;
  private final PipelineConfig pipeline;
  private final RunContext run;
  private final Path storageRoot;
  private final int shufflePartitions;

  private PipelineHarness(
      SparkSession spark, PipelineConfig pipeline, RunContext run, Path storageRoot, int shufflePartitions) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.run = run;
    this.storageRoot = storageRoot;
    this.shufflePartitions = shufflePartitions;
  }

  public static Builder builder(SparkSession spark, Path pipelineConfig) {
    return new Builder(spark, ConfigSource.file(pipelineConfig));
  }

  public static Builder builder(SparkSession spark, ConfigSource pipelineConfig) {
    return new Builder(spark, pipelineConfig);
  }

  public PipelineConfig pipeline() {
    return pipeline;
  }

  public LocalDate runDate() {
    return run.runDate();
  }

  public Path storageRoot() {
    return storageRoot;
  }

  /**
   * A built-in grouping ({@code per-step}, {@code single}), a grouping name beside the config, or a
   * file; checked as {@link #plan} and {@link #run} check it, so a cyclic grouping is refused here too.
   */
  public Grouping grouping(String ref) {
    Grouping grouping = GroupingLoader.load(ref, pipeline);
    Planner.plan(pipeline, grouping);
    return grouping;
  }

  public ExecutionPlan plan(String grouping) {
    return Planner.plan(pipeline, grouping(grouping));
  }

  /** Where a dataset is stored for this run date: a file path, or a table name. */
  public String location(String dataset) {
    return resolvedStorage(dataset).location();
  }

  /** The local directory of a file dataset for this run date: where to put a source's files. */
  public Path directory(String dataset) {
    StorageSpec storage = resolvedStorage(dataset);
    if (!storage.format().isFile()) {
      throw new IllegalArgumentException("dataset '" + dataset + "' is the table " + storage.location()
          + ", not a directory; give its rows with source(\"" + dataset + "\", dataFrame)");
    }
    return LocalPaths.of(storage.location());
  }

  /**
   * Writes {@code data} where the pipeline reads the source {@code dataset} from, replacing what
   * was there. When the source declares a schema, the columns are taken by name in its order and
   * cast to its types, so a CSV source reads back exactly what was given.
   */
  public PipelineHarness source(String dataset, Dataset<Row> data) {
    DatasetSpec spec = dataset(dataset);
    pipeline.steps().values().stream().filter(s -> s.outputs().containsValue(dataset)).findFirst()
        .ifPresent(producer -> {
          throw new IllegalArgumentException("dataset '" + dataset + "' is produced by step '" + producer.name()
              + "', not a source; give DataFrames only for datasets no step writes: " + sources());
        });
    StorageSpec storage = resolvedStorage(dataset);
    Dataset<Row> shaped = storage.schema().map(ddl -> shape(dataset, data, StructType.fromDDL(ddl))).orElse(data);
    if (storage.format() == StorageFormat.TABLE) {
      shaped.write().mode(SaveMode.Overwrite).saveAsTable(storage.location());
      return this;
    }
    if (storage.format() == StorageFormat.DELTA) {
      new DatasetStore(spark).commitDelta(shaped, storage, new StepwiseCommit(pipeline.name(), "", "(test source)",
          run.runId(), java.util.Optional.of(run.runDate()), "", dataset));
      return this;
    }
    DataFrameWriter<Row> writer = shaped.write().mode(SaveMode.Overwrite).format(storage.format().configName())
        .options(storage.options());
    if (!storage.partitionBy().isEmpty()) {
      writer = writer.partitionBy(storage.partitionBy().toArray(String[]::new));
    }
    writer.save(storage.location());
    return this;
  }

  /** Every task of a grouping, in plan order. */
  public PipelineRun run(String grouping) {
    return run(grouping(grouping));
  }

  /** Only the named tasks of a grouping, in plan order; what they read must already be in storage. */
  public PipelineRun run(String grouping, String... tasks) {
    return run(grouping(grouping), tasks);
  }

  /**
   * Tasks of a grouping built in code; it is checked like a grouping file (every step in exactly
   * one task, the task graph acyclic) before anything runs.
   */
  public PipelineRun run(Grouping grouping, String... tasks) {
    return runTasks(grouping, new int[] {shufflePartitions}, tasks);
  }

  /**
   * Runs every task of a grouping once per shuffle partition count and fails if any dataset a task
   * writes differs between the counts: the steps whose results move when data is partitioned
   * differently, as it is under another grouping or cluster. The comparison is exact; the message
   * names the task, the dataset and the rows that differ. What the last count wrote stays.
   *
   * <pre>{@code
   * harness.runVaryingShufflePartitions("daily", 1, 3, 7);
   * }</pre>
   */
  public PipelineRun runVaryingShufflePartitions(String grouping, int... shufflePartitionCounts) {
    if (shufflePartitionCounts.length < 2) {
      throw new IllegalArgumentException("give at least two shuffle partition counts to compare, such as 1, 3, 7");
    }
    return runTasks(grouping(grouping), shufflePartitionCounts);
  }

  private PipelineRun runTasks(Grouping grouping, int[] shuffleCounts, String... tasks) {
    ExecutionPlan plan = Planner.plan(pipeline, grouping);
    List<TaskPlan> chosen = chosenTasks(plan, tasks);
    String sessionShuffle = spark.conf().get(SHUFFLE_PARTITIONS);
    try {
      List<TaskResult> results = runOnce(plan, chosen, shuffleCounts[0]);
      Map<String, Map<Row, Integer>> first = shuffleCounts.length > 1 ? rowsWritten(results) : Map.of();
      for (int i = 1; i < shuffleCounts.length; i++) {
        results = runOnce(plan, chosen, shuffleCounts[i]);
        compareWritten(chosen, shuffleCounts[0], first, shuffleCounts[i], rowsWritten(results));
      }
      return new PipelineRun(this, plan, results);
    } finally {
      spark.conf().set(SHUFFLE_PARTITIONS, sessionShuffle);
    }
  }

  /** The tasks in the test's session, as the entry point runs them, with this many shuffle partitions. */
  private List<TaskResult> runOnce(ExecutionPlan plan, List<TaskPlan> tasks, int shufflePartitions) {
    PipelineRunner runner = new PipelineRunner(new TestSession(spark, shufflePartitions), RunListener.NONE);
    try {
      return runner.run(plan, tasks, run, PipelineRunner.Staged.CLEAR, PhaseClock.startingNow(Optional.empty()))
          .resultsOrThrow();
    } catch (MissingInputException e) {
      Map.Entry<String, List<String>> first = e.byTask().entrySet().iterator().next();
      throw new IllegalStateException("task '" + first.getKey() + "' of grouping '" + plan.grouping().name()
          + "' cannot start:\n  " + String.join("\n  ", first.getValue()), e);
    }
  }

  /** The shared test session, which the runner must not stop; a grouping's Spark settings are not applied. */
  private record TestSession(SparkSession spark, int shufflePartitions) implements SparkSessions {
    @Override
    public SparkSession open(String appName, Map<String, String> settings) {
      switchTask(spark, settings);
      return spark;
    }

    @Override
    public void switchTask(SparkSession session, Map<String, String> settings) {
      session.conf().set(SHUFFLE_PARTITIONS, Integer.toString(shufflePartitions));
    }

    @Override
    public void close(SparkSession session) {}
  }

  private Map<String, Map<Row, Integer>> rowsWritten(List<TaskResult> results) {
    Map<String, Map<Row, Integer>> written = new LinkedHashMap<>();
    results.forEach(r -> r.written().forEach(w -> written.put(w.dataset(), RowCounts.of(read(w.dataset()).collectAsList()))));
    return written;
  }

  private static void compareWritten(List<TaskPlan> tasks, int firstCount, Map<String, Map<Row, Integer>> first,
      int count, Map<String, Map<Row, Integer>> written) {
    for (TaskPlan task : tasks) {
      for (DatasetWrite write : task.writes()) {
        Map<Row, Integer> before = first.getOrDefault(write.dataset(), Map.of());
        Map<Row, Integer> other = written.getOrDefault(write.dataset(), Map.of());
        List<Row> onlyFirst = RowCounts.minus(before, other);
        List<Row> onlyOther = RowCounts.minus(other, before);
        if (!onlyFirst.isEmpty() || !onlyOther.isEmpty()) {
          throw new AssertionError("task '" + task.name() + "' (steps " + task.stepNames() + ") wrote another '"
              + write.dataset() + "' with spark.sql.shuffle.partitions=" + count + " than with " + firstCount
              + ":\n  only with " + firstCount + ": " + onlyFirst.stream().limit(10).toList()
              + "\n  only with " + count + ": " + onlyOther.stream().limit(10).toList()
              + "\nCheck its steps with StepDeterminism.assertPartitionInvariant.");
        }
      }
    }
  }

  /**
   * A dataset as the pipeline reads it from storage for this run date (with its declared schema
   * and options): a source, or whatever a run wrote.
   */
  public Dataset<Row> read(String dataset) {
    return new DatasetStore(spark).read(resolvedStorage(dataset));
  }

  private List<TaskPlan> chosenTasks(ExecutionPlan plan, String... tasks) {
    if (tasks.length == 0) {
      return plan.tasks();
    }
    Set<String> wanted = new LinkedHashSet<>(Arrays.asList(tasks));
    wanted.removeAll(plan.taskNames());
    if (!wanted.isEmpty()) {
      throw new IllegalArgumentException("no task " + wanted + " in grouping '" + plan.grouping().name()
          + "'; its tasks are " + plan.taskNames());
    }
    Set<String> named = Set.of(tasks);
    return plan.tasks().stream().filter(t -> named.contains(t.name())).toList();
  }

  private DatasetSpec dataset(String name) {
    DatasetSpec spec = pipeline.datasets().get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no dataset '" + name + "' in pipeline '" + pipeline.name()
          + "'; its datasets are " + pipeline.datasets().keySet());
    }
    return spec;
  }

  private StorageSpec resolvedStorage(String name) {
    dataset(name);
    StorageSpec storage = pipeline.storageOf(name).orElseThrow(() -> new IllegalArgumentException("dataset '" + name + "' has no storage: it only ever"
            + " lives in memory inside a task"));
    return run.resolve(storage, name);
  }

  private List<String> sources() {
    Set<String> produced = new LinkedHashSet<>();
    for (StepSpec step : pipeline.steps().values()) {
      produced.addAll(step.outputs().values());
    }
    return pipeline.datasets().keySet().stream().filter(d -> !produced.contains(d)).toList();
  }

  private static Dataset<Row> shape(String dataset, Dataset<Row> data, StructType schema) {
    Set<String> given = Set.of(data.columns());
    List<String> missing = Arrays.stream(schema.fieldNames()).filter(c -> !given.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("source '" + dataset + "' declares schema " + schema.toDDL()
          + " but the DataFrame given lacks " + missing + "; it has " + Arrays.toString(data.columns()));
    }
    Column[] columns = Arrays.stream(schema.fields())
        .map((StructField f) -> functions.col("`" + f.name() + "`").cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    return data.select(columns);
  }

  /** Configures a harness; {@link #build()} loads and validates the pipeline. */
  public static final class Builder {
    private final SparkSession spark;
    private final ConfigSource config;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private Path storageRoot;
    private LocalDate runDate = LocalDate.of(2026, 1, 1);
    private StepCatalog catalog;
    private int shufflePartitions = DEFAULT_SHUFFLE_PARTITIONS;

    private Builder(SparkSession spark, ConfigSource config) {
      this.spark = Objects.requireNonNull(spark, "spark");
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The directory every file dataset goes under: sets {@code pipeline.storage_root}. */
    public Builder storageRoot(Path root) {
      this.storageRoot = root.toAbsolutePath().normalize();
      return this;
    }

    /** A config override, as {@code --set path=value} gives one. */
    public Builder set(String path, String value) {
      overrides.put(path, value);
      return this;
    }

    public Builder runDate(LocalDate date) {
      this.runDate = Objects.requireNonNull(date, "runDate");
      return this;
    }

    /** A {@code {name}} placeholder value, as {@code --var name=value} gives one. */
    public Builder var(String name, String value) {
      vars.put(name, value);
      return this;
    }

    /**
     * {@code spark.sql.shuffle.partitions} while the harness runs tasks (default 2; the session's
     * own setting is put back afterwards). Each dataset a task writes has up to this many files.
     */
    public Builder shufflePartitions(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("shuffle partitions must be at least 1, got " + count);
      }
      this.shufflePartitions = count;
      return this;
    }

    /** The step types to use; by default every step library on the test class path. */
    public Builder catalog(StepCatalog stepCatalog) {
      this.catalog = stepCatalog;
      return this;
    }

    /**
     * @throws InvalidConfigException if the pipeline config is invalid, as {@code stepwise validate} would say
     * @throws IllegalStateException if no storage root was given or a file dataset is stored outside it
     */
    public PipelineHarness build() {
      if (storageRoot == null) {
        throw new IllegalStateException("no storage root: call storageRoot(dir) with a directory of the test's own"
            + " (a @TestDir parameter), so the pipeline never writes where its real data lives");
      }
      Map<String, String> all = new LinkedHashMap<>(overrides);
      all.put("pipeline.storage_root", storageRoot.toString());
      StepCatalog types = catalog != null ? catalog : StepCatalog.discover(classLoader());
      PipelineConfig pipeline = new PipelineConfigLoader(types).load(config, all);
      RunContext run = RunContext.of(runDate, vars);
      PipelineHarness harness = new PipelineHarness(spark, pipeline, run, storageRoot, shufflePartitions);
      harness.checkEverythingUnderTheRoot();
      return harness;
    }

    private static ClassLoader classLoader() {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return context != null ? context : PipelineHarness.class.getClassLoader();
    }
  }

  private void checkEverythingUnderTheRoot() {
    List<String> outside = new ArrayList<>();
    for (DatasetSpec spec : pipeline.datasets().values()) {
      Optional<StorageSpec> storage = pipeline.storageOf(spec.name());
      if (storage.isEmpty() || !storage.get().format().isFile()) {
        continue;
      }
      String location = run.resolve(storage.get(), spec.name()).location();
      if (!LocalPaths.isLocal(location)) {
        outside.add(spec.name() + " at " + location);
      } else if (!LocalPaths.of(location).toAbsolutePath().normalize().startsWith(storageRoot)) {
        outside.add(spec.name() + " at " + location);
      }
    }
    if (!outside.isEmpty()) {
      throw new IllegalStateException("datasets stored outside the test's storage root " + storageRoot + ": "
          + String.join(", ", outside) + "; build their paths from ${pipeline.storage_root} in the pipeline config");
    }
  }
}
