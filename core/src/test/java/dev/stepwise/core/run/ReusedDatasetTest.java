package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.udf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.plan.CachePolicy;
import dev.stepwise.core.plan.DatasetReuse;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.Reuse;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset the task writes and two later steps copy: {@code add_stamp} stamps each event with the
 * clock (a different value every time Spark computes it), writes it, and {@code copy_left} and
 * {@code copy_right} copy it. Both copies hold the very stamps that were written only if the
 * stamped data was computed once: read back from the written files, or cached, never recomputed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReusedDatasetTest {
  private static final int EVENTS = 40;
  private static final UserDefinedFunction CLOCK =
      udf((UDF0<Long>) System::nanoTime, DataTypes.LongType).asNondeterministic();
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("add_stamp").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("stamp", CLOCK.apply()))),
      StepType.named("copy").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  private SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  void start(@TempDir Path scratch) {
    spark = TinyPipeline.session(scratch);
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** How the stamped dataset is stored, the task's policy, and how the plan must keep it. */
  private record Variant(String storage, CachePolicy policy, Reuse expected) {}

  @Test
  void aWrittenDatasetUsedAgainIsComputedOnceWhateverKeepsIt() throws IOException {
    List<Variant> variants = List.of(
        new Variant("format = parquet", CachePolicy.BY_COST, Reuse.READ_BACK),
        new Variant("format = json", CachePolicy.BY_COST, Reuse.CACHE),
        new Variant("format = parquet", CachePolicy.ALL, Reuse.CACHE));
    for (int i = 0; i < variants.size(); i++) {
      Variant variant = variants.get(i);
      Path root = dir.resolve("variant-" + i);
      TaskPlan task = plan(root, variant);
      DatasetReuse stamped = task.reuse().stream().filter(r -> r.dataset().equals("stamped")).findFirst()
          .orElseThrow();
      assertEquals(variant.expected(), stamped.reuse(), variant + ": " + stamped.reason());

      boolean[] cachedAfterWrite = new boolean[1];
      RunListener probe = new RunListener() {
        @Override
        public void stepFinished(String taskName, String step, Duration elapsed) {
          if (step.equals("add_stamp")) {
            cachedAfterWrite[0] = !spark.sharedState().cacheManager().isEmpty();
          }
        }
      };
      new TaskRunner(spark, probe).run(task, RunContext.of(TinyPipeline.RUN_DATE, Map.of()));

      assertEquals(variant.expected() == Reuse.CACHE, cachedAfterWrite[0], variant + ": cached while in use");
      assertTrue(spark.sharedState().cacheManager().isEmpty(), variant + ": released when the task ends");
      List<String> left = rows(root, "left");
      assertEquals(EVENTS, left.size(), variant.toString());
      assertEquals(left, rows(root, "right"), variant + ": both copies hold the same stamps");
      if (variant.storage().equals("format = parquet")) {
        assertEquals(left, rows(root, "stamped"), variant + ": the copies hold the stamps that were written");
      }
    }
  }

  private TaskPlan plan(Path root, Variant variant) throws IOException {
    Files.createDirectories(root.resolve("raw/events/run_date=" + TinyPipeline.RUN_DATE));
    Files.writeString(root.resolve("raw/events/run_date=" + TinyPipeline.RUN_DATE + "/events.json"),
        IntStream.rangeClosed(1, EVENTS).mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}")
            .collect(Collectors.joining("\n", "", "\n")));
    Path config = root.resolve("reuse.conf");
    Files.writeString(config, """
        pipeline { name = reuse }
        datasets {
          events { format = json, path = "%1$s/raw/events/run_date={run_date}", schema = "id INT, n INT" }
          stamped { %2$s, path = "%1$s/work/stamped/run_date={run_date}", checkpoint = true }
          left { format = parquet, path = "%1$s/out/left/run_date={run_date}" }
          right { format = parquet, path = "%1$s/out/right/run_date={run_date}" }
        }
        steps {
          add_stamp { type = add_stamp, inputs { in = events }, outputs { out = stamped } }
          copy_left { type = copy, inputs { in = stamped }, outputs { out = left } }
          copy_right { type = copy, inputs { in = stamped }, outputs { out = right } }
        }
        """.formatted(root.toAbsolutePath(), variant.storage()));
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
    Grouping one = new Grouping("one", "", List.of(new TaskSpec("all",
        List.of("add_stamp", "copy_left", "copy_right"), Map.of(CachePolicy.KEY, variant.policy().configName()),
        "code")), "code");
    return Planner.plan(pipeline, one).tasks().get(0);
  }

  private List<String> rows(Path root, String dataset) {
    String folder = (dataset.equals("stamped") ? "work/" : "out/") + dataset + "/run_date=" + TinyPipeline.RUN_DATE;
    return spark.read().parquet(root.resolve(folder).toString()).select("id", "n", "stamp").collectAsList().stream()
        .map(Row::toString).sorted().toList();
  }
}
