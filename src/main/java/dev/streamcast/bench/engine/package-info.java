/**
 * {@code streamcast bench model}: the network's forecast and training speed, measured with JMH.
 */
package dev.streamcast.bench.engine;
