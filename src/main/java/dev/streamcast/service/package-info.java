/**
 * Starting, checking and stopping the clients: {@link dev.streamcast.service.StreamcastService} creates the
 * topics, checks access, publishes {@code model.initial} ({@link dev.streamcast.service.InitialModel}) and runs the
 * forecasting and training clients. Uses {@code stream} and the packages below it.
 */
package dev.streamcast.service;
