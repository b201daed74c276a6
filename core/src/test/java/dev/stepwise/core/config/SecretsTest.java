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
        "jdbc.private_key", "spark.ssl.keyStorePassword", "javax.jdo.option.ConnectionPassword",
        "fs.azure.account.key.acct.dfs.core.windows.net", "fs.s3a.access.key", "secret.key", "SPARK.SSL.KEYPASSWORD",
        "kafka.sasl.jaas.config", "fs.s3a.awsAccessKeyId", "sessionToken", "dbPwd",
        // Spark's own default rule matches anywhere in the key, so these are masked in Spark's UI too.
        "tokenizer.model", "secretariat"}) {
      assertTrue(Secrets.isSecret(key), key);
    }
    for (String key : new String[] {"spark.executor.memory", "spark.sql.shuffle.partitions", "path",
        "fs.s3a.endpoint", "spark.hadoop.fs.s3a.aws.credentials.provider", "spark.ssl.keyStore", "fs.s3a.path.style.access",
        "spark.sasl.mechanism"}) {
      assertFalse(Secrets.isSecret(key), key);
    }
  }

  @Test
  void sparksDefaultRuleIsPartOfTheRule() {
    java.util.regex.Pattern sparkDefault = java.util.regex.Pattern.compile("(?i)secret|password|token|access[.]key");
    for (String key : new String[] {"a.SECRET", "xPasswordy", "my.token.file", "fs.s3a.ACCESS.key", "spark.secretx"}) {
      assertTrue(sparkDefault.matcher(key).find() && Secrets.isSecret(key), key);
    }
    assertTrue(Secrets.sparkRedactionRegex("(?i)corp").contains("(?i)corp"));
    assertEquals(Secrets.REDACTION_REGEX, Secrets.sparkRedactionRegex(""));
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
