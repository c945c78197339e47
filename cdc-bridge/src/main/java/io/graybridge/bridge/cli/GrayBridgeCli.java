package io.graybridge.bridge.cli;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.error.ProblemsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator CLI: {@code graybridge <command>}. */
@Command(
        name = "graybridge",
        mixinStandardHelpOptions = true,
        versionProvider = GrayBridgeCli.Version.class,
        description = "Keeps the v1 and v2 schemas of a gray release in sync and proves they agree.",
        subcommands = {RunCommand.class, StatusCommand.class, ConfigCommand.class, MappingsCommand.class, DriftCommand.class,
            RepairCommand.class, DeadLettersCommand.class, GateCommand.class, PhaseCommands.Promote.class,
            PhaseCommands.Rollback.class, PhaseCommands.Finalize.class, AuditCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class GrayBridgeCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given output streams and returns the exit code (for tests and {@link #main}). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GrayBridgeCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(describe(e));
            commandLine.getErr().flush();
            return exitCode(e);
        });
        return cli.execute(args);
    }

    /** The operator-facing text of a failure: the message, never a stack trace. */
    static String describe(Throwable e) {
        if (e instanceof ProblemsException p) {
            return "error: " + p.getMessage();
        }
        if (e instanceof GrayBridgeException g) {
            return "error: " + g.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof GrayBridgeException g) {
                return "error: " + g.getMessage();
            }
        }
        return "error: " + e + (root != e ? " (caused by " + root + ")" : "")
                + "\nThis is a GrayBridge bug; rerun with GRAYBRIDGE_LOG_LEVEL=DEBUG and report it.";
    }

    static int exitCode(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof GrayBridgeException g) {
                return g.code().exitCode();
            }
        }
        return ErrorCode.INTERNAL.exitCode();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GrayBridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"graybridge " + (v == null ? "(development build)" : v)};
        }
    }
}
