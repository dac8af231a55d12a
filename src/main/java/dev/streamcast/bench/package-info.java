/**
 * Benchmarks: {@code streamcast bench model} (JMH, in {@code engine}), {@code bench e2e} (in {@code e2e}) and
 * the input parser's JMH benchmark (in {@code input}). Use {@code service}, {@code kafka} and the packages below.
 */
package dev.streamcast.bench;
