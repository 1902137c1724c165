package dev.semiactive.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWriterTest {
    private static final SemiactiveConfig CUSTOM = ConfigLoader.parse("""
            run: {name: x, output_dir: out/x, seed: 7}
            data: {format: palette, root: ../d, train_split: [tile1, "7"], val_split: tile7, scale: 0.5, tile: [256, 256]}
            model: {backbone: mobilenetv2, width: 0.75}
            train: {method: tsf, steps: 12, lr: 0.0001, crop: [32, 16]}
            tsf: {emd_pos_weight: 3.0}
            plar: {rule: fusion, features: both}
            al: {strategy: tsf-plar, rounds: 4, region: slic}
            """, "custom.yaml", List.of());

    @Test
    void yamlDumpReloadsToAnEqualConfig() {
        String yaml = ConfigWriter.toYaml(CUSTOM);
        assertThat(ConfigLoader.parse(yaml, "dump.yaml", List.of())).isEqualTo(CUSTOM);
        assertThat(yaml).contains("output_dir: out/x").contains("method: tsf").contains("strategy: tsf-plar");
        SemiactiveConfig defaults = ConfigLoader.defaults(List.of());
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(defaults), "dump.yaml", List.of())).isEqualTo(defaults);
    }

    @Test
    void jsonTreeHasEverySectionWithSnakeCaseKeys() {
        ObjectNode tree = ConfigWriter.toTree(CUSTOM);
        assertThat(tree.fieldNames()).toIterable().containsExactly("run", "data", "model", "train", "augment", "tsf", "plar", "al");
        assertThat(tree.at("/train/batch_size").asInt()).isEqualTo(8);
        assertThat(tree.at("/data/root").asText()).isEqualTo("../d");
        assertThat(tree.at("/data/tile/0").asInt()).isEqualTo(256);
        assertThat(tree.at("/model/in_channels").asInt()).isEqualTo(3);
        assertThat(ConfigWriter.toJson(CUSTOM)).contains("\"emd_pos_weight\" : 3.0");
    }

    @Test
    void writeYamlReplacesTheFileAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/config.yaml");
        ConfigWriter.writeYaml(CUSTOM, file);
        ConfigWriter.writeYaml(CUSTOM, file);
        assertThat(ConfigLoader.load(file, List.of())).isEqualTo(CUSTOM);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary files left behind
        }
    }
}
