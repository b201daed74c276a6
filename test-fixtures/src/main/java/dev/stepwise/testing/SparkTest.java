package dev.stepwise.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs Spark: constructors and test methods may declare a
 * {@link org.apache.spark.sql.SparkSession} parameter and receive the one local session shared by
 * every test class of the JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SparkSessionExtension.class)
public @interface SparkTest {}
