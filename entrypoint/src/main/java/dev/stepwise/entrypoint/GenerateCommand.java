package dev.stepwise.entrypoint;

import dev.stepwise.core.config.DatasetSpec;
import dev.stepwise.core.config.PipelineConfig;
import dev.stepwise.core.config.StorageSpec;
import dev.stepwise.core.run.RunContext;
import dev.stepwise.examples.payments.PaymentsSampleData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes one run date of the example pipeline's sources where its config reads them. */
@Command(name = "generate", description = "Write sample source data of the payments example for one run date.")
final class GenerateCommand implements Callable<Integer> {
  static final String EVENTS = "raw_payment_events";
  static final String FX_RATES = "fx_rates";
  static final String BOOKINGS = "bookings";

  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD")
  LocalDate runDate;

  @Option(names = "--events", defaultValue = "500", paramLabel = "N", description = "Payment events for the day (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--seed", defaultValue = "20261121", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    if (events < 1) {
      throw new UsageException("--events must be at least 1, got " + events);
    }
    PipelineConfig pipeline = options.pipeline();
    RunContext run = RunContext.of(runDate, Map.of());
    Path eventsDir = localDirectory(pipeline, EVENTS, run);
    Path fxDir = localDirectory(pipeline, FX_RATES, run);
    Path bookingsDir = localDirectory(pipeline, BOOKINGS, run);
    Stream.of(eventsDir, fxDir, bookingsDir).forEach(GenerateCommand::emptyDirectory);
    long start = System.nanoTime();
    var summary = PaymentsSampleData.write(runDate, events, seed, eventsDir, fxDir, bookingsDir);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("generated %s for %s in %.1f s: %s%n", pipeline.name(), runDate,
        (System.nanoTime() - start) / 1e9, summary);
    out.printf("  %s%n  %s%n  %s%n", eventsDir, fxDir, bookingsDir);
    out.flush();
    return ExitCodes.OK;
  }

  private static Path localDirectory(PipelineConfig pipeline, String dataset, RunContext run) {
    DatasetSpec spec = pipeline.datasets().get(dataset);
    if (spec == null || spec.storage().isEmpty()) {
      throw new UsageException("generate writes the payments example's sources, but this config has no dataset '"
          + dataset + "' with storage; use --config conf/payments.conf");
    }
    StorageSpec storage = run.resolve(spec.storage().get(), dataset);
    String location = storage.location();
    if (location.contains("://") && !location.startsWith("file:")) {
      throw new UsageException("generate writes local files only; dataset '" + dataset + "' is at " + location);
    }
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
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
}
