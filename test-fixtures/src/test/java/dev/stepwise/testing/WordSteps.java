package dev.stepwise.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;

import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The step types of words.conf: small, but shaped like a real pipeline (a join, an aggregation, params). */
final class WordSteps {
  private WordSteps() {}

  static StepCatalog catalog() {
    return StepCatalog.of(List.of(
        StepType.named("split_words").inputs("lines", "stop_words").outputs("words").create(p -> inputs -> {
          Dataset<Row> words = inputs.get("lines")
              .select(explode(split(lower(col("value")), "[^a-z]+")).as("word"))
              .where(length(trim(col("word"))).gt(0));
          Dataset<Row> stop = inputs.get("stop_words").select(lower(col("word")).as("word"));
          return StepOutputs.of("words", words.join(stop, words.col("word").equalTo(stop.col("word")), "left_anti"));
        }),
        StepType.named("count_words").inputs("words").outputs("counts").create(p -> inputs ->
            StepOutputs.of("counts", inputs.get("words").groupBy("word").agg(count("*").as("occurrences")))),
        StepType.named("keep_long_words").inputs("counts").outputs("words").create(p -> {
          int minLength = p.integer("min_length");
          return inputs -> StepOutputs.of("words",
              inputs.get("counts").where(length(col("word")).geq(minLength)).select("word"));
        })));
  }
}
