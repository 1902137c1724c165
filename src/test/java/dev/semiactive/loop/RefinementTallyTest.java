package dev.semiactive.loop;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RefinementTallyTest {
    private static final int I = 255;

    /**
     * Eight pixels, truth 0 0 0 0 1 1 1 1; prediction 0 0 1 1 1 1 0 0.
     * Flagged: 2 3 6 7 (all four Teacher errors) and 0 (a right one). PLAR: 2 -> 0 (corrects), 3 -> 1
     * (still wrong), 0 -> 1 (breaks a right pixel); 6 and 7 undecided.
     */
    private static Refinement.ImageRefinement example() {
        int[] prediction = {0, 0, 1, 1, 1, 1, 0, 0};
        boolean[] flagged = {true, false, true, true, false, false, true, true};
        int[] refined = {1, I, 0, 1, I, I, I, I};
        BitSet undecided = new BitSet();
        undecided.set(6);
        undecided.set(7);
        return new Refinement.ImageRefinement("a", 2, 4, prediction, flagged, null, refined, undecided);
    }

    @Test
    void followsTheTeachersErrorsIntoThePseudoLabel() {
        RefinementTally t = new RefinementTally();
        t.add(example(), null, new int[]{0, 0, 0, 0, 1, 1, 1, 1});
        Map<String, Object> m = t.toMetrics();
        // the round's headline figures: 5 of 8 pixels flagged, PLAR decides 3 of them (0 2 3), 6 and 7 stay undecided
        assertThat(m.get("scored_images")).isEqualTo(1L);
        assertThat(m.get("error_flagged_fraction")).isEqualTo(5 / 8.0);
        assertThat(m.get("plar_refined_fraction")).isEqualTo(3 / 5.0);
        assertThat(m.get("plar_undecided_fraction")).isEqualTo(2 / 5.0);
        assertThat(m).doesNotContainKeys("emd_flagged_fraction", "emd_f1");   // no EMD map given
        assertThat(m.get("teacher_error_rate")).isEqualTo(0.5);          // 4 of 8
        assertThat(m.get("teacher_errors_flagged")).isEqualTo(1.0);      // all 4 flagged
        assertThat(m.get("mask_only_target_fraction")).isEqualTo(3 / 8.0); // pixels 1 4 5
        assertThat(m.get("mask_only_target_error_rate")).isEqualTo(0.0);
        assertThat(m.get("plar_target_fraction")).isEqualTo(6 / 8.0);   // + refined 0 2 3
        assertThat(m.get("plar_target_error_rate")).isEqualTo(2 / 6.0);  // 0 and 3 wrong
        assertThat(m.get("plar_corrected_pixels")).isEqualTo(1L);
        assertThat(m.get("plar_broken_pixels")).isEqualTo(1L);
        assertThat(m.get("teacher_error_removed")).isEqualTo(0.5);       // 4 wrong before, 2 after
        assertThat(m.get("plar_accuracy")).isEqualTo(1 / 3.0);
        assertThat(m.get("plar_teacher_accuracy")).isEqualTo(1 / 3.0);
    }

    @Test
    void perClassFiguresAreByTrueClass() {
        RefinementTally t = new RefinementTally();
        t.add(example(), null, new int[]{0, 0, 0, 0, 1, 1, 1, 1});
        List<Map<String, Object>> rows = t.perClass(List.of("sky"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("class", "sky").containsEntry("flagged", 3L).containsEntry("refined", 3L)
                .containsEntry("refined_fraction", 1.0).containsEntry("accuracy", 1 / 3.0).containsEntry("teacher_accuracy", 1 / 3.0);
        // refined: pixel 0 (true 0 -> 1), 2 (0 -> 0), 3 (0 -> 1)
        assertThat(t.confusion()).isDeepEqualTo(new long[][]{{1, 2}, {0, 0}});
        assertThat(rows.get(1)).containsEntry("class", "1").containsEntry("flagged", 2L).containsEntry("refined", 0L)
                .containsEntry("refined_fraction", 0.0).containsEntry("accuracy", null);
    }

    @Test
    void labelledAndUnknownPixelsAreLeftOut() {
        RefinementTally t = new RefinementTally();
        int[] existing = {0, I, I, I, I, I, I, I};        // pixel 0 already labelled
        t.add(example(), existing, new int[]{0, 0, 0, 0, 1, 1, I, I}); // truth unknown at 6, 7
        Map<String, Object> m = t.toMetrics();
        // the fractions are of the 7 unlabelled pixels: flagged 2 3 6 7, refined 2 3, undecided 6 7
        assertThat(m.get("error_flagged_fraction")).isEqualTo(4 / 7.0);
        assertThat(m.get("plar_refined_fraction")).isEqualTo(0.5);
        assertThat(m.get("plar_undecided_fraction")).isEqualTo(0.5);
        assertThat(m.get("plar_accuracy")).isEqualTo(0.5);               // 2 right, 3 wrong
        assertThat(m.get("teacher_error_rate")).isEqualTo(2 / 5.0);      // pixels 1-5, wrong 2 and 3
        assertThat(m.get("plar_corrected_pixels")).isEqualTo(1L);
        assertThat(m.get("plar_broken_pixels")).isEqualTo(0L);
        assertThat(m.get("teacher_error_removed")).isEqualTo(0.5);
    }

    @Test
    void theEmdsFlagsAreScoredAgainstTheTeachersErrors() {
        Refinement.ImageRefinement e = example();
        // the EMD flags 1 2 6 7; the Teacher is wrong at 2 3 6 7: hits 2 6 7, a false alarm at 1, a miss at 3
        boolean[] emd = {false, true, true, false, false, false, true, true};
        Refinement.ImageRefinement withEmd = new Refinement.ImageRefinement(e.id(), e.height(), e.width(), e.prediction(),
                e.flagged(), emd, e.refined(), e.undecided());
        RefinementTally t = new RefinementTally();
        t.add(withEmd, null, new int[]{0, 0, 0, 0, 1, 1, 1, 1});
        Map<String, Object> m = t.toMetrics();
        assertThat(m.get("emd_flagged_fraction")).isEqualTo(0.5);
        assertThat(m.get("emd_precision")).isEqualTo(0.75);
        assertThat(m.get("emd_recall")).isEqualTo(0.75);
        assertThat((Double) m.get("emd_f1")).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-12));
        // without ground truth the flagged share is still known, the scores against the truth are not
        RefinementTally blind = new RefinementTally();
        blind.add(withEmd, null, null);
        assertThat(blind.toMetrics()).containsEntry("emd_flagged_fraction", 0.5).doesNotContainKeys("emd_precision", "emd_recall", "emd_f1");
    }

    @Test
    void withoutGroundTruthThereAreNoAccuracyFigures() {
        RefinementTally t = new RefinementTally();
        t.add(example(), null, null);
        assertThat(t.toMetrics()).doesNotContainKeys("plar_accuracy", "teacher_error_removed");
        assertThat(t.perClass(List.of())).isEmpty();
    }
}
