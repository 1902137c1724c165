package dev.semiactive.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Open the labelling page of a project in the browser (runs until Ctrl-C). Labels are saved as you go; "
                + "run 'project round' afterwards.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "Project folder.")
    Path project;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); another address needs --token.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8765", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Access token (16-256 of A-Z a-z 0-9 . _ ~ -); 'random' makes one. Required off localhost.")
    String token;

    @Override
    public Integer call() throws InterruptedException {
        Arguments.existingDirectory(spec, "--project", project);
        // Runs until the process is stopped: the shutdown hook Actions.serve installs stops the server cleanly.
        Actions.serve(project, host, port, token, spec.commandLine().getOut(), new CountDownLatch(1));
        return 0;
    }
}
