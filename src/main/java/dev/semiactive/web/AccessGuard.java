package dev.semiactive.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who may talk to the server. Three checks, each for a real attack on a labelling server:
 * <ul>
 *   <li>access token (when configured, and always when bound to a non-loopback address): every API call
 *       must carry it as {@code Authorization: Bearer TOKEN}, {@code X-Access-Token: TOKEN} or the
 *       HttpOnly, SameSite=Strict cookie the page gets when opened as {@code /?token=TOKEN}; compared in
 *       constant time;</li>
 *   <li>Host header (when bound to loopback): only localhost names are answered, so a web page on
 *       another site cannot reach the server through DNS rebinding;</li>
 *   <li>writes (POST) must be {@code application/json} and, if the browser sends an Origin, come from
 *       this server's own origin: a form or a no-CORS fetch from another site cannot post labels.</li>
 * </ul>
 */
final class AccessGuard {
    static final String COOKIE_PREFIX = "semiactive_token_";

    private final byte[] token;
    private final boolean loopback;

    AccessGuard(String token, boolean loopback) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopback = loopback;
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** Cookie name per port: two servers on one host (different projects) keep their tokens apart. */
    static String cookieName(Context ctx) {
        return COOKIE_PREFIX + ctx.port();
    }

    /** Every request: the DNS-rebinding guard. */
    void checkHost(Context ctx) {
        if (!loopback) return;
        String host = ctx.header("Host");
        if (host == null || !isLocalName(hostPart(host)))
            throw new ApiException(403, "Host '" + (host == null ? "" : host) + "' refused: this server answers only to localhost"
                + " (serve with an explicit host and an access token to reach it by another name)");
    }

    /** API requests: token, then the write rules. */
    void checkApi(Context ctx) {
        if (token != null && !matches(presentedToken(ctx)))
            throw new ApiException(401, presentedToken(ctx) == null
                ? "access token required: open the page with the URL the server printed (…/?token=…) or send 'Authorization: Bearer TOKEN'"
                : "access token does not match: use the token the server printed at start");
        if (ctx.method() == HandlerType.POST) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json"))
                throw new ApiException(415, "POST bodies must be 'Content-Type: application/json'");
            String origin = ctx.header("Origin");
            String host = ctx.header("Host");
            if (origin != null && !origin.equals("null") && host != null && !sameOrigin(origin, host))
                throw new ApiException(403, "Origin '" + origin + "' refused: writes come only from this server's own page");
        }
    }

    /** Whether a token from the page URL is the right one (the page then stores it in a cookie). */
    boolean matches(String presented) {
        return token != null && presented != null
            && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String presentedToken(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).trim();
        String header = ctx.header("X-Access-Token");
        if (header != null) return header.trim();
        return ctx.cookie(cookieName(ctx));
    }

    private static boolean sameOrigin(String origin, String host) {
        return origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
    }

    static String hostPart(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    static boolean isLocalName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]")
            || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
