package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.entrypoint.StepwiseMain;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A truncated parquet input, read by a task in a JVM of its own launched as bin/stepwise launches
 * it (the real main class, conf/log4j2.properties unless --verbose): without --verbose no stack
 * frame reaches the terminal, Spark's ERROR logs included, and the error names the file; with
 * --verbose the trace is there.
 */
@SparkTest
class TruncatedInputTest {
  private static final Pattern FRAME = Pattern.compile("(?m)^\\s*(at [\\w$.<>/]+\\(|Caused by:|\\.\\.\\. \\d+ more)");

  private final SparkSession spark;

  TruncatedInputTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void aTruncatedParquetInputFailsInOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    Path part = firstPartIngestWrote(new ExamplePipeline(Cli.withSession(spark), dir.resolve("data")), dir);
    try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    // Spark checks its own .crc files first; a real truncation leaves none that match.
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));

    Result quiet = launch(dir, false);
    assertEquals(ExitCodes.RUN_FAILED, quiet.exitCode(), quiet.output());
    assertFalse(FRAME.matcher(quiet.output()).find(), "a stack frame without --verbose:\n" + quiet.output());
    assertTrue(quiet.output().contains(part.getFileName().toString()), "the file is not named:\n" + quiet.output());
    assertTrue(quiet.output().lines().anyMatch(l -> l.startsWith("stepwise: run failed: ")), quiet.output());

    Result verbose = launch(dir, true);
    assertEquals(ExitCodes.RUN_FAILED, verbose.exitCode(), verbose.output());
    assertTrue(FRAME.matcher(verbose.output()).find(), "--verbose shows the trace:\n" + verbose.output());
    System.out.printf("truncated parquet: %d lines without --verbose, %d with%n", quiet.output().lines().count(),
        verbose.output().lines().count());
  }

  /**
   * Where a parquet file is cut decides what the parquet library says ("not a Parquet file", "footer is too
   * large", an end of stream), and not every message names the file: the run's error must, at every cut and
   * for every tail a cut can leave.
   */
  @Test
  void everyCutOfAParquetInputFailsNamingTheFile(@TempDir Path dir) throws Exception {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    Path part = firstPartIngestWrote(pipeline, dir);
    byte[] whole = Files.readAllBytes(part);
    int n = whole.length;
    // Inside the header, the body, the footer, its length and the closing magic number.
    List<byte[]> damaged = new ArrayList<>();
    for (int cut : List.of(1, 4, 7, n / 4, n / 2, 2 * n / 3, n - 12, n - 8, n - 5, n - 4, n - 1)) {
      damaged.add(java.util.Arrays.copyOf(whole, cut));
    }
    // The tail a cut leaves decides the message: a footer length past 2 GiB ("footer is too large", which does
    // not name the file), zero, longer than the file, each before the magic number intact and garbled.
    for (long length : List.of(0x87FF_FFFFL, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0L, 2L * n)) {
      for (boolean magic : List.of(true, false)) {
        byte[] bytes = whole.clone();
        for (int i = 0; i < 4; i++) {
          bytes[n - 8 + i] = (byte) (length >>> (8 * i));
          bytes[n - 4 + i] = magic ? bytes[n - 4 + i] : (byte) 0x5A;
        }
        damaged.add(bytes);
      }
    }
    for (byte[] bytes : damaged) {
      String cut = bytes.length + " of " + n + " bytes, tail " + java.util.HexFormat.of().formatHex(bytes, Math.max(0,
          bytes.length - 8), bytes.length);
      Files.write(part, bytes);
      Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));

      Cli.Result ledger = pipeline.command("run", "--task", "ledger", "--grouping", "daily", "--run-date",
          ExamplePipeline.RUN_DATE);

      assertEquals(ExitCodes.RUN_FAILED, ledger.exitCode(), () -> cut + ": " + ledger);
      assertTrue(ledger.err().contains(part.getFileName().toString()), () -> cut + ", the file is not named:\n" + ledger.err());
    }
  }

  /** Runs daily's first task on generated data; the first non-empty parquet part of the boundary it wrote. */
  private static Path firstPartIngestWrote(ExamplePipeline pipeline, Path dir) throws IOException {
    pipeline.generate(40);
    Cli.Result ingest = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.OK, ingest.exitCode(), ingest.toString());
    Path input = dir.resolve("data/work/classified_payments/run_date=" + ExamplePipeline.RUN_DATE);
    try (Stream<Path> files = Files.walk(input)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && sizeOf(f) > 64).sorted().findFirst()
          .orElseThrow(() -> new AssertionError("no parquet file under " + input));
    }
  }

  record Result(int exitCode, String output) {}

  /** The task that reads the truncated data, in a JVM started the way bin/stepwise starts one. */
  private static Result launch(Path dir, boolean verbose) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("--add-exports") || flag.startsWith("-Dio.netty")) {
        command.add(flag);
      }
    }
    if (!verbose) {
      command.add("-Dlog4j2.configurationFile=" + ExamplePipeline.CONFIG.getParent().resolve("log4j2.properties"));
    }
    command.addAll(List.of("-Xmx1g", "-Dspark.master=local[1]", "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
        "-cp", System.getProperty("java.class.path"), StepwiseMain.class.getName(),
        "run", "--task", "ledger", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE,
        "--config", ExamplePipeline.CONFIG.toString(), "--set", "pipeline.storage_root=" + dir.resolve("data")));
    if (verbose) {
      command.add("--verbose");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
