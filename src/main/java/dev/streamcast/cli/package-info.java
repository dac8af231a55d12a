/**
 * The {@code streamcast} command (picocli): each subcommand wires the configuration to the parts; a user's
 * mistake is one line and exit code 2. Uses everything.
 */
package dev.streamcast.cli;
