package dev.semiactive.al;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopRegionsTest {
    @Test
    void memoryIsBoundedByTheAllowanceNotThePool() {
        TopRegions top = new TopRegions(10 * 256);
        for (int i = 0; i < 100_000; i++) {
            Region r = new Region("im" + (i / 600) + "#g16:" + i, "im" + (i / 600), "g16", i % 600, 0, 0, 16, 16, 256);
            top.offer(new Candidate(r, (i * 7919L % 100_003) / 100_003.0, 0));
        }
        assertThat(top.size()).isEqualTo(10);
        // the 10 kept are the 10 best
        assertThat(top.ranked().get(9).score()).isGreaterThan(0.9998);
        // a smaller edge cell gets its own (also bounded) slot: it could still fit where a full cell does not
        top.offer(new Candidate(new Region("e#g16:0:0", "e", "g16", 0, 0, 0, 4, 16, 64), 0.0, 0));
        assertThat(top.size()).isEqualTo(11);
        assertThat(Candidate.fit(top.ranked(), 10 * 256)).hasSize(10);
        assertThat(Candidate.fit(top.ranked(), 10 * 256 - 1)).hasSize(10)
            .anyMatch(s -> s.region().id().equals("e#g16:0:0"));
    }
}
