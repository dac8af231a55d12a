/**
 * Running Streamcast from the command line: {@link dev.streamcast.cli.runtime.ServiceRuntime} starts the embedded
 * broker when no Kafka is configured, checks that Kafka answers, and runs the service and its HTTP server until
 * {@link dev.streamcast.cli.runtime.UntilShutdown} sees the process asked to stop; the demo's sensors and summary.
 * Uses {@code cli.files} and every package below {@code cli}.
 */
package dev.streamcast.cli.runtime;
