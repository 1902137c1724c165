package dev.semiactive.util;

import dev.semiactive.SemiactiveException;

/** Long work stopped at a clean point because the user asked ({@link StopRequest}); the same command resumes it. */
public final class StopRequestedException extends SemiactiveException {
    private final int exitCode;

    StopRequestedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process's exit code: 128 + the signal's number, as if the signal had ended it (130 for Ctrl-C, 143 for SIGTERM). */
    public int exitCode() {
        return exitCode;
    }
}
