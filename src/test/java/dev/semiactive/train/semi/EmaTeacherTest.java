package dev.semiactive.train.semi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.semiactive.train.NoGrad;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmaTeacherTest {
    @Test
    void warmUpDecayIsOneMinusOneOverStepPlusOneCappedAtTheDecay() {
        assertThat(EmaTeacher.decayAt(0, 0.99)).isEqualTo(0f);
        assertThat(EmaTeacher.decayAt(1, 0.99)).isEqualTo(0.5f);
        assertThat(EmaTeacher.decayAt(3, 0.99)).isEqualTo(0.75f);
        assertThat(EmaTeacher.decayAt(9, 0.99)).isCloseTo(0.9f, within(1e-7f));
        assertThat(EmaTeacher.decayAt(99, 0.99)).isCloseTo(0.99f, within(1e-7f));
        assertThat(EmaTeacher.decayAt(5000, 0.99)).isEqualTo(0.99f);
        assertThat(EmaTeacher.decayAt(5000, 0.9)).isEqualTo(0.9f);
        assertThatThrownBy(() -> EmaTeacher.decayAt(-1, 0.99)).isInstanceOf(IllegalArgumentException.class).hasMessage("step must be >= 0");
    }

    private static SequentialBlock block(NDManager m) {
        SequentialBlock b = new SequentialBlock().add(Linear.builder().setUnits(2).build()).add(BatchNorm.builder().build());
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        return b;
    }

    @Test
    void updateAveragesEveryParameterInPlaceRunningStatisticsIncluded() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock teacher = block(m), student = block(m);
            List<Parameter> t = teacher.getParameters().values(), s = student.getParameters().values();
            // linear weight (2x3), bias (2), BN gamma, beta, running mean, running var (2 each)
            assertThat(t).hasSize(6);
            for (int i = 0; i < t.size(); i++) {
                NDArray ta = t.get(i).getArray(), sa = s.get(i).getArray();
                int n = (int) ta.size();
                float[] tv = new float[n], sv = new float[n];
                for (int j = 0; j < n; j++) {
                    tv[j] = i + j;          // teacher: i + j
                    sv[j] = 10f * (i + 1);  // student: 10 (i + 1)
                }
                ta.set(tv);
                sa.set(sv);
            }
            NDArray teacherWeight = t.get(0).getArray();
            NoGrad.run(() -> EmaTeacher.update(teacher, student, 0.9f));
            assertThat(t.get(0).getArray()).as("in place: the same array object").isSameAs(teacherWeight);
            for (int i = 0; i < t.size(); i++) {
                float[] after = t.get(i).getArray().toFloatArray();
                for (int j = 0; j < after.length; j++) {
                    float expected = (i + j - 10f * (i + 1)) * 0.9f + 10f * (i + 1); // t = (t - s) * d + s
                    assertThat(after[j]).as(t.get(i).getName() + "[" + j + "]").isCloseTo(expected, within(1e-5f));
                }
                // the student is untouched
                assertThat(s.get(i).getArray().toFloatArray()).containsOnly(10f * (i + 1));
            }
            // running variance (index 5): t=5+j, s=60 -> 0.9*(5+j) + 6 = 10.5, 11.4
            assertThat(t.get(5).getArray().toFloatArray()).containsExactly(new float[] {10.5f, 11.4f}, within(1e-5f));

            NoGrad.run(() -> EmaTeacher.update(teacher, student, 0f));
            for (int i = 0; i < t.size(); i++)
                assertThat(t.get(i).getArray().toFloatArray()).as("decay 0 copies the student").containsOnly(10f * (i + 1));
        }
    }

    @Test
    void updateRefusesAnotherArchitecture() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock a = block(m);
            SequentialBlock b = new SequentialBlock().add(Linear.builder().setUnits(2).build());
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            assertThatThrownBy(() -> EmaTeacher.update(a, b, 0.5f)).hasMessageContaining("same architecture");
        }
    }
}
