package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.AirflowSettings;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.entrypoint.render.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The JSON the Airflow DAG factory reads: everything a SparkSubmitOperator per task needs, so the
 * DAG file parses without a JVM. The schema is documented in {@code airflow-dags/README.md}.
 *
 * <p>Versioning: {@link #SCHEMA_VERSION} changes only when a field is removed, renamed or changes
 * meaning; fields are added without a change, and readers ignore fields they do not know. The
 * output is deterministic (same config, same bytes) so that committed manifests can be compared
 * with a fresh one in CI.
 */
@Command(name = "manifest", description = "Print the JSON manifest the Airflow DAG factory turns into a DAG.")
final class ManifestCommand implements Callable<Integer> {
  static final int SCHEMA_VERSION = 1;
  static final String JAR = "stepwise-entrypoint.jar";
  /** Where the run date goes in a task's arguments: Airflow renders it to the logical date. */
  static final String RUN_DATE_TEMPLATE = "{{ ds }}";

  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--config-on-cluster", paramLabel = "PATH",
      description = "The config's path where the tasks run, written after --config in each task's arguments"
          + " (default: the --config path as given, relative to spark-submit's working directory).")
  String configOnCluster;

  @Option(names = "--jars-on-cluster", paramLabel = "JAR", split = ",",
      description = "The step jars' paths or URLs where spark-submit runs, for the manifest's jars"
          + " (default: the --jars paths as given).")
  List<String> jarsOnCluster;

  @Option(names = "--files", paramLabel = "FILE", split = ",",
      description = "Files spark-submit ships to the driver's and executors' working directories (its --files),"
          + " e.g. the config when --config-on-cluster names it by file name in cluster deploy mode.")
  List<String> files = new ArrayList<>();

  @Option(names = "--class-archive", paramLabel = "PATH",
      description = "A JVM class-data archive on the machines where spark-submit starts the drivers, recorded there"
          + " by bin/stepwise record-archive: every task's driver starts with it (spark.driver.extraJavaOptions;"
          + " with --java-home, only where that JDK is absent). A missing or stale archive is skipped by the JVM.")
  String classArchive;

  @Option(names = "--java-home", paramLabel = "DIR",
      description = "A JDK (24 or later; JDK 25 is the one measured) on the machines that run spark-submit: each"
          + " task's driver starts on it where DIR/bin/java exists when the task starts, else on spark-submit's"
          + " own JVM (the manifest's driver_jvm; the DAG factory chooses per task run).")
  String javaHome;

  @Option(names = "--aot-cache", paramLabel = "PATH",
      description = "The --java-home JDK's ahead-of-time cache, recorded by bin/stepwise record-archive --java-home"
          + " DIR: drivers on that JDK start with it. A missing or stale cache is skipped by the JVM.")
  String aotCache;

  @Override
  public Integer call() {
    options.overrides.keySet().stream().filter(Secrets::isSecret).findFirst().ifPresent(key -> {
      throw new UsageException("--set " + key + " holds a secret and would be written into the manifest;"
          + " put it in the config as ${?ENV_VAR} and give the variable to the scheduled tasks instead");
    });
    if (classArchive != null) {
      DriverClassArchive.javaOptions(classArchive);  // a bad path fails before the config is read
    }
    Optional<DriverJvm> driverJvm = driverJvm();
    ExecutionPlan plan = options.plan();
    spec.commandLine().getOut().println(Json.write(manifest(plan, driverJvm)));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private Optional<DriverJvm> driverJvm() {
    if (javaHome == null) {
      if (aotCache != null) {
        throw new UsageException("--aot-cache needs --java-home: the JDK (24 or later) the cache was recorded on;"
            + " JDK 17 refuses to start with it");
      }
      return Optional.empty();
    }
    return Optional.of(DriverJvm.of(javaHome, Optional.ofNullable(aotCache), Optional.ofNullable(classArchive)));
  }

  private Map<String, Object> manifest(ExecutionPlan plan, Optional<DriverJvm> driverJvm) {
    AirflowSettings airflow = plan.pipeline().airflow();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("pipeline", plan.pipeline().name());
    root.put("description", plan.pipeline().description());
    root.put("grouping", plan.grouping().name());
    root.put("schedule", airflow.schedule());
    root.put("tags", List.of("stepwise", "pipeline:" + plan.pipeline().name(), "grouping:" + plan.grouping().name()));
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("owner", airflow.owner());
    defaults.put("retries", airflow.retries());
    defaults.put("retry_delay_seconds", airflow.retryDelay().toSeconds());
    root.put("default_args", defaults);
    Map<String, Object> application = new LinkedHashMap<>();
    application.put("jar", JAR);
    application.put("main_class", StepwiseCli.MAIN_CLASS);
    root.put("application", application);
    // spark-submit --jars puts these on the driver's and executors' class paths, where the step
    // catalog finds their StepLibrary services.
    root.put("jars", jarsOnCluster != null ? List.copyOf(jarsOnCluster)
        : options.jars.stream().map(Path::toString).toList());
    root.put("files", List.copyOf(files));
    driverJvm.ifPresent(jvm -> root.put("driver_jvm", jvm.json()));
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskPlan task : plan.tasks()) {
      tasks.add(task(plan, task));
    }
    root.put("tasks", tasks);
    return root;
  }

  private Map<String, Object> task(ExecutionPlan plan, TaskPlan task) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", task.name());
    t.put("upstream", task.upstream());
    t.put("steps", task.stepNames());
    // The plan keeps reads and writes for the executor; here they document the task in the Airflow UI.
    t.put("reads", task.reads().stream().map(DatasetRead::dataset).toList());
    t.put("writes", task.writes().stream().map(DatasetWrite::dataset).toList());
    // Sorted: the plan's map has no stable order, and a committed manifest must not flap.
    // Secret settings stay out of the manifest (and so out of Airflow's UI and logs): the entry point
    // applies them from the config when the session starts, since spark-submit did not set them.
    Map<String, String> visible = new TreeMap<>(task.spark());
    visible.keySet().removeIf(Secrets::isSecret);
    // With --java-home the archive belongs to the fallback JVM: driver_jvm carries it, chosen when the task starts.
    if (classArchive != null && javaHome == null) {
      DriverClassArchive.addTo(visible, classArchive);
    }
    t.put("spark_conf", visible);
    t.put("application_args", arguments(plan, task));
    return t;
  }

  private List<String> arguments(ExecutionPlan plan, TaskPlan task) {
    String config = configOnCluster != null ? configOnCluster : options.configPath().toString();
    // A grouping given as a file travels as that path; a name is looked up beside the config there.
    String grouping = options.grouping != null && options.grouping.endsWith(".conf") ? options.grouping
        : plan.grouping().name();
    List<String> args = new ArrayList<>(List.of("run", "--task", task.name(), "--config", config,
        "--grouping", grouping, "--run-date", RUN_DATE_TEMPLATE));
    options.overrides.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    return args;
  }
}
