package dev.semiactive.bench;

import dev.semiactive.SemiactiveException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a worker measures; {@link #id()} is the name both workers take on their command line. */
public enum BenchMode {
    /** Supervised training step. */
    TRAIN("train"),
    /** Teacher-Student-Friend training step (three networks and the EMD). */
    TSF("tsf"),
    /** Pool scoring of one batch (inference, features, error mask, PLAR), timed per batch. */
    SCORE("score"),
    /** Pool scoring streamed over a whole synthetic pool: total time and peak memory. */
    POOL("pool");

    private final String id;

    BenchMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static BenchMode fromId(String id) {
        for (BenchMode m : values()) if (m.id.equals(id.trim().toLowerCase(Locale.ROOT))) return m;
        throw new SemiactiveException("unknown benchmark mode '" + id + "': use one of "
                + Arrays.stream(values()).map(BenchMode::id).collect(Collectors.joining(", ")));
    }
}
