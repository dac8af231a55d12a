/**
 * Replaying history: {@link dev.streamcast.backtest.Backtest} runs a CSV's readings through the service's own
 * topology in process and scores the forecasts per series ({@code streamcast backtest});
 * {@link dev.streamcast.backtest.ReadingsReplay} publishes them to the readings topic of a live service
 * ({@code streamcast replay}). Depends on {@code stream} and {@code model}; the command line wires options to it.
 */
package dev.streamcast.backtest;
