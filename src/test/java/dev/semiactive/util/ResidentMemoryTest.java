package dev.semiactive.util;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentMemoryTest {
    @Test
    void seesNativeAllocations() {
        long before = ResidentMemory.currentBytes();
        assertThat(before).isGreaterThan(10L * 1024 * 1024);
        ByteBuffer buffer = ByteBuffer.allocateDirect(128 * 1024 * 1024);
        for (int i = 0; i < buffer.capacity(); i += 4096) {
            buffer.put(i, (byte) 1); // touch every page so it becomes resident
        }
        long after = ResidentMemory.currentBytes();
        assertThat(after - before).isGreaterThan(100L * 1024 * 1024);
        assertThat(ResidentMemory.currentMiB()).isGreaterThan(after / (1024.0 * 1024.0) - 64);
    }
}
