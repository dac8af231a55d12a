/**
 * {@code streamcast bench e2e}: readings through a running service on a real broker, its latency, throughput
 * and CPU per reading.
 */
package dev.streamcast.bench.e2e;
