package dev.semiactive.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static SemiactiveConfig parse(String yaml, String... overrides) {
        return ConfigLoader.parse(yaml, "test.yaml", List.of(overrides));
    }

    private static String error(String yaml, String... overrides) {
        try {
            parse(yaml, overrides);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for " + yaml + " " + List.of(overrides));
    }

    @Test
    void everyPresetInConfigsLoads() throws IOException {
        List<Path> presets;
        try (Stream<Path> files = Files.list(Path.of("configs"))) {
            presets = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(presets).extracting(p -> p.getFileName().toString())
                .contains("camvid-cpu-full.yaml", "dubai-cpu-full.yaml", "demo.yaml");
        for (Path preset : presets) {
            SemiactiveConfig config = ConfigLoader.load(preset, List.of());
            assertThat(config.run().outputDir()).as(preset.toString()).isEqualTo(Path.of("runs", config.run().name()));
        }
    }

    @Test
    void presetsSayWhatTheirNamesPromise() {
        SemiactiveConfig camvid = ConfigLoader.load(Path.of("configs/camvid-cpu-full.yaml"), List.of());
        assertThat(camvid.data().format()).isEqualTo(DatasetFormat.CAMVID);
        assertThat(camvid.data().size()).isEqualTo(new ImageSize(240, 180));
        assertThat(camvid.data().labelFraction()).isEqualTo(1.0);
        assertThat(camvid.train().method()).isEqualTo(TrainingMethod.SUPERVISED);
        assertThat(camvid.model().backbone()).isEqualTo(Backbone.MOBILENETV2);

        SemiactiveConfig dubai = ConfigLoader.load(Path.of("configs/dubai-cpu-full.yaml"), List.of());
        assertThat(dubai.data().format()).isEqualTo(DatasetFormat.PALETTE);
        assertThat(dubai.data().trainSplit()).containsExactly("tile1", "tile2", "tile3", "tile4", "tile5", "tile6");
        assertThat(dubai.data().valSplit()).containsExactly("tile7");

        SemiactiveConfig demo = ConfigLoader.loadResource("configs/demo.yaml", List.of());
        assertThat(demo).isEqualTo(ConfigLoader.load(Path.of("configs/demo.yaml"), List.of()));
        assertThat(demo.data().format()).isEqualTo(DatasetFormat.SYNTHETIC);
        assertThat(demo.train().steps()).isLessThanOrEqualTo(500);
    }

    @Test
    void anEmptyConfigIsTheDefaults() {
        assertThat(parse("")).isEqualTo(SemiactiveConfig.defaults().withResolvedOutputDir());
        assertThat(parse("# only a comment\n")).isEqualTo(parse(""));
        assertThat(parse("tsf:\n")).isEqualTo(parse("")); // an empty section keeps its defaults
    }

    @Test
    void fileValuesReplaceDefaultsKeyByKey() {
        SemiactiveConfig config = parse("""
                train:
                  steps: 200
                  crop: [64, 48]
                data:
                  synthetic: {classes: 6}
                """);
        assertThat(config.train().steps()).isEqualTo(200);
        assertThat(config.train().crop()).isEqualTo(new ImageSize(64, 48));
        assertThat(config.train().batchSize()).isEqualTo(TrainConfig.defaults().batchSize());
        assertThat(config.data().synthetic()).isEqualTo(new SyntheticConfig(48, 64, 64, 6));
    }

    @Test
    void unknownKeyNamesTheFileTheKeyAndTheValidKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "train:\n  stepz: 100\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": unknown key 'train.stepz'")
                .hasMessageContaining("did you mean 'steps'?")
                .hasMessageContaining("valid keys in train: method, steps, batch_size,");
    }

    @Test
    void unknownTopLevelAndNestedKeys() {
        assertThat(error("trian: {steps: 3}"))
                .startsWith("test.yaml: unknown key 'trian'")
                .contains("valid keys at the top level: run, data, model, train, augment, tsf, plar, al");
        assertThat(error("data: {synthetic: {colours: 3}}"))
                .contains("unknown key 'data.synthetic.colours'")
                .contains("valid keys in data.synthetic: images, width, height, classes");
        assertThat(error("completely_else: 1")).doesNotContain("did you mean");
    }

    @Test
    void overridesParseYamlValues() {
        SemiactiveConfig config = parse("train: {steps: 10}",
                "train.steps=200", "train.lr=1e-3", "augment.flip=false", "data.size=[240,180]",
                "model.backbone=resnet50", "data.val_split=null", "data.train_split=[a, b]",
                "run.name=my-run", "tsf.emd_pos_weight=2.5", "al.rounds=3");
        assertThat(config.train().steps()).isEqualTo(200);
        assertThat(config.train().lr()).isEqualTo(1e-3);
        assertThat(config.augment().flip()).isFalse();
        assertThat(config.data().size()).isEqualTo(new ImageSize(240, 180));
        assertThat(config.model().backbone()).isEqualTo(Backbone.RESNET50);
        assertThat(config.data().valSplit()).isNull();
        assertThat(config.data().trainSplit()).containsExactly("a", "b");
        assertThat(config.tsf().emdPosWeight()).isEqualTo(2.5);
        assertThat(config.al().rounds()).isEqualTo(3);
        // output_dir follows an overridden name when neither set it
        assertThat(config.run().outputDir()).isEqualTo(Path.of("runs", "my-run"));
    }

    @Test
    void overridesApplyInOrderAndCanSetWholeSections() {
        assertThat(parse("", "train.steps=5", "train.steps=6").train().steps()).isEqualTo(6);
        SemiactiveConfig config = parse("", "tsf={threshold: 0.8, emd: false}");
        assertThat(config.tsf().threshold()).isEqualTo(0.8);
        assertThat(config.tsf().emd()).isFalse();
        assertThat(config.tsf().lambdaCps()).isEqualTo(TsfConfig.defaults().lambdaCps());
    }

    @Test
    void badOverridesNameTheOverride() {
        assertThat(error("", "train.stepz=5"))
                .startsWith("--set train.stepz=5: unknown key 'train.stepz'").contains("valid keys in train:");
        assertThat(error("", "train.steps")).startsWith("--set train.steps: expected KEY=VALUE");
        assertThat(error("", "Train.Steps=5")).contains("is not a dotted key");
        assertThat(error("", "train.steps=")).contains("no value after '='");
        assertThat(error("", "train=5")).startsWith("--set train=5: train is a section with keys method, steps");
        assertThat(error("", "train.steps.max=5")).isEqualTo("--set train.steps.max=5: train.steps is a value, not a section, so it has no key 'max'");
        assertThat(error("", "trian.steps=5")).startsWith("--set trian.steps=5: unknown key 'trian' (did you mean 'train'?)");
        assertThat(error("", "data.size=[1,2")).startsWith("--set data.size=[1,2: the value is not valid YAML");
    }

    @Test
    void anInvalidValueIsBlamedOnWhoeverSetIt() {
        assertThat(error("train: {steps: -1}")).isEqualTo("test.yaml: train.steps = -1 is invalid: must be an integer >= 1");
        assertThat(error("train: {steps: 5}", "train.steps=-2"))
                .isEqualTo("--set train.steps=-2: train.steps = -2 is invalid: must be an integer >= 1");
        // a value the override fixed is fine
        assertThat(parse("train: {steps: -1}", "train.steps=3").train().steps()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            train: {steps: 0}                          | train.steps = 0 is invalid: must be an integer >= 1
            train: {steps: 2.5}                        | train.steps = 2.5 is invalid: must be an integer
            train: {steps: many}                       | train.steps = many is invalid: must be an integer
            train: {steps: null}                       | train.steps = null is invalid: must be an integer
            train: {lr: 0}                             | train.lr = 0.0 is invalid: must be a number > 0
            train: {momentum: 1.0}                     | train.momentum = 1.0 is invalid: must be a number >= 0 and < 1
            train: {method: fixmatch}                  | train.method = fixmatch is invalid: unknown training method; allowed: supervised, mean-teacher, cps, tsf
            model: {backbone: resnet34}                | model.backbone = resnet34 is invalid: unknown backbone; allowed: mobilenetv2, resnet50, resnet101, tiny
            model: {backbone: resnet50, width: 0.5}    | model.width = 0.5 is invalid: only mobilenetv2 takes a width multiplier; use 1.0 with resnet50
            model: {output_stride: 32}                 | model.output_stride = 32 is invalid: must be 8 or 16
            data: {format: pascal}                     | data.format = pascal is invalid: unknown dataset format; allowed: camvid, palette, folder, vaihingen, cityscapes, synthetic
            data: {format: camvid}                     | data.root = null is invalid: format camvid reads a dataset folder: set data.root
            data: {label_fraction: 1.5}                | data.label_fraction = 1.5 is invalid: must be a number above 0 and at most 1
            data: {label_fraction: -0.1}               | data.label_fraction = -0.1 is invalid: must be a number above 0 and at most 1
            data: {label_fraction: 0}                  | data.label_fraction = 0.0 is invalid: must be a number above 0 and at most 1
            data: {size: [240, 180, 3]}                | data.size = [240, 180, 3] is invalid: must be [width, height], e.g. [240, 180]
            data: {size: [wide, 180]}                  | data.size = [wide, 180] is invalid: items must be integers
            data: {size: [0, 180]}                     | data.size = [0, 180] is invalid: width and height must be at least 1
            data: {size: [240, 180], scale: 0.5}       | data.scale = 0.5 is invalid: set either data.size or data.scale, not both
            data: {train_split: []}                    | data.train_split = [] is invalid: must be a split name or a non-empty list of split names
            data: {dsm: true}                          | data.dsm = true is invalid: only the vaihingen format has a DSM
            data: {format: vaihingen, root: /v, dsm: true} | model.in_channels = 3 is invalid: data.dsm adds a DSM channel to IRRG: set model.in_channels to 4
            augment: {scale: [2.0, 0.5]}               | augment.scale = [2.0, 0.5] is invalid: must be [min, max] with 0 < min <= max
            augment: {flip: sometimes}                 | augment.flip = sometimes is invalid: must be true or false
            tsf: {threshold: 1.2}                      | tsf.threshold = 1.2 is invalid: must be a number from 0 to 1
            tsf: {rampup_steps: -5}                    | tsf.rampup_steps = -5 is invalid: must be >= 0 (0 = off)
            plar: {margin: 1.0}                        | plar.margin = 1.0 is invalid: must be a number >= 0 and < 1 (0 = the paper's vote)
            plar: {rule: fusion, margin: 0.1}          | plar.margin = 0.1 is invalid: applies to the vote rule only: set plar.rule to vote or plar.margin to 0
            plar: {features: f3}                       | plar.features = f3 is invalid: unknown feature tap; allowed: f1, f2, both
            al: {strategy: badge}                      | al.strategy = badge is invalid: unknown active-learning strategy; allowed: random, entropy, margin, coreset, s4al, tsf-plar, tsf-plar-spread
            al: {oracle: robot}                        | al.oracle = robot is invalid: unknown oracle; allowed: simulated, human
            al: {region: hexagon}                      | al.region = hexagon is invalid: unknown region kind; allowed: grid, slic
            al: {initial_fraction: 0.2, budget: 0.1}   | al.initial_fraction = 0.2 is invalid: must not exceed al.budget (0.1)
            al: {random_share: 1.0}                    | al.random_share = 1.0 is invalid: must be below 1 (at 1 every pick is random: use al.strategy=random)
            al: {random_share: -0.1}                   | al.random_share = -0.1 is invalid: must be a number from 0 to 1
            al: {class_balance: 0.5, strategy: coreset} | al.class_balance = 0.5 is invalid: weighs the scores of a score-ranked strategy, and coreset has none: set it to 0 or choose entropy, margin, s4al, tsf-plar or tsf-plar-spread
            al: {diversity: 0.5}                       | al.diversity = 0.5 is invalid: the strategy ranks this many times each round's pixels before k-center greedy thins them: use 0 (off) or at least 1, e.g. 3
            al: {diversity: -1}                        | al.diversity = -1.0 is invalid: must be a number >= 0
            al: {diversity: 3, strategy: random}       | al.diversity = 3.0 is invalid: thins the ranking of a score-ranked strategy, and random has none: set it to 0 or choose entropy, margin, s4al, tsf-plar or tsf-plar-spread
            al: {impurity: -1}                         | al.impurity = -1.0 is invalid: must be a number >= 0
            al: {impurity: 1, strategy: coreset}       | al.impurity = 1.0 is invalid: weighs the scores of a score-ranked strategy, and coreset has none: set it to 0 or choose entropy, margin, s4al, tsf-plar or tsf-plar-spread
            run: {name: ../escape}                     | run.name = ../escape is invalid: must use only letters, digits, '.', '_' and '-' (it names a folder) and not start with '.'
            """)
    void badValuesAreRejectedWithKeyValueAndRule(String yaml, String message) {
        assertThat(error(yaml)).isEqualTo("test.yaml: " + message);
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThat(error("train:\n  steps: 3\n  steps: 4\n")).startsWith("test.yaml line 3: not valid YAML:").contains("steps");
        assertThat(error("train: {steps: [3}\n")).startsWith("test.yaml line 1: not valid YAML:");
        assertThat(error("- a\n- b\n")).startsWith("test.yaml: expected a mapping of sections (run, data,");
    }

    @Test
    void missingFileIsOneLine(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessage("config " + dir.resolve("nope.yaml") + ": no such file");
        assertThatThrownBy(() -> ConfigLoader.load(dir, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("is a directory, not a YAML file");
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(parse("model: {backbone: MobileNetV2}").model().backbone()).isEqualTo(Backbone.MOBILENETV2);
        assertThat(parse("train: {method: Mean-Teacher}").train().method()).isEqualTo(TrainingMethod.MEAN_TEACHER);
    }

    @Test
    void recordsCheckValuesWhenBuiltInCodeToo() {
        assertThatThrownBy(() -> new TrainConfig(TrainingMethod.TSF, -1, 8, 8, null, 0.01, 0.9, 0, 0.9, 20, 0, 0, 0, 0, 0, 0, false, false))
                .isInstanceOf(ConfigValueException.class).hasMessage("train.steps = -1 is invalid: must be an integer >= 1");
    }

    @Test
    void imageStreamsParseAndContradictRoundStreams() {
        assertThat(parse("train: {steps: 10}").train().imageStreams()).isFalse();
        assertThat(parse("train: {steps: 10, image_streams: true}").train().imageStreams()).isTrue();
        assertThatThrownBy(() -> parse("train: {steps: 10, image_streams: true, round_streams: true}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.image_streams = true is invalid: replays each image's views from round to round, and "
                        + "train.round_streams draws every round's anew: set one of them to false");
    }

    @Test
    void warmUpMustBeShorterThanTheRun() {
        assertThat(parse("train: {steps: 100, warmup_steps: 20}").train().warmupSteps()).isEqualTo(20);
        assertThatThrownBy(() -> parse("train: {steps: 100, warmup_steps: 100}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.warmup_steps = 100 is invalid: must be below train.steps (100)");
        assertThatThrownBy(() -> parse("train: {steps: 100, warmup_steps: -1}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.warmup_steps");
    }

    @Test
    void classWeightPowerIsBetweenZeroAndOne() {
        assertThat(parse("train: {class_weight_power: 0.5}").train().classWeightPower()).isEqualTo(0.5);
        assertThat(parse("train: {steps: 10}").train().classWeightPower()).isZero();
        assertThatThrownBy(() -> parse("train: {class_weight_power: 1.5}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.class_weight_power = 1.5 is invalid: must be between 0 (unweighted) and 1");
    }
}
