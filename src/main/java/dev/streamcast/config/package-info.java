/**
 * The configuration: {@link dev.streamcast.config.StreamcastConfig} (the bundled properties, a file and
 * {@code --set}), the forecasting settings read and checked from it ({@link dev.streamcast.config.ForecastSettings}),
 * the topic names and the input mapping. Uses {@code wire} and {@code model}.
 */
package dev.streamcast.config;
