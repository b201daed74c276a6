package dev.stepwise.entrypoint.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The entry point's packages depend one way: the run report ({@code report}) and the plan's pictures
 * ({@code render}) at the bottom, then {@code advise} (which reads reports), then the command line
 * ({@code cli}), which may use them all; only {@code StepwiseMain}, at the top, uses the command line.
 */
class PackageLayersTest {
  private static final String ENTRYPOINT = "dev.stepwise.entrypoint";

  private static final Map<String, Integer> LAYER = Map.of(
      "report", 0,
      "render", 0,
      "advise", 1,
      "cli", 2);

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ENTRYPOINT);

  @Test
  void noPackageCycles() {
    slices().matching(ENTRYPOINT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void noPackageUsesALayerAboveIt() {
    for (Map.Entry<String, Integer> entry : LAYER.entrySet()) {
      String[] above = LAYER.entrySet().stream()
          .filter(other -> other.getValue() > entry.getValue())
          .map(other -> ENTRYPOINT + "." + other.getKey() + "..")
          .toArray(String[]::new);
      if (above.length == 0) {
        continue;
      }
      noClasses().that().resideInAPackage(ENTRYPOINT + "." + entry.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because(entry.getKey() + " is layer " + entry.getValue() + " and may only use layers up to it")
          .check(CLASSES);
    }
  }

  @Test
  void theReportAndThePicturesKnowNothingOfEachOther() {
    noClasses().that().resideInAPackage(ENTRYPOINT + ".report..")
        .should().dependOnClassesThat().resideInAPackage(ENTRYPOINT + ".render..").check(CLASSES);
    noClasses().that().resideInAPackage(ENTRYPOINT + ".render..")
        .should().dependOnClassesThat().resideInAPackage(ENTRYPOINT + ".report..").check(CLASSES);
  }

  @Test
  void onlyTheMainClassLivesAtTheTopAndNothingUsesIt() {
    Set<String> top = CLASSES.stream().filter(c -> c.getPackageName().equals(ENTRYPOINT))
        .map(JavaClass::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of("StepwiseMain"), top);
    noClasses().that().resideInAnyPackage(LAYER.keySet().stream().map(p -> ENTRYPOINT + "." + p + "..")
            .toArray(String[]::new))
        .should().dependOnClassesThat().resideInAPackage(ENTRYPOINT)
        .because("StepwiseMain starts the command line; the command line does not start itself")
        .check(CLASSES);
  }

  @Test
  void everyEntrypointPackageHasALayer() {
    Set<String> packages = CLASSES.stream()
        .map(JavaClass::getPackageName)
        .filter(name -> name.startsWith(ENTRYPOINT + "."))
        .map(name -> name.substring(ENTRYPOINT.length() + 1).split("\\.")[0])
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(LAYER.keySet()), packages,
        "every package of the entry point needs a place in the layer order of this test");
  }

  @Test
  void theProductDoesNotDependOnItsExample() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(List.of("dev.stepwise.examples..")
            .toArray(String[]::new))
        .because("the application jar runs any user's pipeline and must not carry the payments example")
        .check(CLASSES);
  }
}
