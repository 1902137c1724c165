package dev.semiactive.util;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A stop asked for by the user (Ctrl-C) or a scheduler (SIGTERM) while long work runs. The JVM's own answer to those
 * signals is to exit at once, and exiting while a thread computes inside libtorch ends in a SIGSEGV (the native
 * libraries are torn down under the computing thread): a crash report and an {@code hs_err_pid*.log} in the working
 * folder instead of a stop, and every training step since the last checkpoint lost. {@link #install()} replaces that
 * answer while work that can stop cleanly is running ({@link #enter()}: training steps, per-image passes): the first
 * signal sets a flag, which training turns into a checkpoint at the end of its current step and a
 * {@link StopRequestedException}, and per-image work into the exception after its current image; the command then
 * ends with one line and the exit code the signal would have given (128 + its number), and the same command resumes.
 * With no such work running, or at a second signal, the JVM exits as it would have.
 */
public final class StopRequest {
    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static volatile String signal;
    private static volatile int exitCode;

    private StopRequest() {
    }

    /** Takes over SIGINT and SIGTERM for this process (the CLI's entry point; tests use {@link #onSignal} instead). */
    public static void install() {
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal(s.getName(), s.getNumber(), System::exit));
            } catch (IllegalArgumentException e) {
                // the signal is not the JVM's to give (ignored by the parent, as SIGINT in a background job): it keeps its handling
            }
        }
    }

    /**
     * A signal arrived: while stoppable work runs and no stop is pending, ask it to stop; otherwise {@code exit} with
     * 128 + the signal's number (the JVM's own handling: shutdown hooks run, e.g. the annotation server's). Public so
     * that tests deliver a signal without sending one to the test JVM.
     */
    public static void onSignal(String name, int number, IntConsumer exit) {
        if (signal == null && ACTIVE.get() > 0) {
            exitCode = 128 + number;
            signal = "SIG" + name;
            System.err.println("semiactive: " + signal + ": stopping after the current step or image (training saves a checkpoint"
                    + " first); send it again to stop at once");
            System.err.flush();
        } else {
            exit.accept(128 + number);
        }
    }

    /** Whether a stop was asked for. */
    public static boolean requested() {
        return signal != null;
    }

    /** Throws the stop, with {@code what} (where the work stopped and how to go on), when one was asked for. */
    public static void throwIfRequested(Supplier<String> what) {
        if (signal != null) throw new StopRequestedException("stopped on request (" + signal + ") " + what.get(), exitCode);
    }

    /** Marks stoppable work as running until the scope is closed: a signal meanwhile asks it to stop. */
    public static Scope enter() {
        ACTIVE.incrementAndGet();
        return new Scope();
    }

    /** Clears a stop that was handled (tests; a process ends with its stop). */
    public static void reset() {
        signal = null;
        exitCode = 0;
    }

    /** The running work's scope; closing it twice counts once. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            ACTIVE.decrementAndGet();
        }
    }
}
