package dev.stepwise.core.io;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.TaskPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * A SHA-256 digest of everything the config says about one task, run date and data aside: its
 * steps (type, implementing class, parameters, bindings), what it reads and writes and how, the
 * contracts it checks, its Spark settings. Two commits with the same fingerprint were made by the
 * same configuration of the task; a changed parameter or path changes it.
 */
public final class ConfigFingerprint {
  private ConfigFingerprint() {}

  /** Lower-case hex, 64 characters. */
  public static String of(TaskPlan task) {
    StringBuilder text = new StringBuilder("task ").append(task.name()).append('\n');
    for (StepSpec step : task.steps()) {
      text.append("step ").append(step.name()).append(" type ").append(step.type().name())
          .append(" class ").append(step.step().getClass().getName())
          .append(" params ").append(step.params())
          .append(" inputs ").append(new TreeMap<>(step.inputs()))
          .append(" outputs ").append(new TreeMap<>(step.outputs())).append('\n');
    }
    for (DatasetRead read : task.reads()) {
      text.append("read ").append(read.dataset()).append(' ').append(storage(read.storage())).append('\n');
    }
    for (DatasetWrite write : task.writes()) {
      text.append("write ").append(write.dataset()).append(' ').append(storage(write.storage())).append('\n');
    }
    new TreeMap<>(task.contracts()).forEach((name, contract) -> text.append(contract(contract)).append('\n'));
    text.append("spark ").append(new TreeMap<>(task.spark()));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static String storage(StorageSpec s) {
    return s.format() + " " + s.location() + " options " + new TreeMap<>(s.options()) + " schema "
        + s.schema().orElse("") + " partition_by " + s.partitionBy() + " run_date_column "
        + s.runDatePartition().map(p -> p.column()).orElse("");
  }

  private static String contract(DatasetSpec contract) {
    StringBuilder text = new StringBuilder("contract " + contract.name() + " schema " + contract.schema().orElse(""));
    for (Expectation e : contract.expectations()) {
      text.append(" expect ").append(e.name()).append(' ').append(e.describe()).append(' ').append(e.action());
    }
    contract.guard().ifPresent(g -> text.append(" guard ").append(g));
    return text.toString();
  }
}
