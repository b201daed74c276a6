package dev.stepwise.core.step;

import java.util.List;

/**
 * A set of step types, found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.stepwise.core.step.StepLibrary} and its types become usable in
 * config as {@code type = <name>}.
 */
public interface StepLibrary {
  List<StepType> stepTypes();
}
