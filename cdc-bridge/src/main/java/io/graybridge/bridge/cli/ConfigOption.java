package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by commands that read a bridge config. */
final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Bridge config file (YAML). Example: config/bridge.yaml")
    Path file;

    BridgeConfig load() {
        return ConfigLoader.load(file, System.getenv());
    }
}
