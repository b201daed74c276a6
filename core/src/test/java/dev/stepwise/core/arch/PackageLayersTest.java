package dev.stepwise.core.arch;

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
 * Core's packages depend one way: the shared error types, then the step API and the validated
 * model, then loading and planning, then storage and quality checks, then running. A package may
 * use its own layer and the ones below it; a cycle between packages fails even within one layer.
 */
class PackageLayersTest {
  private static final String CORE = "dev.stepwise.core";

  private static final Map<String, Integer> LAYER = Map.of(
      "problem", 0,
      "step", 1,
      "model", 1,
      "config", 2,
      "plan", 2,
      "io", 3,
      "quality", 3,
      "run", 4);

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(CORE);

  @Test
  void noPackageCycles() {
    slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void noPackageUsesALayerAboveIt() {
    for (Map.Entry<String, Integer> entry : LAYER.entrySet()) {
      String[] above = LAYER.entrySet().stream()
          .filter(other -> other.getValue() > entry.getValue())
          .map(other -> CORE + "." + other.getKey() + "..")
          .toArray(String[]::new);
      if (above.length == 0) {
        continue;
      }
      noClasses().that().resideInAPackage(CORE + "." + entry.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because(entry.getKey() + " is layer " + entry.getValue() + " and may only use layers up to it")
          .check(CLASSES);
    }
  }

  @Test
  void everyCorePackageHasALayer() {
    Set<String> packages = CLASSES.stream()
        .map(JavaClass::getPackageName)
        .filter(name -> name.startsWith(CORE + "."))
        .map(name -> name.substring(CORE.length() + 1).split("\\.")[0])
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(LAYER.keySet()), packages,
        "every package of core needs a place in the layer order of this test");
  }

  @Test
  void theModelIsPlainValues() {
    noClasses().that().resideInAPackage(CORE + ".model..")
        .should().dependOnClassesThat().resideInAnyPackage(
            List.of("org.apache.spark..", "com.typesafe.config..").toArray(String[]::new))
        .because("the model is the validated pipeline, free of the engine and of the config format")
        .check(CLASSES);
  }
}
