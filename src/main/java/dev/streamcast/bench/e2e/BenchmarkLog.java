package dev.streamcast.bench.e2e;

/**
 * The end-to-end benchmark's log: the benchmark and each part of a run (drains, pace, latency runs) write their
 * progress under one name, {@link EndToEndBenchmark}'s, so that a run reads as one log whichever part writes it.
 */
final class BenchmarkLog {

    static final String NAME = "dev.streamcast.bench.e2e.EndToEndBenchmark";

    private BenchmarkLog() {
    }
}
