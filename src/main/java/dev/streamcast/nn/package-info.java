/**
 * The network: layers (LSTM, GRU, SimpleRNN, Dense, Dropout), activations, the loss, Adam and Keras's
 * initialisers, computed with EJML on matrices allocated once and reused. Uses nothing of Streamcast's.
 */
package dev.streamcast.nn;
