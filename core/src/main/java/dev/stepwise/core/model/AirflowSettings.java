package dev.stepwise.core.model;

import java.time.Duration;
import java.util.Objects;

/** What the Airflow DAG of a pipeline is scheduled and retried with. */
public record AirflowSettings(String schedule, String owner, int retries, Duration retryDelay) {
  public static final AirflowSettings DEFAULTS = new AirflowSettings("@daily", "stepwise", 1, Duration.ofMinutes(5));

  public AirflowSettings {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(retryDelay, "retryDelay");
  }
}
