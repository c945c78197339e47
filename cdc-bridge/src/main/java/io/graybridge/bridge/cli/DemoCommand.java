package io.graybridge.bridge.cli;

import io.graybridge.bridge.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code graybridge demo}: the whole story on an embedded PostgreSQL. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a gray release of an example shop on an embedded PostgreSQL: needs only Java.",
            "Seeds v1, backfills v2 through the mapping, streams live v1 traffic, compares both sides",
            "and shows a row in both forms. Cleans up after itself."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--customers", defaultValue = "2000", description = "Customers to seed (default: ${DEFAULT-VALUE}).")
    long customers;

    @Option(names = "--orders", defaultValue = "6000", description = "Orders to seed (default: ${DEFAULT-VALUE}).")
    long orders;

    @Option(names = "--traffic-seconds", defaultValue = "5",
            description = "Seconds of simulated v1 traffic (default: ${DEFAULT-VALUE}).")
    int trafficSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (customers < 1 || orders < 1 || trafficSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--customers, --orders and --traffic-seconds must be at least 1");
        }
        return new Demo(spec.commandLine().getOut(), customers, orders, trafficSeconds * 1000L).run();
    }
}
