package dev.semiactive.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WeightFileTest {
    @Test
    void writesHeaderShapesAndLittleEndianValues(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.bin");
        WeightFile.write(f, List.of(WeightFile.Tensor.of("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}),
                WeightFile.Tensor.of("b", new long[] {2}, new double[] {0.25, 1e300})));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
            assertThat(new String(in.readNBytes(4))).isEqualTo("SABW");
            assertThat(in.readInt()).isEqualTo(1);
            assertThat(in.readInt()).isEqualTo(2);
            assertThat(in.readUTF()).isEqualTo("a");
            assertThat(in.readByte()).isEqualTo((byte) 0);
            assertThat(in.readInt()).isEqualTo(2);
            assertThat(in.readLong()).isEqualTo(2);
            assertThat(in.readLong()).isEqualTo(3);
            ByteBuffer floats = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(floats.getFloat(20)).isEqualTo(-6.5f);
            assertThat(in.readUTF()).isEqualTo("b");
            assertThat(in.readByte()).isEqualTo((byte) 1);
            assertThat(in.readInt()).isEqualTo(1);
            assertThat(in.readLong()).isEqualTo(2);
            ByteBuffer doubles = ByteBuffer.wrap(in.readNBytes(16)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(doubles.getDouble(8)).isEqualTo(1e300);
            assertThat(in.read()).isEqualTo(-1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f); // no temporary file left behind
        }
    }
}
