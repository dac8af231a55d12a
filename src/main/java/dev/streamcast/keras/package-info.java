/**
 * Keras's files in and out: {@link dev.streamcast.keras.KerasFile} reads a Keras 3 {@code .keras} file, a legacy
 * {@code .h5} file or a TensorFlow.js layers model (jHDF for HDF5), {@link dev.streamcast.keras.KerasImporter} makes
 * Streamcast's model document of it; {@link dev.streamcast.keras.KerasFileWriter} and
 * {@link dev.streamcast.keras.TfjsModelWriter} write a model back as Keras 3 and TensorFlow.js lay them out. Uses
 * {@code model} and {@code nn}.
 */
package dev.streamcast.keras;
