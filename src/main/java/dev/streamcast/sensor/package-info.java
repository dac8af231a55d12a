/**
 * What is kept and computed per sensor: {@link dev.streamcast.sensor.SensorState} and its stored format
 * ({@link dev.streamcast.sensor.SensorStateCodec}), the pending forecast and horizon, and
 * {@link dev.streamcast.sensor.SensorCalibration}, which owns the order in which a scored forecast teaches the floor,
 * the intervals' calibration, the history and the correction. Uses {@code wire} and {@code model}.
 */
package dev.streamcast.sensor;
