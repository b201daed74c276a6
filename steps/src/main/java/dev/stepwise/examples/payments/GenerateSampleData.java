package dev.stepwise.examples.payments;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.LocalPaths;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example's own command line ({@code bin/stepwise generate}): writes one run date of the payments
 * pipeline's sources where its config reads them. It belongs to the example, not to the product's
 * entry point, so a user's application jar carries none of it.
 *
 * <pre>generate --config conf/payments.conf --run-date YYYY-MM-DD [--events N] [--seed S] [--set PATH=VALUE]...</pre>
 */
public final class GenerateSampleData {
  static final String EVENTS = "raw_payment_events";
  static final String FX_RATES = "fx_rates";
  static final String BOOKINGS = "bookings";
  static final String USAGE = "usage: generate --config FILE --run-date YYYY-MM-DD [--events N (default 500)]"
      + " [--seed S (default 20261121)] [--set CONFIG.PATH=VALUE]...";
  static final int OK = 0;
  static final int USAGE_ERROR = 2;

  private GenerateSampleData() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /** Runs the command line; returns its exit code (0, or 2 for bad usage or config). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      Arguments arguments = Arguments.parse(List.of(args));
      generate(arguments, out);
      return OK;
    } catch (BadUsage | InvalidConfigException e) {
      err.println("stepwise generate: " + e.getMessage());
      if (e instanceof BadUsage) {
        err.println(USAGE);
      }
      err.flush();
      return USAGE_ERROR;
    }
  }

  private static void generate(Arguments arguments, PrintWriter out) {
    StepCatalog catalog = StepCatalog.discover(GenerateSampleData.class.getClassLoader());
    PipelineConfig pipeline = new PipelineConfigLoader(catalog).load(ConfigSource.file(arguments.config()),
        arguments.overrides());
    RunContext run = RunContext.of(arguments.runDate(), Map.of());
    Path eventsDir = localDirectory(pipeline, EVENTS, run);
    Path fxDir = localDirectory(pipeline, FX_RATES, run);
    Path bookingsDir = localDirectory(pipeline, BOOKINGS, run);
    Stream.of(eventsDir, fxDir, bookingsDir).forEach(GenerateSampleData::emptyDirectory);
    long start = System.nanoTime();
    GenerationSummary summary = PaymentsSampleData.write(arguments.runDate(), arguments.events(), arguments.seed(),
        eventsDir, fxDir, bookingsDir);
    out.printf("generated %s for %s in %.1f s: %s%n", pipeline.name(), arguments.runDate(),
        (System.nanoTime() - start) / 1e9, summary);
    out.printf("  %s%n  %s%n  %s%n", eventsDir, fxDir, bookingsDir);
    out.flush();
  }

  private static Path localDirectory(PipelineConfig pipeline, String dataset, RunContext run) {
    DatasetSpec spec = pipeline.datasets().get(dataset);
    if (spec == null || spec.storage().isEmpty()) {
      throw new BadUsage("generate writes the payments example's sources, but this config has no dataset '"
          + dataset + "' with storage; use --config conf/payments.conf");
    }
    StorageSpec storage = run.resolve(spec.storage().get(), dataset);
    String location = storage.location();
    if (!LocalPaths.isLocal(location)) {
      throw new BadUsage("generate writes local files only; dataset '" + dataset + "' is at " + location);
    }
    return LocalPaths.of(location);
  }

  private static void emptyDirectory(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }

  /** A command line that cannot be run as given. */
  static final class BadUsage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadUsage(String message) {
      super(message);
    }
  }

  record Arguments(Path config, LocalDate runDate, int events, long seed, Map<String, String> overrides) {
    static Arguments parse(List<String> args) {
      Map<String, String> values = new LinkedHashMap<>();
      Map<String, String> overrides = new LinkedHashMap<>();
      List<String> rest = new ArrayList<>(args);
      while (!rest.isEmpty()) {
        String arg = rest.remove(0);
        String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (!List.of("--config", "--run-date", "--events", "--seed", "--set").contains(name)) {
          throw new BadUsage("unknown option '" + arg + "'");
        }
        String value;
        if (!name.equals(arg)) {
          value = arg.substring(name.length() + 1);
        } else if (rest.isEmpty()) {
          throw new BadUsage(name + " needs a value");
        } else {
          value = rest.remove(0);
        }
        if (name.equals("--set")) {
          int eq = value.indexOf('=');
          if (eq < 1) {
            throw new BadUsage("--set takes CONFIG.PATH=VALUE, got '" + value + "'");
          }
          overrides.put(value.substring(0, eq), value.substring(eq + 1));
        } else {
          values.put(name, value);
        }
      }
      String config = values.getOrDefault("--config", System.getenv("STEPWISE_CONFIG"));
      if (config == null) {
        throw new BadUsage("no pipeline config: pass --config FILE or set STEPWISE_CONFIG");
      }
      if (!values.containsKey("--run-date")) {
        throw new BadUsage("--run-date is required");
      }
      int events = (int) number(values.getOrDefault("--events", "500"), "--events");
      if (events < 1) {
        throw new BadUsage("--events must be at least 1, got " + events);
      }
      return new Arguments(Path.of(config), date(values.get("--run-date")), events,
          number(values.getOrDefault("--seed", "20261121"), "--seed"), overrides);
    }

    private static LocalDate date(String text) {
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new BadUsage("--run-date takes YYYY-MM-DD, got '" + text + "'");
      }
    }

    private static long number(String text, String option) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new BadUsage(option + " takes a whole number, got '" + text + "'");
      }
    }
  }
}
