package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without --verbose a failure prints its own message and its innermost cause, never a stack frame,
 * whatever Spark folded into the messages of the exceptions around it.
 */
class FailureTextTest {
  private static String trace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** The chains Spark builds: the task's failure with its whole trace inside the job's message. */
  private static List<Throwable> chains() {
    IOException full = new IOException("No space left on device");
    RuntimeException notParquet = new RuntimeException(
        "file:/data/work/classified_payments/part-00000.parquet is not a Parquet file. Expected magic number at tail");
    IllegalArgumentException header = new IllegalArgumentException("CSV header does not conform to the schema.\n"
        + " Header: currency, rate\n Schema: rate, currency\nExpected: rate but found: currency\nCSV file: file:/raw/fx.csv");
    List<Throwable> roots = List.of(full, notParquet, header, new NullPointerException());
    List<Throwable> chains = new java.util.ArrayList<>();
    for (Throwable root : roots) {
      Exception task = new RuntimeException("[TASK_WRITE_FAILED] Task failed while writing rows.\n" + trace(root), root);
      Exception job = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, most"
          + " recent failure: Lost task 0.0 in stage 3.0 (TID 3): " + trace(task) + "\nDriver stacktrace:\n"
          + trace(new IllegalStateException("driver")), task);
      chains.add(new dev.stepwise.core.run.StepFailedException("ledger", "compute_fees", "while writing 'x'", job));
      chains.add(job);
      chains.add(new RuntimeException("\n" + trace(job), job));
    }
    return chains;
  }

  @Test
  void noFrameAndTheInnermostCauseNamed() {
    List<Throwable> chains = chains();
    for (Throwable chain : chains) {
      List<String> lines = FailureText.lines(chain);
      String text = String.join("\n", lines);
      assertFalse(lines.isEmpty(), trace(chain));
      assertFalse(text.matches("(?s).*\\n\\s*at [\\w$.]+\\(.*") || text.contains("\tat "), text);
      assertFalse(text.contains("Caused by") || text.contains("Driver stacktrace"), text);
      assertTrue(lines.size() <= 10, text);
      Throwable root = chain;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines()
          .filter(l -> !l.isBlank()).findFirst().orElseThrow().strip();
      assertTrue(text.contains(reason), "expected '" + reason + "' in:\n" + text);
    }
    assertEquals(12, chains.size());
  }

  /** Hadoop reports a full disk as an Error; it is a failed run (exit 1) in one line, not an uncaught trace. */
  @Test
  void anIoErrorIsAFailedRunNamingItsCause(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    for (Throwable failure : List.of(new java.io.IOError(new IOException("No space left on device")),
        new java.io.UncheckedIOException(new IOException("No space left on device")))) {
      ExamplePipeline pipeline = new ExamplePipeline(Cli.whoseSessionFailsWith(failure), dir.resolve("data"));
      pipeline.generate(10);
      for (boolean verbose : new boolean[] {false, true}) {
        Cli.Result result = verbose
            ? pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE, "-v")
            : pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE);
        assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
        assertTrue(result.err().contains("No space left on device"), result.toString());
        assertEquals(verbose, result.err().contains("\tat "), result.toString());
      }
    }
  }

  /**
   * Spark names the file it was reading in its own error, while the innermost message often does not (parquet's
   * "footer is too large: 2269352448to be read", for a part file cut at one place): the text must name it, for
   * each of Spark's read errors, whatever the root says, bare or inside a step's failure or a job's.
   */
  @Test
  void theFileSparkWasReadingIsNamedWhenTheRootLeavesItOut() {
    String file = "file:/data/work/classified_payments/run_date=2026-11-21/part-00000-6f1c.snappy.parquet";
    List<Exception> roots = List.of(new RuntimeException("footer is too large: 2269352448to be read"),
        new java.io.EOFException(), new IOException("Reached the end of stream with 17 bytes left to read"),
        new RuntimeException("can not read class org.apache.parquet.format.FileMetaData: Required field 'codec' was not"
            + " present!"));
    int checked = 0;
    for (Exception root : roots) {
      List<Throwable> reads = List.of(
          org.apache.spark.sql.errors.QueryExecutionErrors.cannotReadFilesError(root, file),
          org.apache.spark.sql.errors.QueryExecutionErrors.cannotReadFooterForFileError(
              new org.apache.hadoop.fs.Path(file), root));
      for (Throwable read : reads) {
        Exception job = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, "
            + "most recent failure: Lost task 0.0 in stage 3.0 (TID 3): " + trace(root), read);
        for (Throwable chain : List.of(read, job,
            new dev.stepwise.core.run.StepFailedException("ledger", "compute_fees", "while writing 'x'", job))) {
          String text = String.join("\n", FailureText.lines(chain));
          assertTrue(text.contains(file), "the file is not named:\n" + text + "\n--- for\n" + trace(chain));
          if (text.contains("while reading file " + file)) { // Spark's own message shows it: not said twice
            assertFalse(text.contains("while reading: ") || text.contains("(reading "), text);
          }
          checked++;
        }
      }
    }
    assertEquals(24, checked);
  }
}
