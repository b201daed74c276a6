package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void keysNamingSecretsAreRecognized() {
    for (String key : new String[] {"spark.hadoop.fs.s3a.secret.key", "options.password", "db_password",
        "spark.hadoop.fs.azure.account.oauth2.client.secret", "auth.token", "gcs.credentials", "service-api-key",
        "jdbc.private_key"}) {
      assertTrue(Secrets.isSecret(key), key);
    }
    for (String key : new String[] {"spark.executor.memory", "spark.sql.shuffle.partitions", "tokenizer.model",
        "secretariat", "path"}) {
      assertFalse(Secrets.isSecret(key), key);
    }
  }

  @Test
  void maskingKeepsOrderAndNonSecrets() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.executor.memory", "2g");
    settings.put("spark.hadoop.fs.s3a.secret.key", "hunter2");
    assertEquals("{spark.executor.memory=2g, spark.hadoop.fs.s3a.secret.key=*****}",
        Secrets.masked(settings).toString());
    assertEquals("pipeline.db.password=*****", Secrets.maskedAssignment("pipeline.db.password=hunter2"));
    assertEquals("pipeline.storage_root=/x", Secrets.maskedAssignment("pipeline.storage_root=/x"));
  }
}
