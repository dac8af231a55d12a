package dev.streamcast.cli.files;

/**
 * A mistake in what the user gave the command line: a missing file, a bad cell, a window of the wrong length.
 * The command line prints its message as one line and exits with code 2; never a stack trace.
 */
public class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
