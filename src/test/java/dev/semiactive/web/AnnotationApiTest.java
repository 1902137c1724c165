package dev.semiactive.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.QueryStatus;
import dev.semiactive.store.RegionLabel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.semiactive.web.TestProject.A;
import static dev.semiactive.web.TestProject.H;
import static dev.semiactive.web.TestProject.R0;
import static dev.semiactive.web.TestProject.R1;
import static dev.semiactive.web.TestProject.R3;
import static dev.semiactive.web.TestProject.TRI;
import static dev.semiactive.web.TestProject.W;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API over a real server on an ephemeral loopback port. */
class AnnotationApiTest {
    @TempDir
    Path dir;

    TestProject project;
    AnnotationServer server;
    Http http;

    @BeforeEach
    void start() {
        project = new TestProject(dir);
        server = project.server().build().start();
        http = new Http(server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
        project.close();
    }

    static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Http.Resp next(String who) {
        return http.post("/api/queue/next", Map.of("annotator", who));
    }

    String lease(String who) {
        Http.Resp r = next(who);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("query").path("regionId").asText();
    }

    Http.Resp label(String regionId, Map<String, ?> body) {
        return http.post("/api/labels/" + enc(regionId), body);
    }

    @Test
    void projectListsClassesColoursAndProgress() {
        JsonNode p = http.get("/api/project").json();
        assertThat(p.path("name").asText()).isEqualTo("street-test");
        assertThat(p.path("classes")).hasSize(4);
        assertThat(p.path("classes").get(3).path("name").asText()).isEqualTo("car");
        assertThat(p.path("classes").get(3).path("color").asText()).isEqualTo("#cc0000");
        assertThat(p.path("progress").path("round").asInt()).isZero();
        assertThat(p.path("progress").path("total").asInt()).isEqualTo(4);
        assertThat(p.path("progress").path("pending").asInt()).isEqualTo(4);
        assertThat(p.path("leaseSeconds").asLong()).isEqualTo(AnnotationServer.DEFAULT_LEASE.toSeconds());
    }

    @Test
    void nextLeasesTheBestQueryWithItsRegionMask() {
        JsonNode q = next("alice").json().path("query");
        assertThat(q.path("regionId").asText()).isEqualTo(R0);
        assertThat(q.path("imageId").asText()).isEqualTo(A);
        assertThat(q.path("round").asInt()).isZero();
        assertThat(q.path("image").path("width").asInt()).isEqualTo(W);
        assertThat(q.path("bbox").path("x1").asInt()).isEqualTo(16);
        assertThat(q.path("pixelCount").asInt()).isEqualTo(256);
        byte[] mask = Base64.getDecoder().decode(q.path("mask").asText());
        assertThat(mask).hasSize(32).containsOnly((byte) 0xFF);
        assertThat(project.store.queryOf(R0).orElseThrow().leaseOwner()).isEqualTo("alice");
    }

    @Test
    void nonRectangularRegionMaskMarksOnlyItsPixels() {
        project.store.skipQuery(R0);
        project.store.skipQuery(R1);
        JsonNode q = next("alice").json().path("query");
        assertThat(q.path("regionId").asText()).isEqualTo(TRI);
        byte[] mask = Base64.getDecoder().decode(q.path("mask").asText());
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++) {
                int i = y * 40 + x;
                assertThat((mask[i >> 3] >> (i & 7)) & 1).as("(%d,%d)", x, y).isEqualTo(x + y < 40 ? 1 : 0);
            }
    }

    @Test
    void leasesAreExclusiveResumableAndExpire() {
        assertThat(lease("alice")).isEqualTo(R0);
        assertThat(lease("bob")).isEqualTo(R1);
        // A reloaded tab gets its own region back, not a second one.
        assertThat(lease("alice")).isEqualTo(R0);
        project.clock.advance(AnnotationServer.DEFAULT_LEASE.plusSeconds(1));
        // Both leases lapsed: the best region goes to whoever asks next.
        assertThat(lease("carol")).isEqualTo(R0);
        Http.Resp late = label(R0, Map.of("annotator", "alice", "class", 1));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.error()).contains("leased to carol");
        // Bob's lapsed lease was not taken over: his save still counts.
        assertThat(label(R1, Map.of("annotator", "bob", "class", 2)).status()).isEqualTo(201);
    }

    @Test
    void concurrentAnnotatorsNeverShareARegion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String who = "ann" + i;
                calls.add(() -> lease(who));
            }
            Set<String> got = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) got.add(f.get());
            assertThat(got).containsExactlyInAnyOrder(R0, R1, TRI, R3);
        } finally {
            pool.shutdownNow();
        }
        JsonNode none = next("ann4").json();
        assertThat(none.path("query").isNull()).isTrue();
        assertThat(none.path("progress").path("leased").asInt()).isEqualTo(4);
    }

    @Test
    void wholeRegionLabelIsStoredInTheQueryRoundAndSavingTwiceIsOneLabel() {
        lease("alice");
        Http.Resp first = label(R0, Map.of("annotator", "alice", "class", 2));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().path("saved").asBoolean()).isTrue();
        assertThat(first.json().path("round").asInt()).isZero();
        Http.Resp again = label(R0, Map.of("annotator", "alice", "class", 2));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();

        assertThat(project.store.labels(0)).hasSize(1);
        RegionLabel l = project.store.label(R0).orElseThrow();
        assertThat(l.labelledBy()).isEqualTo("alice");
        assertThat(l.pixels()).containsExactly(TestProject.cell(0, 0));
        assertThat(l.labels()).containsOnly(2);
        assertThat(project.store.queryOf(R0).orElseThrow().status()).isEqualTo(QueryStatus.ANSWERED);

        Http.Resp changed = label(R0, Map.of("annotator", "alice", "class", 3));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.error()).contains("already labelled by alice");
        assertThat(project.store.label(R0).orElseThrow().labels()).containsOnly(2);
        assertThat(next("alice").json().path("query").path("regionId").asText()).isEqualTo(R1);
    }

    @Test
    void perPixelLabelKeepsExactlyThePaintedClassesOfTheRegion() {
        project.store.skipQuery(R0);
        project.store.skipQuery(R1);
        assertThat(lease("alice")).isEqualTo(TRI);
        int[] box = new int[40 * 40];
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++)
                box[y * 40 + x] = x + y >= 40 ? LabelSpace.IGNORE : (y < 10 ? 0 : (x == 3 ? LabelSpace.IGNORE : 2));
        Http.Resp r = label(TRI, Map.of("annotator", "alice", "classes", box));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        int[] mask = project.store.labelMask(TestProject.B, W, H);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int want = x < 40 && y < 40 ? box[y * 40 + x] : LabelSpace.IGNORE;
                assertThat(mask[y * W + x]).as("(%d,%d)", x, y).isEqualTo(want);
            }
        assertThat(project.store.label(TRI).orElseThrow().isDominantOnly()).isFalse();
        assertThat(http.get("/api/labels/" + enc(TRI)).json().path("classes").get(10 * 40 + 3).asInt()).isEqualTo(LabelSpace.IGNORE);
    }

    @Test
    void invalidLabelsAreRefusedWithAClearMessage() {
        project.store.skipQuery(R0);
        project.store.skipQuery(R1);
        assertThat(lease("alice")).isEqualTo(TRI);
        int[] ok = new int[40 * 40];
        for (int i = 0; i < ok.length; i++) ok[i] = (i % 40) + (i / 40) < 40 ? 1 : LabelSpace.IGNORE;

        Http.Resp size = label(TRI, Map.of("annotator", "alice", "classes", Arrays.copyOf(ok, 1599)));
        assertThat(size.status()).isEqualTo(400);
        assertThat(size.error()).contains("1599 values").contains("40x40");

        int[] badClass = ok.clone();
        badClass[5] = 4;
        Http.Resp cls = label(TRI, Map.of("annotator", "alice", "classes", badClass));
        assertThat(cls.status()).isEqualTo(400);
        assertThat(cls.error()).contains("class id 4").contains("0..3");
        assertThat(label(TRI, Map.of("annotator", "alice", "class", -1)).error()).contains("class id -1");

        int[] outside = ok.clone();
        outside[39 * 40 + 39] = 1;
        Http.Resp out = label(TRI, Map.of("annotator", "alice", "classes", outside));
        assertThat(out.status()).isEqualTo(400);
        assertThat(out.error()).contains("pixel (39,39) is outside region " + TRI);

        int[] allVoid = new int[40 * 40];
        Arrays.fill(allVoid, LabelSpace.IGNORE);
        assertThat(label(TRI, Map.of("annotator", "alice", "classes", allVoid)).error()).contains("no pixel a class");

        Http.Resp notMine = label(R3, Map.of("annotator", "alice", "class", 1));
        assertThat(notMine.status()).isEqualTo(409);
        assertThat(notMine.error()).contains("not leased to alice");
        lease("bob");
        Http.Resp others = label(R3, Map.of("annotator", "alice", "class", 1));
        assertThat(others.status()).isEqualTo(409);
        assertThat(others.error()).contains("leased to bob");

        Http.Resp unknown = label("street/a#g16:9:9", Map.of("annotator", "alice", "class", 1));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("unknown region");
        Http.Resp notQueried = label("street/a#g16:2:2", Map.of("annotator", "alice", "class", 1));
        assertThat(notQueried.status()).isEqualTo(404);
        assertThat(notQueried.error()).contains("not in the queue");

        assertThat(http.post("/api/labels/" + enc(TRI), "{not json").error()).contains("not valid JSON");
        assertThat(label(TRI, Map.of("class", 1)).error()).contains("'annotator' is missing");
        assertThat(label(TRI, Map.of("annotator", "../x", "class", 1)).error()).contains("not allowed");
        assertThat(label(TRI, Map.of("annotator", "alice", "class", 1, "classes", ok)).error()).contains("exactly one");
        assertThat(label(TRI, Map.of("annotator", "alice", "klass", 1)).error()).contains("unknown field 'klass'");
        assertThat(label(TRI, Map.of("annotator", "alice", "class", "road")).error()).contains("integer class id");

        assertThat(project.store.labelledRegionIds()).isEmpty();
        assertThat(label(TRI, Map.of("annotator", "alice", "classes", ok)).status()).isEqualTo(201);
    }

    @Test
    void skipRemovesTheRegionAndReleaseHandsItOn() {
        assertThat(lease("alice")).isEqualTo(R0);
        Http.Resp notYours = http.post("/api/queue/" + enc(R0) + "/skip", Map.of("annotator", "bob"));
        assertThat(notYours.status()).isEqualTo(409);
        Http.Resp skip = http.post("/api/queue/" + enc(R0) + "/skip", Map.of("annotator", "alice"));
        assertThat(skip.status()).as(skip.body()).isEqualTo(200);
        assertThat(skip.json().path("skipped").asBoolean()).isTrue();
        assertThat(skip.json().path("progress").path("skipped").asInt()).isEqualTo(1);
        assertThat(project.store.queryOf(R0).orElseThrow().status()).isEqualTo(QueryStatus.SKIPPED);
        assertThat(label(R0, Map.of("annotator", "alice", "class", 1)).error()).contains("skipped");

        assertThat(lease("alice")).isEqualTo(R1);
        Http.Resp foreign = http.post("/api/queue/" + enc(R1) + "/release", Map.of("annotator", "bob"));
        assertThat(foreign.status()).isEqualTo(409);
        Http.Resp release = http.post("/api/queue/" + enc(R1) + "/release", Map.of("annotator", "alice"));
        assertThat(release.json().path("released").asBoolean()).isTrue();
        // Released before the lease ran out: the next annotator gets it at once.
        assertThat(lease("bob")).isEqualTo(R1);
    }

    @Test
    void queueListsPendingRegionsWithTheirHolders() {
        lease("alice");
        JsonNode q = http.get("/api/queue?limit=3").json().path("queue");
        assertThat(q).hasSize(3);
        assertThat(q.get(0).path("regionId").asText()).isEqualTo(R0);
        assertThat(q.get(0).path("leasedBy").asText()).isEqualTo("alice");
        assertThat(q.get(1).path("leasedBy").isNull()).isTrue();
        assertThat(http.get("/api/queue?limit=0").status()).isEqualTo(400);
    }

    @Test
    void imagesAndOverlaysAreServedByImageId() throws IOException {
        Http.Resp img = http.get("/api/images/" + enc(A) + ".png");
        assertThat(img.status()).isEqualTo(200);
        assertThat(img.raw().headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(img.bytes()));
        assertThat(picture.getWidth()).isEqualTo(W);
        assertThat(picture.getHeight()).isEqualTo(H);

        BufferedImage pred = ImageIO.read(new ByteArrayInputStream(http.get("/api/images/" + enc(A) + "/prediction.png").bytes()));
        // The car (class 3) is predicted as road (class 1).
        assertThat(pred.getRGB(45, 33)).isEqualTo(0xFF000000 | TestProject.LABELS.paletteRgb().get(1));
        assertThat(pred.getRGB(5, 2)).isEqualTo(0xFF000000 | TestProject.LABELS.paletteRgb().get(0));

        BufferedImage flags = ImageIO.read(new ByteArrayInputStream(http.get("/api/images/" + enc(A) + "/flags.png").bytes()));
        assertThat(flags.getRGB(45, 33) >>> 24).isEqualTo(255);
        assertThat(flags.getRGB(5, 2) >>> 24).isZero();
        Http.Resp noFlags = http.get("/api/images/b/flags.png");
        assertThat(noFlags.status()).isEqualTo(404);
        assertThat(noFlags.error()).contains("no such overlay");

        lease("alice");
        label(R0, Map.of("annotator", "alice", "class", 2));
        BufferedImage labels = ImageIO.read(new ByteArrayInputStream(http.get("/api/images/" + enc(A) + "/labels.png").bytes()));
        assertThat(labels.getRGB(3, 3)).isEqualTo(0xFF000000 | TestProject.LABELS.paletteRgb().get(2));
        assertThat(labels.getRGB(20, 3) >>> 24).isZero();

        Http.Resp unknown = http.get("/api/images/nope.png");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("unknown image 'nope'");
    }

    @Test
    void idsThatLookLikePathsAreRejected() {
        Http.Resp encoded = http.get("/api/images/" + enc("../../etc/passwd") + ".png");
        assertThat(encoded.status()).isEqualTo(400);
        assertThat(encoded.error()).contains("not a valid id");
        assertThat(http.get("/api/images/" + enc("street/../../secret") + "/prediction.png").status()).isEqualTo(400);
        assertThat(label("../" + R0, Map.of("annotator", "alice", "class", 1)).status()).isEqualTo(400);
        assertThat(http.post("/api/queue/" + enc("..") + "/skip", Map.of("annotator", "alice")).status()).isEqualTo(400);
        // Sent verbatim, without any client-side normalisation.
        assertThat(Http.rawStatus(server.port(), "GET /api/images/../../etc/passwd.png HTTP/1.1", "127.0.0.1"))
            .isIn(400, 404);
        assertThat(Http.rawStatus(server.port(), "GET /../../../etc/passwd HTTP/1.1", "127.0.0.1")).isIn(400, 404);
    }

    @Test
    void writesMustBeJsonFromThisOrigin() {
        lease("alice");
        Http.Resp form = http.post("/api/labels/" + enc(R0), "annotator=alice&class=1", "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        Http.Resp foreign = http.with(Map.of("Origin", "http://evil.example")).post("/api/labels/" + enc(R0),
            Map.of("annotator", "alice", "class", 1));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.error()).contains("Origin");
        Http.Resp own = http.with(Map.of("Origin", "http://127.0.0.1:" + server.port())).post("/api/labels/" + enc(R0),
            Map.of("annotator", "alice", "class", 1));
        assertThat(own.status()).isEqualTo(201);
    }

    @Test
    void loopbackServerAnswersOnlyLocalHostNames() {
        int port = server.port();
        assertThat(Http.rawStatus(port, "GET /api/project HTTP/1.1", "127.0.0.1:" + port)).isEqualTo(200);
        assertThat(Http.rawStatus(port, "GET /api/project HTTP/1.1", "localhost:" + port)).isEqualTo(200);
        assertThat(Http.rawStatus(port, "GET /api/project HTTP/1.1", "evil.example:" + port)).isEqualTo(403);
        assertThat(Http.rawStatus(port, "GET / HTTP/1.1", "evil.example")).isEqualTo(403);
    }

    @Test
    void pageAndAssetsComeFromTheJarWithAStrictPolicy() {
        Http.Resp page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<canvas id=\"view\"").contains("/app.js").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        Http.Resp js = http.get("/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(js.body()).doesNotContain("http://").doesNotContain("https://");
        assertThat(http.get("/app.css").status()).isEqualTo(200);
        Http.Resp missing = http.get("/web/app.js");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(http.get("/api/nothing").error()).contains("no such page");
    }

    @Test
    void shortLeaseFromTheBuilderIsHonoured(@TempDir Path other) {
        try (TestProject p = new TestProject(other)) {
            AnnotationServer s = p.server().optLeaseDuration(Duration.ofSeconds(30)).build().start();
            try {
                Http h = new Http(s.port());
                assertThat(h.post("/api/queue/next", Map.of("annotator", "alice")).json().path("query").path("leaseExpiresAt").asText())
                    .isEqualTo("2025-01-01T00:00:30Z");
                p.clock.advance(Duration.ofSeconds(31));
                assertThat(h.post("/api/queue/next", Map.of("annotator", "bob")).json().path("query").path("regionId").asText())
                    .isEqualTo(R0);
            } finally {
                s.stop();
            }
        }
    }
}
