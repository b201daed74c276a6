package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty dataset gives the same result whether it stays in one task or crosses two, in every file
 * format a dataset may cross in, partitioned or not: the next task reads it with the schema it was
 * written with (kept in its marker), since files of no rows give inference nothing to go by.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmptyDatasetAcrossTasksTest {
  private static final StructType SCHEMA = StructType.fromDDL("k STRING, n INT, d DECIMAL(18,2), day DATE");
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
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

  @Test
  void anEmptyDatasetKeepsItsColumnsAcrossTasks() throws Exception {
    int c = 0;
    for (String format : List.of("parquet", "orc", "json", "csv")) {
      for (String partitioning : List.of("", "partition_by = [k]")) {
        Path root = dir.resolve("case-" + c++);
        String about = format + (partitioning.isEmpty() ? "" : ", partitioned");
        spark.createDataFrame(List.<Row>of(), SCHEMA).write()
            .parquet(root.resolve("raw/events/run_date=" + TinyPipeline.RUN_DATE).toString());
        Dataset<Row> together = run(root.resolve("together"), root, format, partitioning, false);
        Dataset<Row> apart = run(root.resolve("apart"), root, format, partitioning, true);
        assertEquals(0, apart.count(), about);
        assertEquals(together.schema().simpleString(), apart.schema().simpleString(), about);
        assertEquals(SCHEMA.simpleString(), apart.schema().simpleString(), about);
      }
    }
  }

  private Dataset<Row> run(Path root, Path data, String format, String partitioning, boolean apart) throws Exception {
    Files.createDirectories(root);
    Path config = root.resolve("empty.conf");
    Files.writeString(config, """
        pipeline { name = empty }
        datasets {
          events { format = parquet, path = "%3$s/raw/events/run_date={run_date}" }
          mid { format = %2$s, path = "%1$s/mid/run_date={run_date}", %4$s }
          out { format = parquet, path = "%1$s/out/run_date={run_date}" }
        }
        steps {
          make { type = copy, inputs { in = events }, outputs { out = mid } }
          use { type = copy, inputs { in = mid }, outputs { out = out } }
        }
        """.formatted(root.toAbsolutePath(), format, data.toAbsolutePath(), partitioning));
    for (TaskPlan task : TinyPipeline.makeThenUse(config, CATALOG, apart)) {
      new TaskRunner(spark, RunListener.NONE).run(task, RunContext.of(TinyPipeline.RUN_DATE, Map.of()));
    }
    return spark.read().parquet(root.resolve("out/run_date=" + TinyPipeline.RUN_DATE).toString());
  }
}
