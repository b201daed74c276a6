package dev.stepwise.entrypoint.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one mapping between {@link RunReport} and its JSON: keys are the record components' names in
 * snake_case, enums lower case, instants and dates ISO text. Reading ignores keys it does not know, as
 * a newer stepwise may add some without changing {@link RunReport#SCHEMA_VERSION}.
 */
public final class ReportJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ReportJson() {}

  /** The report as the file holds it, without the final line break. */
  public static String text(RunReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the run report", e);
    }
  }

  /** @throws JsonProcessingException when {@code json} does not fit the report's shape */
  static RunReport fromTree(JsonNode json) throws JsonProcessingException {
    return MAPPER.treeToValue(json, RunReport.class);
  }

  /** Just the version of a report, read before the rest, as the rest may be of another shape. */
  private record VersionOnly(Integer schemaVersion) {}

  /** The report's schema version; empty when {@code json} is no report at all. */
  static Optional<Integer> schemaVersion(JsonNode json) {
    if (json == null || !json.isObject()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.treeToValue(json, VersionOnly.class).schemaVersion());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  static JsonNode tree(java.nio.file.Path file) throws IOException {
    return MAPPER.readTree(file.toFile());
  }

  /**
   * Writes the report through Hadoop's FileSystem, so a root on any file system Spark writes to
   * (a plain path, {@code file:}, {@code hdfs:}, {@code s3a:}) holds its reports too.
   *
   * @throws ReportNotWrittenException naming the location and the cause
   */
  public static void write(RunReport report, Path location, Configuration hadoop) {
    byte[] json = (text(report) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = location.getFileSystem(hadoop);
      fs.setWriteChecksum(false); // no .report.json.crc beside the report on a local root
      Path parent = location.getParent();
      if (parent != null && !fs.exists(parent) && !fs.mkdirs(parent)) {
        throw new IOException("cannot create folder " + parent);
      }
      try (FSDataOutputStream out = fs.create(location, true)) {
        out.write(json);
      }
    } catch (IOException | RuntimeException e) {
      throw new ReportNotWrittenException(location, e);
    }
  }
}
