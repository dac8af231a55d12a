/**
 * What a command reads and writes for the user: the configuration file and {@code --set}, a CSV of readings, model
 * files and reports; and {@link dev.streamcast.cli.files.UserInputException}, a user's mistake, which the command
 * prints as one line with exit code 2.
 */
package dev.streamcast.cli.files;
