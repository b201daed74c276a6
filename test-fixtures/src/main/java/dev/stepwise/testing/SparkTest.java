package dev.stepwise.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs Spark. Constructors and test methods may declare:
 *
 * <ul>
 *   <li>a {@link org.apache.spark.sql.SparkSession} parameter, to receive the one local session
 *       shared by every test class of the JVM (local[2], UI off, 2 shuffle partitions, UTC);
 *   <li>a {@link java.nio.file.Path} parameter annotated {@link TestDir}, to receive an empty
 *       directory of the test's own, deleted after the test.
 * </ul>
 *
 * <p>Spark settings a test changes with {@code spark.conf().set(...)} are put back after it, so
 * tests cannot leak settings into each other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SparkSessionExtension.class)
public @interface SparkTest {}
