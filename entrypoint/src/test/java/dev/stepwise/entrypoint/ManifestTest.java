package dev.stepwise.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifest is a contract with the Airflow DAG factory (airflow-dags/README.md): these check its
 * fields through the real command line, with no Spark. The Python side checks the DAG built from it.
 */
class ManifestTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();

  private final Cli cli = Cli.withoutSpark();

  private JsonNode manifest(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("manifest", "--config", CONFIG.toString()));
    args.addAll(List.of(extra));
    Cli.Result result = cli.run(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result::toString);
    return new ObjectMapper().readTree(result.out());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  @Test
  void describesThePipelineItsScheduleAndTheApplication() throws Exception {
    JsonNode manifest = manifest("--grouping", "daily");

    assertEquals(1, manifest.get("schema_version").asInt());
    assertEquals("payments", manifest.get("pipeline").asText());
    assertEquals("daily", manifest.get("grouping").asText());
    assertEquals("0 3 * * *", manifest.get("schedule").asText());
    assertEquals(List.of("stepwise", "pipeline:payments", "grouping:daily"), texts(manifest.get("tags")));
    assertEquals("payments-data", manifest.at("/default_args/owner").asText());
    assertEquals(2, manifest.at("/default_args/retries").asInt());
    assertEquals(600, manifest.at("/default_args/retry_delay_seconds").asLong());
    assertEquals("stepwise-entrypoint.jar", manifest.at("/application/jar").asText());
    assertEquals(StepwiseMain.class.getName(), manifest.at("/application/main_class").asText());
  }

  @Test
  void givesEachTaskItsUpstreamStepsDatasetsSortedSparkSettingsAndArguments() throws Exception {
    JsonNode ledger = manifest("--grouping", "daily").at("/tasks/1");

    assertEquals("ledger", ledger.get("name").asText());
    assertEquals(List.of("ingest"), texts(ledger.get("upstream")));
    assertEquals(List.of("compute_fees", "post_ledger", "check_ledger"), texts(ledger.get("steps")));
    assertEquals(List.of("classified_payments"), texts(ledger.get("reads")));
    assertEquals(List.of("payments_with_fees", "ledger_entries", "ledger_balance_report"), texts(ledger.get("writes")));
    List<String> keys = new ArrayList<>();
    ledger.get("spark_conf").fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("spark.executor.cores", "spark.executor.instances", "spark.executor.memory",
        "spark.sql.shuffle.partitions"), keys);
    assertEquals("4g", ledger.at("/spark_conf/spark.executor.memory").asText());
    assertEquals(List.of("run", "--task", "ledger", "--grouping", "daily", "--run-date", "{{ ds }}"),
        texts(ledger.get("application_args")));
  }

  @Test
  void passesConfigOverridesOnToEveryTask() throws Exception {
    JsonNode manifest = manifest("--grouping", "per-step", "--set", "pipeline.storage_root=/lake");

    assertEquals(12, manifest.get("tasks").size());
    manifest.get("tasks").forEach(task -> {
      List<String> args = texts(task.get("application_args"));
      assertEquals(List.of("--set", "pipeline.storage_root=/lake"), args.subList(args.size() - 2, args.size()));
    });
  }
}
