package dev.semiactive.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors for the PyTorch peer, in a format numpy reads without DJL: {@code "SABW"}, int version, int
 * count, then per tensor a UTF name, a dtype byte (0 float32, 1 float64), int rank, long dims and the
 * values little-endian. A network's parameters go in DJL's parameter order (BatchNorm running statistics
 * included), which is also the registration order of the peer's modules: the peer checks every shape.
 */
public final class WeightFile {
    private static final int VERSION = 1;

    /** One named tensor: float[] or double[] values in row-major order. */
    public record Tensor(String name, long[] shape, float[] floats, double[] doubles) {
        public static Tensor of(String name, long[] shape, float[] values) {
            return new Tensor(name, shape, values, null);
        }

        public static Tensor of(String name, long[] shape, double[] values) {
            return new Tensor(name, shape, null, values);
        }
    }

    private WeightFile() {
    }

    /** Every parameter of {@code block} as float32 tensors. */
    public static List<Tensor> parameters(Block block) {
        List<Tensor> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (a.getDataType() != DataType.FLOAT32)
                throw new IllegalStateException("parameter " + p.getKey() + " is " + a.getDataType() + ", expected float32");
            out.add(Tensor.of(p.getKey(), a.getShape().getShape(), a.toFloatArray()));
        }
        return out;
    }

    /** Writes {@code tensors} to {@code file} atomically (temporary file in the same directory, then moved). */
    public static void write(Path file, List<Tensor> tensors) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeBytes("SABW");
            out.writeInt(VERSION);
            out.writeInt(tensors.size());
            for (Tensor t : tensors) {
                out.writeUTF(t.name());
                out.writeByte(t.floats() != null ? 0 : 1);
                out.writeInt(t.shape().length);
                for (long d : t.shape()) out.writeLong(d);
                ByteBuffer b;
                if (t.floats() != null) {
                    b = ByteBuffer.allocate(t.floats().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(t.floats());
                } else {
                    b = ByteBuffer.allocate(t.doubles().length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asDoubleBuffer().put(t.doubles());
                }
                out.write(b.array());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
