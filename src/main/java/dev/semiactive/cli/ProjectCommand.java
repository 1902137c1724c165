package dev.semiactive.cli;

import dev.semiactive.config.ConfigLoader;
import dev.semiactive.config.DataSource;
import dev.semiactive.config.SemiactiveConfig;
import dev.semiactive.loop.ProjectExport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Label a folder of images with active learning: init, round, status, export (serve opens the labelling page).",
        subcommands = {ProjectCommand.Init.class, ProjectCommand.Round.class, ProjectCommand.Status.class, ProjectCommand.Export.class})
final class ProjectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand; one of: init, round, status, export");
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a project folder over a folder of images, with the classes from a class file or a known dataset.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Project folder to create.")
        Path dir;

        @Option(names = "--images", required = true, paramLabel = "FOLDER", description = "Folder of images to label.")
        Path images;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Classes classes;

        static final class Classes {
            @Option(names = "--classes", paramLabel = "FILE",
                    description = "Class file: .txt (one name per line, optional ' #RRGGBB'), or .yaml/.json with classes.")
            Path file;

            @Option(names = "--like", paramLabel = "FORMAT:ROOT", converter = DataSourceConverter.class,
                    description = "Use the classes of a dataset, e.g. camvid:../shared/datasets/camvid.")
            DataSource like;
        }

        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "Settings (model, train, al.*, data.size/scale/tile); default: the built-in defaults.")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            Arguments.existingDirectory(spec, "--images", images);
            if (classes.file != null) Arguments.existing(spec, "--classes", classes.file);
            if (classes.like != null && classes.like.root() != null) Arguments.existingDirectory(spec, "--like", classes.like.root());
            SemiactiveConfig c = config != null ? ConfigLoader.load(config, overrides) : ConfigLoader.defaults(overrides);
            Actions.projectInit(dir, images, classes.file, classes.like, c, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "round", mixinStandardHelpOptions = true,
            description = "Finish the current round if its queries are answered, then train on every label, score the images "
                    + "and queue the next regions to label (round 0: random regions).")
    static final class Round implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Project folder.")
        Path dir;

        @Option(names = "--skip-pending", description = "Skip the current round's unanswered queries for good and go on.")
        boolean skipPending;

        @Override
        public Integer call() {
            Arguments.existingDirectory(spec, "--dir", dir);
            Actions.projectRound(dir, skipPending, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Round, phase, labelled share and pending queries.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Project folder.")
        Path dir;

        @Override
        public Integer call() {
            Arguments.existingDirectory(spec, "--dir", dir);
            Actions.projectStatus(dir, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the labelled images and their masks (index PNGs) with the class file and the newest model.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Project folder.")
        Path dir;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Folder to write.")
        Path output;

        @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "index",
                description = "index (images/ + masks/, the folder format), camvid (train/ + trainannot/) or cityscapes "
                        + "(leftImg8bit/ + gtFine/ *_labelIds.png holding the project's class ids). Default: ${DEFAULT-VALUE}.")
        String layout;

        @Override
        public Integer call() {
            Arguments.existingDirectory(spec, "--dir", dir);
            ProjectExport.Layout l;
            try {
                l = ProjectExport.Layout.of(layout);
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "--layout " + layout + ": use index, camvid or cityscapes");
            }
            Actions.projectExport(dir, output, l, spec.commandLine().getOut());
            return 0;
        }
    }
}
