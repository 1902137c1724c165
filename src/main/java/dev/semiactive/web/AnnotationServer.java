package dev.semiactive.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.StoredImage;
import dev.semiactive.store.StoredRegion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The annotation web server: one page (plain HTML/CSS/JS from the jar) and a small JSON API over the
 * project store, through which a person answers the queries a round produced. See docs/annotation.md.
 *
 * <pre>{@code
 * AnnotationServer server = AnnotationServer.builder()
 *     .setStore(store).setLabelSpace(labels).setImages(images)
 *     .optPort(8765).build();
 * server.start();   // binds 127.0.0.1 unless optHost says otherwise
 * ...
 * server.stop();
 * }</pre>
 *
 * The server does not own the store: the caller opens and closes it.
 */
public final class AnnotationServer {
    private static final Logger LOG = LoggerFactory.getLogger(AnnotationServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Default lease of a region handed to an annotator (docs/annotation.md: lease rule). */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    private static final String ERROR_SENT = "semiactive.error";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,256}");
    // A label post is at most a bounding box of ints; 16 MB allows a 1000x1000 region with room to spare.
    private static final long MAX_REQUEST_BYTES = 16L << 20;
    private static final Map<String, String> ASSETS = Map.of(
        "/", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self';"
        + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ProjectStore store;
    private final ProjectImages images;
    private final String projectName;
    private final String host;
    private final int requestedPort;
    private final String accessToken;
    private final AnnotationQueue queue;
    private final AccessGuard guard;
    private final Map<String, byte[]> assets;
    private Javalin app;

    private AnnotationServer(Builder b) {
        this.store = b.store;
        this.images = b.images;
        this.projectName = b.projectName != null ? b.projectName : defaultName(store);
        this.host = b.host;
        this.requestedPort = b.port;
        this.accessToken = b.accessToken;
        this.queue = new AnnotationQueue(store, b.labels, b.lease, b.clock);
        this.guard = new AccessGuard(b.accessToken, isLoopback(b.host));
        this.assets = loadAssets();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fresh random access token (32 hex digits) for {@link Builder#optAccessToken}. */
    public static String newAccessToken() {
        // A credential must be unguessable, so this is the one place that draws from SecureRandom
        // rather than a seeded generator.
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Binds and starts serving. */
    public synchronized AnnotationServer start() {
        if (app != null) throw new IllegalStateException("annotation server already started");
        Javalin j = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
        });
        routes(j);
        try {
            j.start(host, requestedPort);
        } catch (RuntimeException e) {
            j.stop();
            throw new SemiactiveException("annotation server cannot listen on " + host + ":" + requestedPort + " ("
                + rootMessage(e) + "): pick another --port or stop what uses it", e);
        }
        app = j;
        LOG.info("annotation server for project '{}' at {}", projectName, url());
        return this;
    }

    /** Stops serving (idempotent). Leases stay in the store and lapse on their own. */
    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    /** The port it listens on (the actual one when built with port 0). */
    public synchronized int port() {
        if (app == null) throw new IllegalStateException("annotation server is not started");
        return app.port();
    }

    /** The page's address; with an access token it carries the token, so printing it hands out access. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        String base = "http://" + h + ":" + port() + "/";
        return accessToken == null ? base : base + "?token=" + accessToken;
    }

    // ------------------------------------------------------------------ routes

    private void routes(Javalin j) {
        j.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("X-Frame-Options", "DENY");
            guard.checkHost(ctx);
            if (ctx.path().startsWith("/api/")) {
                ctx.header("Cache-Control", "no-store");
                guard.checkApi(ctx);
            }
        });
        j.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        j.exception(SemiactiveException.class, (e, ctx) -> {
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            error(ctx, 500, e.getMessage());
        });
        j.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        });
        // Javalin's own 404 (no route) is plain text; ours say what was not found and are already JSON.
        j.error(404, ctx -> {
            if (ctx.attribute(ERROR_SENT) == null) error(ctx, 404, "no such page or API call: " + ctx.method() + " " + ctx.path());
        });

        for (Map.Entry<String, String> a : ASSETS.entrySet()) j.get(a.getKey(), ctx -> asset(ctx, a.getValue()));

        j.get("/api/project", this::project);
        j.get("/api/queue", this::upcoming);
        j.post("/api/queue/next", this::next);
        j.post("/api/queue/{regionId}/skip", ctx -> {
            String id = id(ctx, "regionId");
            String who = annotatorOf(ctx);
            boolean skipped = queue.skip(id, who);
            ctx.json(Map.of("regionId", id, "skipped", skipped, "progress", queue.progress()));
        });
        j.post("/api/queue/{regionId}/release", ctx -> {
            String id = id(ctx, "regionId");
            boolean released = queue.release(id, annotatorOf(ctx));
            ctx.json(Map.of("regionId", id, "released", released));
        });
        j.post("/api/labels/{regionId}", this::saveLabel);
        j.get("/api/labels/{regionId}", this::getLabel);
        // Overlay routes before the image route: "{imageId}.png" would not match them anyway (one segment).
        j.get("/api/images/{imageId}/prediction.png", ctx -> overlay(ctx, images::prediction,
            (im, cls) -> Pngs.classes(check(cls, im, "prediction"), im.width(), im.height(), queue.labels())));
        j.get("/api/images/{imageId}/flags.png", ctx -> overlay(ctx, images::flagged,
            (im, bits) -> Pngs.mask(check(bits, im, "flags"), im.width(), im.height())));
        j.get("/api/images/{imageId}/undecided.png", ctx -> overlay(ctx, images::undecided,
            (im, bits) -> Pngs.mask(check(bits, im, "undecided"), im.width(), im.height())));
        j.get("/api/images/{imageId}/labels.png", ctx -> {
            StoredImage im = image(ctx);
            png(ctx, Pngs.classes(store.labelMask(im.id(), im.width(), im.height()), im.width(), im.height(), queue.labels()));
            ctx.header("Cache-Control", "no-store");
        });
        j.get("/api/images/{imageId}.png", ctx -> {
            StoredImage im = image(ctx);
            byte[] png = images.imagePng(im.id());
            if (png == null) throw ApiException.notFound("image " + im.id() + " has no picture");
            png(ctx, png);
        });
    }

    private void asset(Context ctx, String name) {
        if (name.equals("index.html")) {
            String presented = ctx.queryParam("token");
            if (presented != null && guard.tokenRequired()) {
                if (!guard.matches(presented)) {
                    error(ctx, 401, "access token does not match: use the URL the server printed at start");
                    return;
                }
                // Trade the token in the URL for an HttpOnly cookie, then drop it from the address bar.
                ctx.header("Set-Cookie", AccessGuard.cookieName(ctx) + "=" + presented + "; Path=/; HttpOnly; SameSite=Strict");
                ctx.redirect("/", HttpStatus.SEE_OTHER);
                return;
            }
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(assets.get(name));
    }

    private void project(Context ctx) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", projectName);
        ArrayNode classes = out.putArray("classes");
        LabelSpace ls = queue.labels();
        for (int c = 0; c < ls.numClasses(); c++) {
            ObjectNode o = classes.addObject();
            o.put("id", c);
            o.put("name", ls.classNames().get(c));
            o.put("color", String.format("#%06x", ls.paletteRgb().get(c) & 0xFFFFFF));
        }
        out.put("void", LabelSpace.IGNORE);
        out.put("leaseSeconds", queue.leaseDuration().toSeconds());
        out.set("progress", JSON.valueToTree(queue.progress()));
        out.set("labelled", JSON.valueToTree(store.labelStats()));
        ctx.json(out);
    }

    private void upcoming(Context ctx) {
        int limit = 20;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit '" + l + "' is not a number");
            }
            if (limit < 1 || limit > 500) throw ApiException.badRequest("limit " + limit + " is outside 1..500");
        }
        ctx.json(Map.of("queue", queue.upcoming(limit), "progress", queue.progress()));
    }

    private void next(Context ctx) {
        String who = annotatorOf(ctx);
        ObjectNode out = JSON.createObjectNode();
        Optional<AnnotationQueue.Leased> leased = queue.next(who);
        out.set("query", leased.map(AnnotationServer::describe).orElse(null));
        out.set("progress", JSON.valueToTree(queue.progress()));
        ctx.json(out);
    }

    private static ObjectNode describe(AnnotationQueue.Leased l) {
        StoredRegion r = l.region();
        ObjectNode q = JSON.createObjectNode();
        q.put("regionId", r.id());
        q.put("imageId", r.imageId());
        q.put("round", l.query().round());
        q.put("rank", l.query().rank());
        q.put("strategy", l.query().strategy());
        q.put("score", l.query().score());
        q.put("leaseExpiresAt", l.query().leaseExpiry().toString());
        // Seconds left by the server's clock, so the page's countdown does not depend on the client's clock.
        q.put("leaseSecondsLeft", Math.max(0, l.leaseLeft().toSeconds()));
        q.putObject("image").put("width", l.image().width()).put("height", l.image().height());
        q.putObject("bbox").put("x0", r.x0()).put("y0", r.y0()).put("x1", r.x1()).put("y1", r.y1());
        q.put("pixelCount", r.pixelCount());
        q.put("mask", regionMask(r, l.pixels()));
        return q;
    }

    /** The region's pixels as a bitmask over its bounding box, row-major, bit i = byte i/8, bit i%8 (LSB first), base64. */
    static String regionMask(StoredRegion r, RegionPixels px) {
        int bw = r.x1() - r.x0(), bh = r.y1() - r.y0();
        byte[] bits = new byte[(bw * bh + 7) / 8];
        for (int p : px.pixels()) {
            int i = (p / px.width() - r.y0()) * bw + (p % px.width() - r.x0());
            bits[i >> 3] |= (byte) (1 << (i & 7));
        }
        return Base64.getEncoder().encodeToString(bits);
    }

    private void saveLabel(Context ctx) {
        String id = id(ctx, "regionId");
        LabelPost post = LabelPost.parse(body(ctx));
        AnnotationQueue.Saved saved = queue.save(id, post.annotator(), post);
        ObjectNode out = JSON.createObjectNode();
        out.put("regionId", id);
        out.put("saved", saved.stored());
        out.put("duplicate", !saved.stored());
        out.put("round", saved.round());
        out.put("labelledBy", saved.label().labelledBy());
        out.put("pixels", saved.label().pixels().length);
        out.set("progress", JSON.valueToTree(queue.progress()));
        ctx.status(saved.stored() ? 201 : 200).json(out);
    }

    private void getLabel(Context ctx) {
        String id = id(ctx, "regionId");
        StoredRegion r = store.region(id).orElseThrow(() -> ApiException.notFound("unknown region '" + id + "'"));
        RegionLabel label = store.label(id).orElseThrow(() -> ApiException.notFound("region " + id + " has no label yet"));
        StoredImage im = store.image(r.imageId()).orElseThrow();
        int bw = r.x1() - r.x0();
        int[] box = new int[bw * (r.y1() - r.y0())];
        Arrays.fill(box, LabelSpace.IGNORE);
        for (int i = 0; i < label.pixels().length; i++) {
            int p = label.pixels()[i];
            box[(p / im.width() - r.y0()) * bw + (p % im.width() - r.x0())] = label.labels()[i];
        }
        ctx.json(Map.of("regionId", id, "labelledBy", label.labelledBy(), "classes", box));
    }

    private <T> void overlay(Context ctx, Function<String, Optional<T>> source,
                             BiFunction<StoredImage, T, byte[]> render) {
        StoredImage im = image(ctx);
        Optional<T> data = source.apply(im.id());
        if (data.isEmpty()) throw ApiException.notFound("image " + im.id() + " has no such overlay");
        png(ctx, render.apply(im, data.get()));
    }

    private static int[] check(int[] cls, StoredImage im, String what) {
        if (cls.length != im.width() * im.height())
            throw new SemiactiveException(what + " of image " + im.id() + " has " + cls.length + " pixels but the image is "
                + im.width() + "x" + im.height() + " in the project store: recompute it at the working resolution");
        return cls;
    }

    private static BitSet check(BitSet bits, StoredImage im, String what) {
        if (bits.length() > im.width() * im.height())
            throw new SemiactiveException(what + " of image " + im.id() + " sets pixel " + (bits.length() - 1) + " but the image is "
                + im.width() + "x" + im.height() + " in the project store: recompute it at the working resolution");
        return bits;
    }

    private StoredImage image(Context ctx) {
        String id = id(ctx, "imageId");
        return store.image(id).orElseThrow(() -> ApiException.notFound("unknown image '" + id + "'"));
    }

    private static void png(Context ctx, byte[] png) {
        ctx.header("Cache-Control", "private, no-cache");
        ctx.contentType("image/png").result(png);
    }

    /**
     * An id from the path. Ids are only ever looked up in the store, never joined to a path; an id that
     * looks like a path escape is refused outright anyway, so no later change can turn it into one.
     */
    static String id(Context ctx, String param) {
        String id = ctx.pathParam(param);
        if (id.isEmpty() || id.length() > 1024 || id.chars().anyMatch(Character::isISOControl) || id.contains("\\")
            || id.startsWith("/") || id.equals("..") || id.startsWith("../") || id.endsWith("/..") || id.contains("/../"))
            throw ApiException.badRequest("'" + id.replaceAll("\\p{Cntrl}", "?") + "' is not a valid id: ids come from the API, never from paths");
        return id;
    }

    private static JsonNode body(Context ctx) {
        try {
            return JSON.readTree(ctx.bodyAsBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String annotatorOf(Context ctx) {
        JsonNode b = body(ctx);
        if (b == null || !b.isObject()) throw ApiException.badRequest("body must be a JSON object {\"annotator\": \"name\"}");
        return Annotators.require(b.get("annotator"));
    }

    private static void error(Context ctx, int status, String message) {
        ctx.attribute(ERROR_SENT, Boolean.TRUE);
        ctx.status(status).json(Map.of("error", message));
    }

    private static Map<String, byte[]> loadAssets() {
        Map<String, byte[]> out = new HashMap<>();
        for (String name : ASSETS.values()) {
            try (InputStream in = AnnotationServer.class.getResourceAsStream("/web/" + name)) {
                if (in == null) throw new IllegalStateException("web asset /web/" + name + " is missing from the jar");
                out.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(out);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new SemiactiveException("annotation server host '" + host + "' does not resolve: use an address such as 127.0.0.1", e);
        }
    }

    private static String defaultName(ProjectStore store) {
        var parent = store.file().getParent();
        return parent != null && parent.getFileName() != null ? parent.getFileName().toString() : store.file().getFileName().toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ------------------------------------------------------------------ builder

    /** Builds an {@link AnnotationServer}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private ProjectStore store;
        private LabelSpace labels;
        private ProjectImages images;
        private String projectName;
        private String host = "127.0.0.1";
        private int port = 8765;
        private String accessToken;
        private Duration lease = DEFAULT_LEASE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The project store (opened by the caller, who also closes it after {@link #stop}). */
        public Builder setStore(ProjectStore store) {
            this.store = store;
            return this;
        }

        /** The project's classes and colours: the page's palette and the valid class ids. */
        public Builder setLabelSpace(LabelSpace labels) {
            this.labels = labels;
            return this;
        }

        /** Pictures and overlays of pool images, by image id. */
        public Builder setImages(ProjectImages images) {
            this.images = images;
            return this;
        }

        /** Name shown on the page; defaults to the store file's folder name (the project folder). */
        public Builder optProjectName(String name) {
            this.projectName = name;
            return this;
        }

        /** Address to bind; default 127.0.0.1. Anything but a loopback address requires an access token. */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Port; default 8765, 0 = any free port (tests). */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Token every API call must carry (16-256 of A-Z a-z 0-9 . _ ~ -); see {@link #newAccessToken()}. */
        public Builder optAccessToken(String token) {
            this.accessToken = token;
            return this;
        }

        /** How long a region handed to an annotator stays theirs alone; default {@link #DEFAULT_LEASE}. */
        public Builder optLeaseDuration(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** Clock for lease checks; must be the store's clock (tests move both by hand). */
        public Builder optClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public AnnotationServer build() {
            if (store == null) throw new IllegalStateException("AnnotationServer needs setStore");
            if (labels == null) throw new IllegalStateException("AnnotationServer needs setLabelSpace");
            if (images == null) throw new IllegalStateException("AnnotationServer needs setImages");
            if (port < 0 || port > 65535) throw new SemiactiveException("annotation server port " + port + " is outside 0..65535: pick another --port (0 = any free port)");
            if (lease.isNegative() || lease.isZero()) throw new SemiactiveException("annotation lease " + lease + " must be positive");
            if (accessToken != null && !TOKEN.matcher(accessToken).matches())
                throw new SemiactiveException("access token must be 16-256 characters of A-Z a-z 0-9 . _ ~ -: generate one with"
                    + " AnnotationServer.newAccessToken()");
            if (host == null || host.isBlank()) throw new SemiactiveException("annotation server host is empty: use 127.0.0.1");
            if (!isLoopback(host) && accessToken == null)
                throw new SemiactiveException("annotation server host " + host + " is not a loopback address: serving labels to the"
                    + " network needs an access token (set one, e.g. --access-token)");
            return new AnnotationServer(this);
        }
    }
}
