package dev.semiactive;

/**
 * A user-facing failure: bad input, bad config, missing file. The message is one line that names the
 * file (or key) at fault and the fix; the CLI prints it as is and exits non-zero, without a stack trace.
 * Programming errors stay ordinary runtime exceptions.
 */
public class SemiactiveException extends RuntimeException {
    public SemiactiveException(String message) {
        super(message);
    }

    public SemiactiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
