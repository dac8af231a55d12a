/**
 * The forecasting mathematics: {@link dev.streamcast.model.Forecaster} (a network, its scaling and window
 * length), a sensor's running statistics, season and local correction, the model document and its codec
 * ({@link dev.streamcast.model.ModelCodec}), training and walk-forward evaluation, Keras files. Uses {@code nn}.
 */
package dev.streamcast.model;
