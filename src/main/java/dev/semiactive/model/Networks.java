package dev.semiactive.model;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import dev.semiactive.SemiactiveException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds, initialises (seeded), runs, counts, saves and loads the project's networks.
 *
 * <p>Typical use:
 * <pre>{@code
 * Block student = Networks.deeplab(spec);
 * Networks.initializeDeepLab(student, modelManager, spec, seed);
 * try (NDManager step = modelManager.newSubManager()) {
 *     NDList out = Networks.forward(student, step.from(images), true); // logits, F1, F2
 * }
 * Networks.save(student, dir.resolve("student.params"));
 * }</pre>
 */
public final class Networks {
    private static final Logger LOG = LoggerFactory.getLogger(Networks.class);
    private static final String MAGIC = "semiactive-network-parameters";
    private static final int FORMAT_VERSION = 1;
    /** Spatial size used to initialise: parameters do not depend on it, so keep it small. */
    private static final int INIT_SIZE = 64;

    private Networks() {
    }

    /** @return a new, uninitialised DeepLabv3+ for {@code spec} */
    public static DeepLabV3Plus deeplab(ModelSpec spec) {
        return DeepLabV3Plus.builder().setSpec(spec).build();
    }

    /** @return a new, uninitialised error mask decoder for the features of {@code spec}'s network */
    public static ErrorMaskDecoder errorMaskDecoder(ModelSpec spec) {
        return ErrorMaskDecoder.builder().build();
    }

    /**
     * Initialises every parameter of {@code block} from {@code seed}: convolution weights Kaiming-normal
     * (He: std sqrt(2 / fan_in); torchvision's fan-out variant scales the 1x1 classifier, whose fan-out
     * is the class count, so far up that a 2-class test started at a loss of 4.5 instead of ln 2),
     * biases 0, BatchNorm gamma 1 / beta 0 / running mean 0 / running var 1. The same seed gives bit-identical parameters; Student and Friend take different ones.
     *
     * <p>Seeding resets the engine's global random generator ({@code Engine.setRandomSeed}), which also
     * drives dropout and DJL's random ops: initialise networks before seeding anything else on it.
     *
     * @param block a block none of whose parameters is initialised yet
     * @param manager the long-lived manager that will own the parameters
     * @param inputShape the input shape; parameters do not depend on batch or spatial size
     * @param seed the initialisation seed
     */
    public static void initialize(Block block, NDManager manager, Shape inputShape, long seed) {
        initialize(block, manager, seed, inputShape);
    }

    /** As {@link #initialize(Block, NDManager, Shape, long)} for blocks with several inputs (the EMD). */
    public static void initialize(Block block, NDManager manager, long seed, Shape... inputShapes) {
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized()) {
                throw new IllegalStateException("parameter " + p.getName() + " is already initialised: "
                        + "seeded initialisation needs a freshly built block");
            }
        }
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        // DJL seeds with an int; fold the long so that seeds differing only in the high bits differ too
        Engine.getInstance().setRandomSeed(Long.hashCode(seed));
        block.initialize(manager, DataType.FLOAT32, inputShapes);
    }

    /** Seeded initialisation of a {@link #deeplab(ModelSpec)} network (input 1 x C x 64 x 64). */
    public static void initializeDeepLab(Block block, NDManager manager, ModelSpec spec, long seed) {
        initialize(block, manager, new Shape(1, spec.inputChannels(), INIT_SIZE, INIT_SIZE), seed);
    }

    /** Seeded initialisation of an {@link #errorMaskDecoder(ModelSpec)} for {@code spec}'s features. */
    public static void initializeErrorMaskDecoder(Block block, NDManager manager, ModelSpec spec, long seed) {
        initialize(block, manager, seed, emdInputShapes(spec, 1, INIT_SIZE, INIT_SIZE));
    }

    /** Shapes of [F1, F2] for a batch of n images of h x w (the EMD's input shapes). */
    public static Shape[] emdInputShapes(ModelSpec spec, long n, long h, long w) {
        long os = spec.outputStride();
        return new Shape[] {
            new Shape(n, spec.f1Channels(), ceilDiv(h, os), ceilDiv(w, os)),
            new Shape(n, spec.f2Channels(), ceilDiv(h, 4), ceilDiv(w, 4)),
        };
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Runs {@code block} on {@code inputs}; all results (and intermediates) go to the inputs' manager,
     * so run it on arrays of a per-step sub-manager.
     *
     * @param training true for a training forward (BatchNorm on batch statistics, updating its running
     *     statistics); false for inference (running statistics)
     */
    public static NDList forward(Block block, NDList inputs, boolean training) {
        ParameterStore store = new ParameterStore(inputs.head().getManager(), false);
        return block.forward(store, inputs, training);
    }

    /** {@link #forward(Block, NDList, boolean)} for one input array. */
    public static NDList forward(Block block, NDArray input, boolean training) {
        return forward(block, new NDList(input), training);
    }

    /**
     * @return the number of trainable scalars (BatchNorm running statistics excluded), as PyTorch's
     *     {@code sum(p.numel() for p in model.parameters())}
     * @throws IllegalStateException when the block is not initialised
     */
    public static long parameterCount(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            if (!p.isInitialized()) {
                throw new IllegalStateException("parameter " + p.getName() + " is not initialised: "
                        + "initialise the block before counting");
            }
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    /**
     * Zeroes the accumulated gradients of {@code block}'s parameters in place, allocating nothing.
     *
     * <p>Use this, never {@code GradientCollector.zeroGradients()}: DJL's version visits every array of
     * the process and calls {@code getGradient()} twice on each that requires a gradient, and for an
     * array without one yet (a network that had no backward, a frozen copy, activations) that call
     * allocates a full-size zeros array in the array's own manager. For parameters that manager lives
     * as long as the model, so resident memory grew by hundreds of MB per step in our measurements.
     * For the same reason do not call {@code getGradient()} on a parameter before its first backward.
     */
    public static void zeroGradients(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized() && p.getArray() instanceof PtNDArray array) {
                JniUtils.zeroGrad(array);
            }
        }
    }

    /**
     * Writes every parameter of {@code block} (BatchNorm running statistics included) atomically: to a
     * temporary file in the same directory, then moved over {@code file}.
     */
    public static void save(Block block, Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeUTF(MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.writeUTF(block.getClass().getSimpleName());
                block.saveParameters(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new SemiactiveException("cannot write network parameters to " + target + ": " + e.getMessage()
                    + ": check that the directory is writable and the disk is not full", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /**
     * Loads parameters written by {@link #save(Block, Path)} into {@code block}, which must have been
     * built from the same {@link ModelSpec} (initialised or not). The loaded arrays belong to
     * {@code manager}; arrays they replace are closed. Trainable parameters get their gradients attached
     * again, so a loaded network can be trained further (warm start).
     *
     * @throws SemiactiveException naming the file when it is missing, not a parameter file, or written
     *     for another architecture; the block is then unusable
     */
    public static void load(Block block, NDManager manager, Path file) {
        Path source = file.toAbsolutePath();
        // remember what is there: the replaced arrays are closed, and their shapes must match the loaded ones
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        Map<String, Shape> shapesBefore = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter p = pair.getValue();
            if (p.isInitialized()) {
                before.put(p, p.getArray());
                shapesBefore.put(pair.getKey(), p.getArray().getShape());
            }
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                magic = "";
            }
            if (!MAGIC.equals(magic)) {
                throw new SemiactiveException("network file " + source + " is not a semiactive parameter file: "
                        + "point to a file written by the training (e.g. student.params)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new SemiactiveException("network file " + source + " has format version " + version
                        + " but this build reads version " + FORMAT_VERSION + ": retrain or use a matching build");
            }
            String kind = in.readUTF();
            if (!kind.equals(block.getClass().getSimpleName())) {
                throw new SemiactiveException("network file " + source + " holds a " + kind + " but a "
                        + block.getClass().getSimpleName() + " was asked for: point to the right file");
            }
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new SemiactiveException("network file " + source + " has trailing data after the "
                        + "parameters: it was written for a different architecture, check the model spec");
            }
        } catch (NoSuchFileException e) {
            throw new SemiactiveException("network file " + source + " does not exist: check the path", e);
        } catch (MalformedModelException e) {
            throw new SemiactiveException("network file " + source + " does not fit: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new SemiactiveException("network file " + source + " ends early: it is truncated or was "
                    + "written for a smaller architecture, check the model spec", e);
        } catch (IOException e) {
            throw new SemiactiveException("cannot read network file " + source + ": " + e.getMessage(), e);
        }
        List<String> mismatched = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Shape old = shapesBefore.get(pair.getKey());
            if (old != null && !old.equals(pair.getValue().getArray().getShape())) {
                mismatched.add(pair.getKey() + " " + pair.getValue().getArray().getShape() + " != " + old);
            }
        }
        if (!mismatched.isEmpty()) {
            throw new SemiactiveException("network file " + source + " does not fit this network ("
                    + mismatched.size() + " parameter shapes differ, first " + mismatched.get(0)
                    + "): it was written for a different architecture, check the model spec");
        }
        for (Parameter p : block.getParameters().values()) {
            NDArray old = before.get(p);
            if (old != null && old != p.getArray()) {
                old.close();
            }
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }
}
