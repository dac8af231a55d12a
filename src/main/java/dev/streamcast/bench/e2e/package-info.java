/**
 * {@code streamcast bench e2e}: readings through a running service on a real broker, its latency, throughput
 * and CPU per reading; and {@code streamcast bench backlog}: a preloaded backlog drained by a fresh service JVM on a
 * broker process of its own, beside the Node.js peer.
 */
package dev.streamcast.bench.e2e;
