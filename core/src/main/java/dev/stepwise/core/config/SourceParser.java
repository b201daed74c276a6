package dev.stepwise.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.stepwise.core.model.ConfigSource;

/**
 * Reads the HOCON behind a {@link ConfigSource}, which itself only says where the text lives. Parses
 * without resolving substitutions, so overrides can still feed them.
 */
final class SourceParser {
  private SourceParser() {}

  static Config parse(ConfigSource source) {
    ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
    if (source instanceof ConfigSource.File file) {
      return ConfigFactory.parseFile(file.path().toFile(), options);
    }
    ConfigSource.Resource resource = (ConfigSource.Resource) source;
    return ConfigFactory.parseResources(resource.loader(), resource.name(), options);
  }
}
