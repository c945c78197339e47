package io.graybridge.bridge.cli;

import io.graybridge.bridge.check.MappingChecker;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.yaml.ProblemCollector;
import io.graybridge.yaml.YamlDocument;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge mappings ...}: work with mapping files. */
@Command(
        name = "mappings",
        mixinStandardHelpOptions = true,
        description = "Work with mapping files.",
        subcommands = {MappingsCommand.Check.class})
final class MappingsCommand extends CommandGroup {
    /** {@code graybridge mappings check -c FILE}. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Checks every mapping of the config's mapping file (and the identity mapping",
                "of each listed table it does not map) against the live schemas of both",
                "sides, then proves backward(forward(r)) == r and forward(backward(r)) == r",
                "on generated rows (edge values: NULL, empty and unicode text, min and max",
                "numbers, time zones) and on a sample of real rows from each side.",
                "Read-only on both sides. Prints a table per mapping.",
                "Exit code 0 clean, 1 lossy columns found, 2 invalid."
            })
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--cases", defaultValue = "200", description = "Generated rows per mapping and direction (default: ${DEFAULT-VALUE}).")
        int cases;

        @Option(names = "--sample", defaultValue = "100", description = "Real rows sampled per mapping and side (default: ${DEFAULT-VALUE}; 0: none).")
        int sample;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the row generator (default: ${DEFAULT-VALUE}).")
        long seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (cases < 0 || sample < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cases and --sample must be 0 or more");
            }
            BridgeConfig cfg = config.load();
            List<TableMapping> mappings = mappings(cfg);
            List<MappingChecker.Report> reports;
            try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                    SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
                reports = new MappingChecker(v1, v2, new MappingChecker.Options(cases, sample, seed)).check(mappings);
            }
            int invalid = 0;
            int lossy = 0;
            for (MappingChecker.Report r : reports) {
                MappingChecker.render(r).forEach(out::println);
                out.println();
                invalid += r.invalid() ? 1 : 0;
                lossy += !r.invalid() && !r.clean() ? 1 : 0;
            }
            int clean = reports.size() - invalid - lossy;
            out.println(reports.size() + " mapping" + (reports.size() == 1 ? "" : "s") + " checked: " + clean + " clean, "
                    + lossy + " with columns that cannot round-trip, " + invalid + " invalid.");
            out.flush();
            return invalid > 0 ? 2 : lossy > 0 ? 1 : 0;
        }

        /** Every mapping of the mapping file, then identities for listed tables the file does not map. */
        private List<TableMapping> mappings(BridgeConfig cfg) {
            List<TableMapping> all = new ArrayList<>();
            Optional<Path> file = mappingFile(cfg.file());
            MappingSet set = file.map(f -> MappingFiles.load(f, System.getenv())).orElse(new MappingSet(List.of()));
            all.addAll(set.tables());
            for (TableMapping listed : cfg.tables()) {
                if (set.forTableAll(Side.V1, listed.v1Table()).isEmpty()) {
                    all.add(listed);
                }
            }
            return all;
        }

        private static Optional<Path> mappingFile(Path configFile) {
            ProblemCollector problems = new ProblemCollector();
            YamlDocument doc = YamlDocument.read(configFile, System.getenv(), problems);
            problems.throwIfAny(ErrorCode.CONFIG_INVALID, configFile.toString());
            Optional<String> path = doc.root().get("mapping").string();
            if (problems.isEmpty()) {
                return path.map(configFile::resolveSibling);
            }
            throw new ProblemsException(ErrorCode.CONFIG_INVALID, configFile.toString(), problems.problems());
        }
    }
}
