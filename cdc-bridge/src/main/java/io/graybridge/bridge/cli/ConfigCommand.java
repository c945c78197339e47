package io.graybridge.bridge.cli;

import io.graybridge.bridge.capture.CaptureSettings;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.LiveSchemaCheck;
import io.graybridge.bridge.db.SideDatabase;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge config ...}: work with bridge config files. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with bridge config files.",
        subcommands = {ConfigCommand.Validate.class})
final class ConfigCommand extends CommandGroup {
    /** {@code graybridge config validate -c FILE}. */
    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = {
                "Checks a config without starting anything: every key, type and value, the mapping file, the",
                "TLS parameters of each captured side's jdbc-url, and (unless --offline) the live schemas of both sides. Prints every problem with file, line and a",
                "hint, or the effective config with secrets masked. Exit code 0 valid, 2 invalid."
            })
    static final class Validate implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--offline", description = "Check the files only; do not connect to the databases.")
        boolean offline;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BridgeConfig cfg = config.load();
            CaptureSettings.check(cfg);
            if (!offline) {
                try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                        SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
                    new LiveSchemaCheck(cfg, v1, v2).verify();
                }
            }
            out.println("config " + config.file + " is valid" + (offline ? " (files only; schemas not checked)" : "")
                    + ". Effective config:");
            out.println(ConfigLoader.describeEffective(cfg));
            return 0;
        }
    }
}
