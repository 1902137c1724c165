package dev.semiactive.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StopRequestTest {
    private final List<Integer> exits = new ArrayList<>();

    @AfterEach
    void clear() {
        StopRequest.reset();
    }

    @Test
    void withNothingStoppableRunningASignalExitsAsTheJvmWould() {
        StopRequest.onSignal("INT", 2, exits::add);
        assertThat(exits).containsExactly(130);
        assertThat(StopRequest.requested()).isFalse();
    }

    @Test
    void aSignalDuringStoppableWorkAsksItToStopAndASecondOneExits() {
        try (StopRequest.Scope work = StopRequest.enter()) {
            StopRequest.throwIfRequested(() -> "never asked");          // nothing asked yet: no throw
            StopRequest.onSignal("TERM", 15, exits::add);
            assertThat(exits).isEmpty();
            assertThat(StopRequest.requested()).isTrue();
            assertThatThrownBy(() -> StopRequest.throwIfRequested(() -> "at step 6 of 12"))
                    .isInstanceOfSatisfying(StopRequestedException.class, e -> assertThat(e.exitCode()).isEqualTo(143))
                    .hasMessage("stopped on request (SIGTERM) at step 6 of 12");
            StopRequest.onSignal("TERM", 15, exits::add);
            assertThat(exits).containsExactly(143);
        }
    }

    @Test
    void aClosedScopeNoLongerCountsEvenClosedTwice() {
        StopRequest.Scope work = StopRequest.enter();
        work.close();
        work.close();
        StopRequest.onSignal("INT", 2, exits::add);
        assertThat(exits).containsExactly(130);
    }

    @Test
    void perImageWorkStopsAfterTheImageItIsOnButNotAfterItsLast() {
        List<String> lines = new ArrayList<>();
        try (WorkProgress p = WorkProgress.start("round 1: scored", 3, 0, 1, lines::add, () -> "", false)) {
            p.stepTo(1);
            StopRequest.onSignal("INT", 2, exits::add);
            assertThatThrownBy(() -> p.stepTo(2)).isInstanceOf(StopRequestedException.class)
                    .hasMessage("stopped on request (SIGINT) after 2 of 3 items (round 1: scored)");
            assertThat(lines).containsExactly("round 1: scored: 1 of 3", "round 1: scored: 2 of 3");
            p.stepTo(3);                                                    // the work is done: nothing left to stop
        }
        assertThat(exits).isEmpty();
    }
}
