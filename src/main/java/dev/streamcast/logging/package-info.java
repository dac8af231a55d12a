/**
 * Logging helpers: {@link dev.streamcast.logging.QuietLogger} holds one library logger quiet for a known
 * moment of its lifecycle. Uses nothing of Streamcast's.
 */
package dev.streamcast.logging;
