/**
 * What Streamcast writes to a topic and reads back: the forecast and accuracy messages (each written from one
 * reused {@code Content}), the training samples' batches, the dead-letter headers and reasons, which forecaster
 * served a forecast, and how a timestamp is read. Uses nothing of Streamcast's: every other package may use it.
 */
package dev.streamcast.wire;
