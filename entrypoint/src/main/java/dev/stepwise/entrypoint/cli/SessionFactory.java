package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.run.SparkSessions;

/**
 * The command line's owner of the SparkSession: spark-submit's ({@link SparkSubmitSessionFactory})
 * in a real run, a test's shared session in-process.
 */
public interface SessionFactory extends SparkSessions {}
