package dev.stepwise.entrypoint.cli;

import dev.stepwise.entrypoint.StepwiseMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the entry point in a JVM of its own, as bin/stepwise would, with a local master. */
final class ChildStepwise {
  record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + output;
    }
  }

  private ChildStepwise() {}

  static Result run(Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || flag.startsWith("-Dio.netty") || flag.startsWith("-Djdk.reflect") || flag.startsWith("-Duser.timezone")) {
        command.add(flag);
      }
    }
    // Short-lived JVMs: the quick compiler and a simple collector start faster on a busy machine.
    command.addAll(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dspark.master=local[1]",
        "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=1", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-cp", System.getProperty("java.class.path"),
        StepwiseMain.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(log.getParent().toFile()).start();
    int code = process.waitFor();
    return new Result(code, Files.readString(log, StandardCharsets.UTF_8));
  }
}
