package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of small edits of the example config and its groupings, as a hurried person or a bad
 * merge would make them: truncated files, deleted and duplicated lines, values of the wrong type,
 * negative and huge numbers, misspelled keys and names, steps moved into cycles, into two tasks or
 * out of every task. {@code validate} must accept each (exit 0) or refuse it (exit 2) naming a
 * file and line, without a stack trace and without starting Spark; and accepted mutants must still
 * run, on tiny data in the shared test session.
 */
@SparkTest
class ConfigMutantsTest {
  private static final Path CONF = ExamplePipeline.CONFIG.getParent();
  private static final List<String> FILES = List.of("payments.conf", "groupings/daily.conf", "groupings/two-stage.conf");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("^(\\s*)([A-Za-z_][\\w.]*|\"[^\"]*\")(\\s*=\\s*)([^{}]+?)\\s*$");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][\\w-]*");
  private static final List<String> WRONG_TYPES =
      List.of("[1, 2]", "{ x = 1 }", "true", "\"two words\"", "-7", "99999999999", "null", "\"\"");
  private static final List<String> NUMBERS = List.of("-1", "0", "2147483648", "-99999", "1e300", "0.5");
  private static final int MIN_MUTANTS = 300;
  private static final int MAX_MUTANTS = 420;
  private static final int RUNS = 4;

  record Mutant(String operator, String file, String text) {
    String grouping() {
      return file.startsWith("groupings/") ? file.substring("groupings/".length(), file.length() - ".conf".length())
          : "daily";
    }
  }

  private final SparkSession spark;

  ConfigMutantsTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void everyMutantIsAcceptedOrRefusedAtItsLineAndAcceptedOnesRun(@TempDir Path dir) throws IOException {
    List<Mutant> mutants = mutants();
    assertTrue(mutants.size() >= MIN_MUTANTS, "only " + mutants.size() + " mutants");
    Cli cli = Cli.withoutSpark();
    Map<String, int[]> byOperator = new TreeMap<>();
    List<Mutant> accepted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < mutants.size(); i++) {
      Mutant mutant = mutants.get(i);
      Path config = write(dir.resolve("m" + i), mutant);
      Cli.Result result = cli.run("validate", "--config", config.toString(), "--grouping", mutant.grouping());
      String what = mutant.operator() + " of " + mutant.file() + ":\n" + result;
      assertTrue(result.exitCode() == ExitCodes.OK || result.exitCode() == ExitCodes.USAGE, what);
      assertFalse(result.err().contains("\tat ") || result.out().contains("\tat "), "stack trace: " + what);
      assertFalse(result.err().contains("Exception"), "an exception's name in the message: " + what);
      int[] counts = byOperator.computeIfAbsent(mutant.operator(), k -> new int[2]);
      if (result.exitCode() == ExitCodes.USAGE) {
        Pattern located = Pattern.compile(Pattern.quote(config.getParent().toString())
            + "/(payments\\.conf|groupings/[\\w-]+\\.conf):\\d+");
        assertTrue(located.matcher(result.err()).find(), "no file:line in: " + what);
        refused++;
        counts[1]++;
      } else {
        accepted.add(mutant);
        counts[0]++;
      }
    }
    int ran = 0;
    int ranOk = 0;
    List<String> runOutcomes = new ArrayList<>();
    Cli withSpark = Cli.withSession(spark);
    for (Mutant mutant : sample(accepted)) {
      Path config = write(dir.resolve("run" + ran), mutant);
      ExamplePipeline pipeline = new ExamplePipeline(withSpark, dir.resolve("run" + ran).resolve("data"), config);
      pipeline.generate(40);
      Cli.Result result = pipeline.command("run", "--all", "--grouping", mutant.grouping(), "--run-date",
          ExamplePipeline.RUN_DATE);
      String what = "accepted mutant " + mutant.operator() + " of " + mutant.file() + ":\n" + result;
      // Accepted config runs: it succeeds, or the data breaks a declared expectation (exit 1, named).
      assertTrue(result.exitCode() == ExitCodes.OK
          || (result.exitCode() == ExitCodes.RUN_FAILED && result.err().contains("expectation '")), what);
      assertFalse(result.err().contains("\tat "), what);
      ran++;
      ranOk += result.exitCode() == ExitCodes.OK ? 1 : 0;
      runOutcomes.add(mutant.operator() + " " + mutant.file() + " -> exit " + result.exitCode());
    }
    assertTrue(ran > 0 || accepted.isEmpty(), "no accepted mutant ran");
    System.out.printf("config mutants: tried %d, exit 0 %d, exit 2 %d, ran %d (exit 0: %d)%n", mutants.size(),
        accepted.size(), refused, ran, ranOk);
    byOperator.forEach((op, c) -> System.out.printf("  %-22s exit 0 %4d  exit 2 %4d%n", op, c[0], c[1]));
    runOutcomes.forEach(o -> System.out.println("  ran: " + o));
  }

  /** Up to {@link #RUNS} accepted mutants of different operators, chosen deterministically. */
  private static List<Mutant> sample(List<Mutant> accepted) {
    Map<String, Mutant> firstOfOperator = new LinkedHashMap<>();
    List<Mutant> shuffled = new ArrayList<>(accepted);
    Collections.shuffle(shuffled, new Random(7));
    for (Mutant m : shuffled) {
      // Comment-only edits change nothing worth running twice.
      firstOfOperator.putIfAbsent(m.operator(), m);
    }
    return firstOfOperator.values().stream().limit(RUNS).toList();
  }

  private static Path write(Path dir, Mutant mutant) throws IOException {
    Files.createDirectories(dir.resolve("groupings"));
    for (String file : FILES) {
      Files.writeString(dir.resolve(file), file.equals(mutant.file()) ? mutant.text() : Files.readString(CONF.resolve(file)));
    }
    return dir.resolve("payments.conf");
  }

  static List<Mutant> mutants() throws IOException {
    List<Mutant> all = new ArrayList<>();
    for (String file : FILES) {
      String text = Files.readString(CONF.resolve(file));
      List<String> lines = List.of(text.split("\n", -1));
      for (int k = 1; k < 16; k++) {
        all.add(new Mutant("truncate", file, text.substring(0, k * text.length() / 16)));
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        all.add(new Mutant("delete line", file, replaced(lines, i, List.of())));
        all.add(new Mutant("duplicate line", file, replaced(lines, i, List.of(line, line))));
        Matcher m = ASSIGNMENT.matcher(line);
        if (!m.matches()) {
          continue;
        }
        String indent = m.group(1);
        String key = m.group(2);
        String value = m.group(4);
        all.add(new Mutant("unknown key", file, replaced(lines, i, List.of(indent + key + "x" + m.group(3) + value))));
        String wrong = WRONG_TYPES.get(i % WRONG_TYPES.size());
        all.add(new Mutant("wrong type", file, replaced(lines, i, List.of(indent + key + " = " + wrong))));
        if (NUMBER.matcher(value).matches()) {
          for (String number : NUMBERS) {
            all.add(new Mutant("number " + number, file, replaced(lines, i, List.of(indent + key + " = " + number))));
          }
        } else if (IDENTIFIER.matcher(value).matches()) {
          all.add(new Mutant("unknown name", file, replaced(lines, i, List.of(indent + key + " = " + value + "_x"))));
        }
      }
      if (file.startsWith("groupings/")) {
        all.addAll(groupingMutants(file, text));
      }
    }
    List<Mutant> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(42));
    return shuffled.subList(0, Math.min(MAX_MUTANTS, shuffled.size()));
  }

  /** Steps moved out of every task, into a second task, and into the first task (often a cycle). */
  private static List<Mutant> groupingMutants(String file, String text) {
    List<Mutant> result = new ArrayList<>();
    Matcher lists = Pattern.compile("steps = \\[([^\\]]*)\\]").matcher(text);
    List<int[]> spans = new ArrayList<>();
    List<List<String>> tasks = new ArrayList<>();
    while (lists.find()) {
      spans.add(new int[] {lists.start(1), lists.end(1)});
      tasks.add(List.of(lists.group(1).replaceAll("\\s+", " ").strip().split("\\s*,\\s*")));
    }
    for (int t = 0; t < tasks.size(); t++) {
      for (String step : tasks.get(t)) {
        List<List<String>> none = copy(tasks);
        none.get(t).remove(step);
        result.add(new Mutant("step in no task", file, withLists(text, spans, none)));
        List<List<String>> two = copy(tasks);
        two.get((t + 1) % tasks.size()).add(step);
        result.add(new Mutant("step in two tasks", file, withLists(text, spans, two)));
        if (t > 0) {
          List<List<String>> moved = copy(tasks);
          moved.get(t).remove(step);
          moved.get(0).add(step);
          result.add(new Mutant("step moved to first", file, withLists(text, spans, moved)));
        }
      }
    }
    return result;
  }

  private static List<List<String>> copy(List<List<String>> tasks) {
    List<List<String>> copy = new ArrayList<>();
    tasks.forEach(t -> copy.add(new ArrayList<>(t)));
    return copy;
  }

  private static String withLists(String text, List<int[]> spans, List<List<String>> tasks) {
    StringBuilder out = new StringBuilder(text);
    for (int t = spans.size() - 1; t >= 0; t--) {
      out.replace(spans.get(t)[0], spans.get(t)[1], String.join(", ", tasks.get(t)));
    }
    return out.toString();
  }

  private static String replaced(List<String> lines, int index, List<String> with) {
    List<String> copy = new ArrayList<>(lines.subList(0, index));
    copy.addAll(with);
    copy.addAll(lines.subList(index + 1, lines.size()));
    return String.join("\n", copy);
  }
}
