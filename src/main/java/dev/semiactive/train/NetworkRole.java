package dev.semiactive.train;

/**
 * A network a {@link TrainingMethod} uses.
 *
 * @param name    unique key ("student", "friend", "teacher", "emd"); also its checkpoint file name
 * @param factory how to build it
 * @param seed    initialisation salt, mixed with the run seed (give Student and Friend different ones)
 * @param trained true = gets gradients and an optimiser; false = updated by the method itself (EMA
 *                teacher) or frozen. Both kinds are saved in checkpoints.
 */
public record NetworkRole(String name, NetworkFactory factory, long seed, boolean trained) {
    public NetworkRole {
        if (name == null || !name.matches("[a-z][a-z0-9_-]*"))
            throw new IllegalArgumentException("network name must be lower-case [a-z0-9_-], got " + name);
    }
}
