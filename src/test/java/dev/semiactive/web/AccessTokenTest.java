package dev.semiactive.web;

import dev.semiactive.SemiactiveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access-token rules. The check logic is the same whatever address the server binds, so the tests
 * bind 127.0.0.1 with a token configured and never open a public address.
 */
class AccessTokenTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void nonLoopbackHostNeedsAToken() {
        try (TestProject p = new TestProject(dir)) {
            assertThatThrownBy(() -> p.server().optHost("0.0.0.0").build())
                .isInstanceOf(SemiactiveException.class)
                .hasMessageContaining("0.0.0.0 is not a loopback address")
                .hasMessageContaining("access token");
            // With a token the same builder is accepted (not started: nothing binds a public address here).
            assertThat(p.server().optHost("0.0.0.0").optAccessToken(TOKEN).build()).isNotNull();
            assertThatThrownBy(() -> p.server().optAccessToken("short").build())
                .isInstanceOf(SemiactiveException.class).hasMessageContaining("16-256 characters");
            assertThat(AnnotationServer.newAccessToken()).matches("[0-9a-f]{32}").isNotEqualTo(AnnotationServer.newAccessToken());
        }
    }

    @Test
    void everyApiCallNeedsTheToken() {
        try (TestProject p = new TestProject(dir)) {
            AnnotationServer s = p.server().optAccessToken(TOKEN).build().start();
            try {
                assertThat(s.url()).endsWith("/?token=" + TOKEN);
                Http anon = new Http(s.port());
                Http.Resp none = anon.get("/api/project");
                assertThat(none.status()).isEqualTo(401);
                assertThat(none.error()).contains("access token required");
                assertThat(anon.post("/api/queue/next", Map.of("annotator", "alice")).status()).isEqualTo(401);
                assertThat(anon.get("/api/images/b.png").status()).isEqualTo(401);
                assertThat(p.store.queryOf(TestProject.R0).orElseThrow().leaseOwner()).isNull();

                Http wrong = anon.with(Map.of("Authorization", "Bearer " + TOKEN.replace('0', '1')));
                Http.Resp bad = wrong.get("/api/project");
                assertThat(bad.status()).isEqualTo(401);
                assertThat(bad.error()).contains("does not match");

                assertThat(anon.with(Map.of("Authorization", "Bearer " + TOKEN)).get("/api/project").status()).isEqualTo(200);
                assertThat(anon.with(Map.of("X-Access-Token", TOKEN)).post("/api/queue/next", Map.of("annotator", "alice"))
                    .json().path("query").path("regionId").asText()).isEqualTo(TestProject.R0);

                // The page itself holds no project data; opening it with the token trades it for a cookie.
                assertThat(anon.get("/").status()).isEqualTo(200);
                assertThat(anon.get("/?token=nope-nope-nope-nope").status()).isEqualTo(401);
                Http.Resp open = anon.get("/?token=" + TOKEN);
                assertThat(open.status()).isEqualTo(303);
                assertThat(open.raw().headers().firstValue("Location")).hasValue("/");
                String cookie = open.raw().headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict")
                    .startsWith(AccessGuard.COOKIE_PREFIX + s.port() + "=" + TOKEN);
                Http withCookie = anon.with(Map.of("Cookie", cookie.substring(0, cookie.indexOf(';'))));
                assertThat(withCookie.get("/api/project").status()).isEqualTo(200);
            } finally {
                s.stop();
            }
        }
    }

    @Test
    void hostHeaderIsParsedForTheRebindingGuard() {
        assertThat(AccessGuard.hostPart("localhost:8765")).isEqualTo("localhost");
        assertThat(AccessGuard.hostPart("[::1]:8765")).isEqualTo("[::1]");
        assertThat(AccessGuard.hostPart("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(AccessGuard.isLocalName("127.0.0.1")).isTrue();
        assertThat(AccessGuard.isLocalName("LOCALHOST")).isTrue();
        assertThat(AccessGuard.isLocalName("[::1]")).isTrue();
        assertThat(AccessGuard.isLocalName("127.0.0.1.evil.example")).isFalse();
        assertThat(AccessGuard.isLocalName("evil.example")).isFalse();
    }
}
