package dev.semiactive.cli;

import dev.semiactive.SemiactiveException;
import dev.semiactive.config.ConfigException;
import dev.semiactive.util.StopRequestedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Turns failures into one line on stderr and an exit code: 2 for usage errors (bad options, bad config:
 * nothing ran), 1 for failures while running. Stack traces only with {@code --verbose}, or for a bug
 * (an exception that is not a {@link SemiactiveException}) the message says how to get one.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = CommandLine.ExitCode.USAGE;       // 2
    static final int FAILURE = CommandLine.ExitCode.SOFTWARE;  // 1

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        if (Main.isVerbose(command.getParseResult())) e.printStackTrace(err);
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean verbose = Main.isVerbose(parseResult);
        if (verbose) e.printStackTrace(err);
        String name = command.getCommandSpec().qualifiedName();
        int code;
        if (e instanceof StopRequestedException stop) {
            err.println(name + ": " + e.getMessage());
            code = stop.exitCode();
        } else if (e instanceof ConfigException) {
            err.println(name + ": " + e.getMessage());
            code = USAGE;
        } else if (e instanceof SemiactiveException) {
            err.println(name + ": " + e.getMessage());
            code = FAILURE;
        } else {
            err.println(name + ": internal error: " + e
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            code = FAILURE;
        }
        err.flush();
        return code;
    }
}
