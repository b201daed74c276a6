package dev.stepwise.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link java.nio.file.Path} parameter of a {@link SparkTest} constructor or test method: an
 * empty directory for anything the test writes (pipeline storage roots, fixtures, outputs), made
 * for that test and deleted with everything in it once the test is over. A constructor and a
 * method of the same test receive the same directory.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TestDir {}
