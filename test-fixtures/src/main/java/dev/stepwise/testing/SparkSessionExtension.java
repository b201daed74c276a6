package dev.stepwise.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes a local SparkSession tuned for tests. The session lives in the root
 * extension-context store, so every test class of a JVM shares it and JUnit closes it once at the
 * end; starting Spark costs seconds, a test should cost milliseconds.
 */
public final class SparkSessionExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SparkSessionExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestSparkSession.class, key -> TestSparkSession.start(), TestSparkSession.class)
        .session();
  }
}
