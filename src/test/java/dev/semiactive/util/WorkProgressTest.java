package dev.semiactive.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkProgressTest {
    private static WorkProgress lines(List<String> out, long total, long start, long every) {
        return WorkProgress.start("refine: images", total, start, every, out::add, () -> "", false);
    }

    @Test
    void withoutATerminalALineEachTimeAMultipleIsCrossedAndOneAtTheEnd() {
        List<String> out = new ArrayList<>();
        try (WorkProgress p = lines(out, 10, 0, 4)) {
            // batches of 3: 3, 6, 9, 10 cross 4 (at 6) and 8 (at 9), then the end
            for (long done : new long[]{3, 6, 9, 10}) p.stepTo(done);
            assertThat(p.done()).isEqualTo(10);
        }
        assertThat(out).containsExactly("refine: images: 6 of 10", "refine: images: 9 of 10", "refine: images: 10 of 10");
    }

    @Test
    void aResumedPassCountsFromWhereItStartedAndTheDetailIsAppended() {
        List<String> out = new ArrayList<>();
        try (WorkProgress p = WorkProgress.start("round 2: scored", 1000, 600, 500, out::add, () -> " images (RSS 12 MiB)", false)) {
            p.stepTo(700); // 600 -> 700 crosses no multiple of 500
            p.stepTo(700); // no progress, no line
            p.stepTo(1000);
        }
        assertThat(out).containsExactly("round 2: scored: 1000 of 1000 images (RSS 12 MiB)");
    }

    @Test
    void onATerminalABarInsteadOfLines() {
        List<String> out = new ArrayList<>();
        try (WorkProgress p = WorkProgress.start("predict: images", 8, 0, 1, out::add, () -> "", true)) {
            for (int i = 1; i <= 8; i++) p.stepTo(i);
        }
        assertThat(out).isEmpty();
    }

    @Test
    void refusesGoingBackOrPastTheEnd() {
        try (WorkProgress p = lines(new ArrayList<>(), 10, 2, 5)) {
            assertThatThrownBy(() -> p.stepTo(1)).hasMessage("refine: images: 1 items done after 2 of 10");
            assertThatThrownBy(() -> p.stepTo(11)).hasMessage("refine: images: 11 items done after 2 of 10");
        }
        assertThatThrownBy(() -> lines(new ArrayList<>(), 10, 11, 5)).hasMessage("start 11 of 10 items");
        assertThatThrownBy(() -> lines(new ArrayList<>(), 10, 0, 0)).hasMessage("logEvery must be at least 1, got 0");
    }
}
