package dev.semiactive.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Options shared by the commands that run a config: overrides and printing the resolved config. */
final class ConfigOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.steps=200 --set data.size=[240,180]. "
                    + "Values are YAML: numbers, true/false, [lists], null. Repeatable; applied in order.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--print-config", description = "Print the resolved config as YAML and exit without running.")
    boolean printConfig;
}
