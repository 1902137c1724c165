package dev.semiactive.web;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnotationServerLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startStopAndABusyPort() {
        try (TestProject p = new TestProject(dir)) {
            AnnotationServer a = p.server().build().start();
            try {
                assertThat(a.port()).isPositive();
                assertThat(a.url()).isEqualTo("http://127.0.0.1:" + a.port() + "/");
                assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class);
                AnnotationServer b = p.server().optPort(a.port()).build();
                assertThatThrownBy(b::start).isInstanceOf(SemiactiveException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + a.port()).hasMessageContaining("--port");
            } finally {
                a.stop();
                a.stop();
            }
            assertThatThrownBy(a::port).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> AnnotationServer.builder().build()).hasMessageContaining("setStore");
        try (TestProject p = new TestProject(dir)) {
            assertThatThrownBy(() -> p.server().optPort(70000).build()).hasMessageContaining("70000");
            assertThatThrownBy(() -> p.server().optLeaseDuration(java.time.Duration.ZERO).build()).hasMessageContaining("positive");
        }
    }
}
