package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.List;

/**
 * The Teacher as an exponential moving average of the Student.
 *
 * <p>Every parameter is averaged, BatchNorm running mean and variance included: they are parameters in DJL
 * and averaging them keeps the Teacher's normalisation consistent with its averaged weights (as timm's
 * ModelEmaV2 does), where copying them would pair the Student's latest statistics with older weights.
 */
public final class EmaTeacher {
    private EmaTeacher() {
    }

    /**
     * The decay at 0-based step {@code step} with warm-up: {@code min(1 - 1/(step+1), decay)}. Step 0 gives 0
     * (the Teacher becomes the Student), then the Teacher forgets its random start quickly until the
     * configured decay takes over (step 99 for 0.99).
     */
    public static float decayAt(long step, double decay) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0");
        return (float) Math.min(1.0 - 1.0 / (step + 1), decay);
    }

    /**
     * {@code t = (t - s) * decay + s} for every parameter, in place: allocates nothing (djl-notes: 4-6 ms for
     * MobileNetV2's 297 tensors). Run it with autograd off ({@link dev.semiactive.train.NoGrad}; the training
     * loop's afterUpdate already is).
     */
    public static void update(Block teacher, Block student, float decay) {
        List<Parameter> t = teacher.getParameters().values();
        List<Parameter> s = student.getParameters().values();
        if (t.size() != s.size())
            throw new IllegalArgumentException("teacher has " + t.size() + " parameters, student " + s.size()
                    + ": the EMA needs the same architecture");
        for (int i = 0; i < t.size(); i++) {
            NDArray ta = t.get(i).getArray();
            NDArray sa = s.get(i).getArray();
            if (!ta.getShape().equals(sa.getShape()))
                throw new IllegalArgumentException("EMA: parameter " + t.get(i).getName() + " is " + ta.getShape()
                        + " in the teacher but " + sa.getShape() + " in the student");
            ta.subi(sa).muli(decay).addi(sa);
        }
    }
}
