package dev.semiactive.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSourceTest {
    @Test
    void parsesFormatAndRoot() {
        assertThat(DataSource.parse("camvid:../shared/datasets/camvid"))
                .isEqualTo(new DataSource(DatasetFormat.CAMVID, Path.of("../shared/datasets/camvid")));
        assertThat(DataSource.parse("palette:/data/a:b").root()).isEqualTo(Path.of("/data/a:b"));
        assertThat(DataSource.parse("synthetic")).isEqualTo(new DataSource(DatasetFormat.SYNTHETIC, null));
        assertThat(DataSource.parse("camvid:x").toString()).isEqualTo("camvid:x");
    }

    @Test
    void badFormatListsTheKnownOnes() {
        assertThatThrownBy(() -> DataSource.parse("pascal:/data/voc"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown dataset format 'pascal' in 'pascal:/data/voc'; expected FORMAT:ROOT with FORMAT one of "
                        + "camvid, palette, folder, vaihingen, cityscapes, synthetic");
    }

    @Test
    void folderFormatsNeedARoot() {
        assertThatThrownBy(() -> DataSource.parse("camvid"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected FORMAT:ROOT, e.g. camvid:");
        assertThatThrownBy(() -> DataSource.parse("camvid:  "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has no dataset folder");
    }
}
