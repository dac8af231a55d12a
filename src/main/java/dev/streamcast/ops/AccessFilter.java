package dev.streamcast.ops;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call what, checked before every request:
 * <ul>
 *   <li>{@code /health} is always open (liveness probes carry no credentials);</li>
 *   <li>the dashboard's static files (the page, its script and style, the chart library) are open: they are the
 *       jar's public bytes and hold no data. The page asks for the token and sends it with every API call;</li>
 *   <li>with an admin token configured, everything else needs {@code Authorization: Bearer <token>} (401);</li>
 *   <li>with none configured (loopback only), reads are open and every mutating request is refused (403); and
 *       the Host header must name this machine, so a web page cannot reach the open API through DNS rebinding
 *       (its browser would send the attacker's host name).</li>
 * </ul>
 */
final class AccessFilter implements Handler {

    private static final Set<String> OPEN_PATHS = Set.of("/", "/index.html");
    private static final Set<String> OPEN_PREFIXES = Set.of("/assets/", "/webjars/");
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final String BEARER = "Bearer ";
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final AdminToken token;
    private final String advertisedHost;

    /** @param advertisedHost the host of kafka.application.server, which other instances use; may be null */
    AccessFilter(AdminToken token, String advertisedHost) {
        this.token = token;
        this.advertisedHost = advertisedHost;
    }

    @Override
    public void handle(Context ctx) {
        if (isOpen(ctx)) {
            return;
        }
        if (token == null) {
            if (!namesThisMachine(ctx.host())) {
                throw new ApiException(403, "without http.admin.token only requests for localhost are answered");
            }
            if (!READS.contains(ctx.method())) {
                throw new ApiException(403, "changes through the API are disabled: no http.admin.token is configured");
            }
            return;
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        if (!token.matches(presented)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"streamcast\"");
            throw new ApiException(401, presented == null
                    ? "this endpoint needs Authorization: Bearer <http.admin.token>" : "wrong bearer token");
        }
    }

    /** Whether the Host header is a loopback name or address (or this instance's advertised host). */
    private boolean namesThisMachine(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, Math.max(1, host.indexOf(']')));
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || LOOPBACK_IPV4.matcher(host).matches() || host.equals(advertisedHost);
    }

    private static boolean isOpen(Context ctx) {
        String path = ctx.path();
        if (path.equals("/health")) {
            return true;
        }
        if (!READS.contains(ctx.method()) || path.contains("..") || path.contains("%") || path.contains("//")) {
            // Only plain paths are open: "/assets/../api/sensors" must not slip past as a static file.
            return false;
        }
        return OPEN_PATHS.contains(path) || OPEN_PREFIXES.stream().anyMatch(path::startsWith);
    }
}
