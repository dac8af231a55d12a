/**
 * Replaying history: {@link dev.streamcast.backtest.Backtest} runs a CSV's readings through the service's own
 * topology in process ({@code streamcast backtest}); {@link dev.streamcast.backtest.ReadingsReplay} publishes them to
 * the readings topic of a live service ({@code streamcast replay});
 * {@link dev.streamcast.backtest.ServiceOutputsReader} reads back what the live service published for them
 * ({@code streamcast score}). Both scores go through one {@link dev.streamcast.backtest.ForecastScoring} into one
 * {@link dev.streamcast.backtest.BacktestReport}, so the backtest and the live service are compared figure by
 * figure. Uses {@code service} and the packages below it; the command line wires options to it.
 */
package dev.streamcast.backtest;
