package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.step.StepLibrary;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Real jars made in a test: step libraries compiled from source, or any entries, with java.util.jar. */
final class TestJars {
  private TestJars() {}

  /** A jar holding exactly these entries (name -> text). */
  static Path jar(Path target, Map<String, String> entries) throws IOException {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    entries.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return write(target, bytes);
  }

  /**
   * A jar with one compiled {@link StepLibrary} class {@code pkg.className} defining the given step
   * types (each one input "in", one output "out", passing its input on), listed in the service file.
   */
  static Path stepLibrary(Path target, String pkg, String className, List<String> types) throws IOException {
    Path work = Files.createTempDirectory(target.getParent(), "library-");
    Path source = work.resolve("src").resolve(pkg.replace('.', '/')).resolve(className + ".java");
    Files.createDirectories(source.getParent());
    StringBuilder list = new StringBuilder();
    for (String type : types) {
      list.append(list.length() == 0 ? "" : ",\n").append("        StepType.named(\"").append(type)
          .append("\").inputs(\"in\").outputs(\"out\").create(p -> in -> StepOutputs.of(\"out\", in.get(\"in\")))");
    }
    Files.writeString(source, "package " + pkg + ";\n"
        + "import dev.stepwise.core.step.*;\nimport java.util.List;\n"
        + "public final class " + className + " implements StepLibrary {\n"
        + "  @Override public List<StepType> stepTypes() {\n    return List.of(\n" + list + ");\n  }\n}\n");
    Path classes = work.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    String classPath = String.join(java.io.File.pathSeparator, codeSource(StepLibrary.class),
        codeSource(org.apache.spark.sql.Dataset.class), codeSource(org.apache.spark.sql.Row.class),
        codeSource(scala.Function1.class));
    int code = compiler.run(null, null, null, "-classpath", classPath, "-d", classes.toString(), source.toString());
    if (code != 0) {
      throw new IllegalStateException("could not compile " + source);
    }
    Path service = classes.resolve(StepJars.SERVICE);
    Files.createDirectories(service.getParent());
    Files.writeString(service, pkg + "." + className + "\n");
    return directory(target, classes);
  }

  /** A jar of every file under {@code classes} (a build's output folder). */
  static Path directory(Path target, Path classes) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        entries.put(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    return write(target, entries);
  }

  private static Path write(Path target, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(entry.getKey()));
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    }
    return target;
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
