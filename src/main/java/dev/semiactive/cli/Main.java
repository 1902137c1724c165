package dev.semiactive.cli;

import ch.qos.logback.classic.Level;
import dev.semiactive.util.StopRequest;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code semiactive}: the command line. Each subcommand checks its options and hands over to {@link Actions};
 * {@link ErrorReporter} decides what a failure prints and its exit code. Usually started by the
 * {@code ./semiactive} launcher, which sets the JVM and thread options.
 */
@Command(name = "semiactive", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Semi-supervised active learning for semantic segmentation.",
        subcommands = {TrainCommand.class, PretrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExperimentCommand.class,
                ProjectCommand.class, ServeCommand.class, RefineCommand.class, CompareCommand.class, DemoCommand.class,
                dev.semiactive.bench.BenchCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        commandLine.getErr().println("semiactive: missing command; one of: "
                + String.join(", ", commandLine.getSubcommands().keySet()) + " (see 'semiactive --help')");
        commandLine.getErr().flush();
        return ErrorReporter.USAGE;
    }

    public static void main(String[] args) {
        // Ctrl-C and SIGTERM stop training and per-image work at a clean point instead of killing the JVM inside libtorch
        StopRequest.install();
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine newCommandLine() {
        ErrorReporter errors = new ErrorReporter();
        CommandLine commandLine = new CommandLine(new Main())
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
        commandLine.setExecutionStrategy(parseResult -> {
            if (isVerbose(parseResult)) enableDebugLogging();
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                // commands may print without a newline; nothing of it may be lost at System.exit
                parseResult.commandSpec().commandLine().getOut().flush();
            }
        });
        return commandLine;
    }

    /** Whether --verbose was given at any level: {@code semiactive -v train} or {@code semiactive train -v}. */
    static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand())
            if (level.hasMatchedOption("--verbose")) return true;
        return false;
    }

    private static void enableDebugLogging() {
        if (LoggerFactory.getLogger("dev.semiactive") instanceof ch.qos.logback.classic.Logger logger)
            logger.setLevel(Level.DEBUG);
    }
}
