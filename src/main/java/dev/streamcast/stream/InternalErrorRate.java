package dev.streamcast.stream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many internal errors happened in the last minute: a ring of 60 one-second buckets, each with the second it
 * counts. Written by the stream threads, read by the HTTP threads; a bucket whose second has passed counts as 0.
 * The count is exact to the second (a bucket being reused by one thread while another adds to it may lose that
 * one increment, which a readiness threshold can bear).
 */
final class InternalErrorRate {

    static final int SECONDS = 60;

    private final AtomicLongArray seconds = new AtomicLongArray(SECONDS);
    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);

    void record(long nowMs) {
        long second = nowMs / 1000;
        int i = (int) (second % SECONDS);
        long held = seconds.get(i);
        if (held != second && seconds.compareAndSet(i, held, second)) {
            counts.set(i, 0);
        }
        counts.incrementAndGet(i);
    }

    /** Errors in the minute up to {@code nowMs} (the 60 seconds ending with the current one). */
    long lastMinute(long nowMs) {
        long now = nowMs / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long second = seconds.get(i);
            if (second > now - SECONDS && second <= now) {
                sum += counts.get(i);
            }
        }
        return sum;
    }
}
