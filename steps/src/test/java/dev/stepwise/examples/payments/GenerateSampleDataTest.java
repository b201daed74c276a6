package dev.stepwise.examples.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's own command line: writes the sources where conf/payments.conf reads them; bad usage exits 2. */
class GenerateSampleDataTest {
  private static final String CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize().toString();

  @TempDir Path root;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenerateSampleData.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void writesTheThreeSourcesUnderTheConfigsStorageRoot() {
    Result result = run("--config", CONFIG, "--run-date", "2026-11-21", "--events", "40",
        "--set", "pipeline.storage_root=" + root);

    assertEquals(0, result.code(), result.toString());
    assertTrue(result.out().contains("generated payments for 2026-11-21"), result.out());
    assertTrue(Files.isRegularFile(root.resolve("raw/payment_events/run_date=2026-11-21")
        .resolve(PaymentsSampleData.EVENTS_FILE)));
    assertTrue(Files.isRegularFile(root.resolve("raw/fx_rates/run_date=2026-11-21")
        .resolve(PaymentsSampleData.FX_RATES_FILE)));
    assertTrue(Files.isRegularFile(root.resolve("raw/bookings/run_date=2026-11-21")
        .resolve(PaymentsSampleData.BOOKINGS_FILE)));
  }

  @Test
  void everyBadCommandLineExitsTwoSayingWhatIsWrong() {
    String set = "--set=pipeline.storage_root=" + root;
    List<List<String>> cases = List.of(
        List.of("--config", CONFIG, set),
        List.of("--config", CONFIG, set, "--run-date", "21.11.2026"),
        List.of("--config", CONFIG, set, "--run-date", "2026-11-21", "--events", "0"),
        List.of("--config", CONFIG, set, "--run-date", "2026-11-21", "--events", "many"),
        List.of("--config", CONFIG, set, "--run-date", "2026-11-21", "--seed", "1.5"),
        List.of("--config", CONFIG, set, "--run-date", "2026-11-21", "--colour", "red"),
        List.of("--config", CONFIG, set, "--run-date"),
        List.of("--config", CONFIG, "--set", "no_equals_sign", "--run-date", "2026-11-21"),
        List.of("--config", root.resolve("nope.conf").toString(), "--run-date", "2026-11-21"));
    List<String> expected = List.of("--run-date is required", "--run-date takes YYYY-MM-DD, got '21.11.2026'",
        "--events must be at least 1, got 0", "--events takes a whole number, got 'many'",
        "--seed takes a whole number, got '1.5'", "unknown option '--colour'", "--run-date needs a value",
        "--set takes CONFIG.PATH=VALUE, got 'no_equals_sign'", "nope.conf");
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Result result = run(cases.get(i).toArray(String[]::new));
      if (result.code() != 2 || !result.err().contains(expected.get(i)) || result.err().contains("\tat ")) {
        problems.add(cases.get(i) + " -> " + result);
      }
    }
    assertEquals(List.of(), problems);
  }
}
