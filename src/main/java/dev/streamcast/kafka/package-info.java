/**
 * The embedded KRaft broker that runs when no {@code kafka.bootstrap.servers} is configured, its ports, data
 * directory, security and controller quorum. Uses {@code logging}.
 */
package dev.streamcast.kafka;
