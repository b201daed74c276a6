package dev.stepwise.testing;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a local SparkSession tuned for tests, and a directory of their own.
 *
 * <p>The session lives in the root extension-context store, so every test class of a JVM shares it
 * and JUnit closes it once at the end: starting Spark costs seconds, a test should cost
 * milliseconds. A {@link TestDir} directory lives in the store of the test that asked for it and
 * goes when that test ends; constructor parameters are resolved in the test method's context, so
 * a directory taken by the constructor is per test too.
 */
public final class SparkSessionExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SparkSessionExtension.class);

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == SparkSession.class || (type == Path.class && parameter.isAnnotated(TestDir.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == SparkSession.class) {
      return session(context).session();
    }
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("@TestDir is per test: " + parameter.getDeclaringExecutable()
          + " is not run for one test (a @BeforeAll method, or a class with @TestInstance(PER_CLASS));"
          + " take the directory in a test method or use JUnit's @TempDir");
    }
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestDirectory.class, key -> TestDirectory.create(context.getDisplayName()),
            TestDirectory.class)
        .path();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestSparkSession session = context.getRoot().getStore(NAMESPACE).get(TestSparkSession.class, TestSparkSession.class);
    if (session != null) {
      session.restoreSettings();
    }
  }

  private static TestSparkSession session(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestSparkSession.class, key -> TestSparkSession.start(), TestSparkSession.class);
  }
}
