package dev.semiactive.util;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Progress of long work over a known number of items (images scored, refined, predicted): a bar on a terminal, as
 * training shows its steps, and otherwise a line every {@code logEvery} items and one at the end, so that a pool of
 * thousands of images shows where it is in a terminal and in a log file alike.
 */
public final class WorkProgress implements AutoCloseable {
    private final String task;
    private final long total;
    private final long logEvery;
    private final Consumer<String> lines;
    private final Supplier<String> detail;
    private final ProgressBar bar;
    private long done;
    private final StopRequest.Scope stoppable;

    private WorkProgress(String task, long total, long start, long logEvery, Consumer<String> lines, Supplier<String> detail, boolean onTerminal) {
        if (total < 0 || start < 0 || start > total) throw new IllegalArgumentException("start " + start + " of " + total + " items");
        if (logEvery < 1) throw new IllegalArgumentException("logEvery must be at least 1, got " + logEvery);
        this.task = task;
        this.total = total;
        this.logEvery = logEvery;
        this.lines = lines;
        this.detail = detail;
        this.done = start;
        this.bar = onTerminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build() : null;
        this.stoppable = StopRequest.enter();    // last: a constructor that throws leaves no work marked as running
    }

    /**
     * Work of {@code total} items, {@code start} of them done already (a resumed pass): a bar when this process has a
     * terminal, else lines to {@code lines} (a logger's info).
     */
    public static WorkProgress start(String task, long total, long start, long logEvery, Consumer<String> lines) {
        return start(task, total, start, logEvery, lines, () -> "", System.console() != null);
    }

    /**
     * @param detail     appended to each line (e.g. the resident memory), empty for nothing
     * @param onTerminal a bar instead of lines
     */
    public static WorkProgress start(String task, long total, long start, long logEvery, Consumer<String> lines,
                                     Supplier<String> detail, boolean onTerminal) {
        return new WorkProgress(task, total, start, logEvery, lines, detail, onTerminal);
    }

    /** {@code done} items are done now (it never goes back): a line when it crosses a multiple of logEvery or ends the work. */
    public void stepTo(long done) {
        if (done < this.done || done > total)
            throw new IllegalArgumentException(task + ": " + done + " items done after " + this.done + " of " + total);
        long before = this.done;
        this.done = done;
        if (bar != null) bar.stepTo(done);
        else if (done > before && (done / logEvery > before / logEvery || done == total))
            lines.accept(task + ": " + done + " of " + total + detail.get());
        if (done < total) StopRequest.throwIfRequested(() -> "after " + done + " of " + total + " items (" + task + ")");
    }

    public long done() {
        return done;
    }

    @Override
    public void close() {
        stoppable.close();
        if (bar != null) bar.close();
    }
}
