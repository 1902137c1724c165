package dev.semiactive.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on path arguments, failing as usage errors (exit code 2) that name the option. */
final class Arguments {
    private Arguments() {
    }

    static Path existingDirectory(CommandSpec spec, String option, Path dir) {
        if (!Files.isDirectory(dir))
            throw new ParameterException(spec.commandLine(), option + " " + dir
                    + (Files.exists(dir) ? ": is a file, expected a directory" : ": no such directory"));
        return dir;
    }

    static Path existing(CommandSpec spec, String option, Path path) {
        if (!Files.exists(path)) throw new ParameterException(spec.commandLine(), option + " " + path + ": no such file or directory");
        return path;
    }
}
