/**
 * The JMH benchmark of reading a record of the readings topic, per input format.
 */
package dev.streamcast.bench.input;
