/**
 * The Kafka Streams topology ({@link dev.streamcast.stream.StreamcastTopology}) and its processors: readings to
 * forecasts and accuracy records, the input mapper, the models' global store, the trainer with its replay buffer and
 * schedule; the names they share ({@link dev.streamcast.stream.StreamNames}), the model registry and the stream's
 * counters. Uses {@code sensor}, {@code input}, {@code config}, {@code wire} and {@code model}.
 */
package dev.streamcast.stream;
