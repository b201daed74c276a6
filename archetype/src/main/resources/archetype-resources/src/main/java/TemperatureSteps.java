package ${package};

import dev.stepwise.core.step.StepLibrary;
import dev.stepwise.core.step.StepType;
import java.util.List;

/**
 * The step types this jar adds, by the names a pipeline config uses in {@code type = ...}.
 *
 * <p>Stepwise finds this class through {@link java.util.ServiceLoader}: it is listed in
 * {@code src/main/resources/META-INF/services/dev.stepwise.core.step.StepLibrary}. A new step type
 * is a class of its own plus one line here.
 */
public final class TemperatureSteps implements StepLibrary {
  @Override
  public List<StepType> stepTypes() {
    return List.of(
        StepType.named("keep_plausible_readings").inputs("readings").outputs("plausible", "implausible")
            .create(KeepPlausibleReadings::from),
        StepType.named("summarize_daily_temperatures").inputs("readings").outputs("summaries")
            .create(SummarizeDailyTemperatures::from));
  }
}
