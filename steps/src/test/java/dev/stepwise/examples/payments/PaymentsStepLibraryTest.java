package dev.stepwise.examples.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepParams;
import dev.stepwise.core.step.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentsStepLibraryTest {
  private static final Path PIPELINE_CONF = Path.of("..", "conf", "payments.conf");

  @Test
  void isFoundByTheServiceLoaderWithTheRolesConfigUses() {
    StepCatalog catalog = StepCatalog.discover(getClass().getClassLoader());

    Map<String, List<List<String>>> expected = Map.ofEntries(
        Map.entry("parse_payment_events", List.of(List.of("raw"), List.of("events", "malformed"))),
        Map.entry("deduplicate_payments", List.of(List.of("events"), List.of("payments"))),
        Map.entry("normalize_currencies", List.of(List.of("payments", "rates"), List.of("payments", "unconvertible"))),
        Map.entry("enrich_with_bookings", List.of(List.of("payments", "bookings"), List.of("payments"))),
        Map.entry("classify_payments", List.of(List.of("payments"), List.of("payments"))),
        Map.entry("compute_fees", List.of(List.of("payments"), List.of("payments"))),
        Map.entry("post_ledger_entries", List.of(List.of("payments"), List.of("entries"))),
        Map.entry("check_ledger_balance", List.of(List.of("entries"), List.of("report"))),
        Map.entry("aggregate_revenue_by_market", List.of(List.of("entries"), List.of("revenue"))),
        Map.entry("compute_host_payouts", List.of(List.of("payments"), List.of("payouts"))),
        Map.entry("reconcile_bookings", List.of(List.of("payments", "bookings"), List.of("reconciliation"))),
        Map.entry("summarize_rejected_events", List.of(List.of("malformed", "unconvertible"), List.of("summary"))));
    assertTrue(catalog.names().containsAll(expected.keySet()), catalog.names().toString());
    expected.forEach((name, roles) -> {
      StepType type = catalog.find(name).orElseThrow();
      assertEquals(roles, List.of(type.inputRoles(), type.outputRoles()), name);
    });
  }

  @Test
  void everyStepOfThePipelineConfigIsBuiltFromItsParamsWithNoUnknownKey() {
    assertTrue(Files.exists(PIPELINE_CONF), "no " + PIPELINE_CONF.toAbsolutePath());
    Config steps = ConfigFactory.parseFile(PIPELINE_CONF.toFile()).resolve().getConfig("steps");
    StepCatalog catalog = StepCatalog.of(new PaymentsStepLibrary().stepTypes());

    List<String> checked = new ArrayList<>();
    for (String step : steps.root().keySet()) {
      Config spec = steps.getConfig(step);
      StepType type = catalog.find(spec.getString("type")).orElseThrow(
          () -> new AssertionError("step " + step + " has unknown type " + spec.getString("type")));
      assertEquals(Set.copyOf(type.inputRoles()), spec.getObject("inputs").keySet(), step);
      assertEquals(Set.copyOf(type.outputRoles()), spec.getObject("outputs").keySet(), step);
      Config params = spec.hasPath("params") ? spec.getConfig("params") : ConfigFactory.empty();
      StepParams stepParams = StepParams.of(params, "steps." + step + ".params", spec.origin());
      type.factory().apply(stepParams);
      assertEquals(List.of(), stepParams.unknownKeys(), step);
      checked.add(type.name());
    }
    assertEquals(12, Set.copyOf(checked).size(), checked.toString());
  }

  @Test
  void aMissingFeeRateIsAConfigErrorNamingTheKey() {
    StepType computeFees = StepCatalog.of(new PaymentsStepLibrary().stepTypes()).find("compute_fees").orElseThrow();

    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> computeFees.factory().apply(StepParams.of(Map.of("guest_fee_rate", 0.12))));
    assertTrue(e.getMessage().contains("params.host_fee_rate: missing required parameter"), e.getMessage());
  }
}
