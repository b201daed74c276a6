package dev.stepwise.entrypoint.cli;

import dev.stepwise.examples.payments.PaymentsStepLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The payments example as a user would hand it over: a jar, made once from its classes on the test class path. */
final class ExampleJar {
  private static Path jar;

  private ExampleJar() {}

  static synchronized Path path() {
    if (jar == null) {
      try {
        Path source = Path.of(PaymentsStepLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(source)) {
          jar = source;
        } else {
          Path target = Files.createTempDirectory("stepwise-example-jar-").resolve("stepwise-payments-example.jar");
          jar = TestJars.directory(target, source);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return jar;
  }
}
