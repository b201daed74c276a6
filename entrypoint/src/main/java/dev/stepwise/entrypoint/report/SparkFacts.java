package dev.stepwise.entrypoint.report;

import dev.stepwise.core.config.Secrets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * What a run report says about the SparkSession: its application id (to find it in the Spark UI or
 * history server), master, version and effective settings, with secrets masked, and the version of the
 * driver's JVM, which a launch can choose ({@code manifest --java-home}, {@code STEPWISE_JAVA}).
 */
public record SparkFacts(String applicationId, String master, String version, String javaVersion,
    Map<String, String> settings) {
  public static SparkFacts of(SparkSession spark) {
    Map<String, String> settings = new TreeMap<>();
    for (Tuple2<String, String> entry : spark.sparkContext().getConf().getAll()) {
      settings.put(entry._1(), Secrets.shown(entry._1(), entry._2()));
    }
    return new SparkFacts(spark.sparkContext().applicationId(), spark.sparkContext().master(), spark.version(),
        Runtime.version().toString(), settings);
  }
}
