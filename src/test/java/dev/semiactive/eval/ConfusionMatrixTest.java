package dev.semiactive.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.train.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConfusionMatrixTest {
    private static ConfusionMatrix handExample() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(new int[]{0, 0, 1, 1, 2, 255}, new int[]{0, 1, 1, 1, 0, 2});
        return m;
    }

    @Test
    void iouAccuracyAndMeanOnAHandExample() {
        ConfusionMatrix m = handExample();
        assertThat(m.count(0, 0)).isEqualTo(1);
        assertThat(m.count(0, 1)).isEqualTo(1);
        assertThat(m.count(1, 1)).isEqualTo(2);
        assertThat(m.count(2, 0)).isEqualTo(1);
        assertThat(m.total()).isEqualTo(5); // the 255 pixel is not counted
        double[] iou = m.perClassIoU();
        assertThat(iou[0]).isCloseTo(1.0 / 3, within(1e-12)); // tp 1, union 2 + 2 - 1
        assertThat(iou[1]).isCloseTo(2.0 / 3, within(1e-12)); // tp 2, union 2 + 3 - 2
        assertThat(iou[2]).isZero();                            // in the truth, never right
        assertThat(m.meanIoU()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.pixelAccuracy()).isCloseTo(3.0 / 5, within(1e-12));
    }

    @Test
    void classesWithEmptyUnionAreLeftOutOfTheMean() {
        ConfusionMatrix m = new ConfusionMatrix(4);
        m.add(new int[]{0, 1, 1}, new int[]{0, 1, 0});
        double[] iou = m.perClassIoU();
        assertThat(iou[2]).isNaN();
        assertThat(iou[3]).isNaN();
        assertThat(m.meanIoU()).isCloseTo((0.5 + 0.5) / 2, within(1e-12));
        // a class predicted but absent from the truth has IoU 0 and counts
        m.add(new int[]{0}, new int[]{3});
        assertThat(m.perClassIoU()[3]).isZero();
        assertThat(new ConfusionMatrix(2).meanIoU()).isNaN();
    }

    @Test
    void mergeAddsCountsAndJsonRoundTrips() throws Exception {
        ConfusionMatrix a = handExample();
        ConfusionMatrix b = new ConfusionMatrix(3);
        b.add(new int[]{2, 2}, new int[]{2, 2});
        a.merge(b);
        assertThat(a.count(2, 2)).isEqualTo(2);
        assertThat(a.total()).isEqualTo(7);

        String json = Json.MAPPER.writeValueAsString(a);
        JsonNode node = Json.MAPPER.readTree(json);
        assertThat(node.get("mIoU").asDouble()).isCloseTo(a.meanIoU(), within(1e-12));
        assertThat(node.get("perClassIoU")).hasSize(3);
        assertThat(Json.MAPPER.readValue(json, ConfusionMatrix.class)).isEqualTo(a);

        ConfusionMatrix sparse = new ConfusionMatrix(3);
        sparse.add(new int[]{0}, new int[]{0});
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(sparse)).get("perClassIoU").get(1).isNull()).isTrue();
    }

    @Test
    void outOfRangeClassesAreRejected() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        assertThatThrownBy(() -> m.add(new int[]{0}, new int[]{3})).hasMessageContaining("predicted class 3");
        assertThatThrownBy(() -> m.add(new int[]{7}, new int[]{0})).hasMessageContaining("ground truth class 7");
        assertThatThrownBy(() -> m.merge(new ConfusionMatrix(4))).isInstanceOf(IllegalArgumentException.class);
    }
}
