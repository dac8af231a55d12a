package dev.streamcast.ops;

import io.javalin.http.Context;

/**
 * The paging parameters of the list endpoints: {@code prefix} (ids starting with it), {@code offset} and
 * {@code limit}. An instance asked by another one ({@code scope=local}) answers its first offset+limit items,
 * which the asking instance merges, so the local limit may go up to {@link #MAX_OFFSET} + {@link #MAX_LIMIT}.
 */
record PageRequest(String prefix, int offset, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final int MAX_OFFSET = 10_000;
    static final int MAX_PREFIX = 256;

    static PageRequest from(Context ctx, boolean localScope) {
        String prefix = ctx.queryParam("prefix");
        prefix = prefix == null ? "" : prefix;
        if (prefix.length() > MAX_PREFIX) {
            throw ApiException.badRequest("prefix: at most " + MAX_PREFIX + " characters");
        }
        int offset = intParam(ctx, "offset", 0, 0, MAX_OFFSET);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, localScope ? MAX_OFFSET + MAX_LIMIT : MAX_LIMIT);
        return new PageRequest(prefix, offset, limit);
    }

    /** What to ask each other instance for: everything up to the end of this page. */
    PageRequest fromStart() {
        return new PageRequest(prefix, 0, offset + limit);
    }

    /** The query string that asks another instance for this page of its local items. */
    String localQuery() {
        return "?scope=local&offset=" + offset + "&limit=" + limit + "&prefix=" + PeerInstances.encode(prefix);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": expected an integer, got '" + abbreviate(text) + "'");
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(name + ": expected " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
