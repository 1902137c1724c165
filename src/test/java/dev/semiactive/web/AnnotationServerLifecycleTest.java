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
                assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class).hasMessage("annotation server already started");
                AnnotationServer b = p.server().optPort(a.port()).build();
                assertThatThrownBy(b::start).isInstanceOf(SemiactiveException.class)
                    .hasMessageStartingWith("annotation server cannot listen on 127.0.0.1:" + a.port() + " (")
                    .hasMessageEndingWith("): pick another --port or stop what uses it").hasMessageNotContaining("\n");
            } finally {
                a.stop();
                a.stop();
            }
            assertThatThrownBy(a::port).isInstanceOf(IllegalStateException.class).hasMessage("annotation server is not started");
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> AnnotationServer.builder().build()).isInstanceOf(IllegalStateException.class)
            .hasMessage("AnnotationServer needs setStore");
        try (TestProject p = new TestProject(dir)) {
            assertThatThrownBy(() -> p.server().setLabelSpace(null).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("AnnotationServer needs setLabelSpace");
            assertThatThrownBy(() -> p.server().setImages(null).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("AnnotationServer needs setImages");
            assertThatThrownBy(() -> p.server().optPort(70000).build()).isInstanceOf(SemiactiveException.class)
                .hasMessage("annotation server port 70000 is outside 0..65535: pick another --port (0 = any free port)");
            assertThatThrownBy(() -> p.server().optPort(-1).build()).isInstanceOf(SemiactiveException.class)
                .hasMessage("annotation server port -1 is outside 0..65535: pick another --port (0 = any free port)");
            assertThatThrownBy(() -> p.server().optLeaseDuration(java.time.Duration.ZERO).build()).isInstanceOf(SemiactiveException.class)
                .hasMessage("annotation lease PT0S must be positive");
        }
    }
}
