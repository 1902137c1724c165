package dev.semiactive.train;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code <run>/manifest.json}: what is needed to reproduce (or at least recognise) a run.
 *
 * @param formatVersion  1
 * @param config         the resolved configuration, as given by the caller
 * @param seed           run seed
 * @param versions       java, djl, pytorch, semiactive, and the cpu (model, cores, kernel-selecting extensions)
 * @param datasetHash    {@link #hashDataset} of the training data (null if not given)
 * @param labelSpaceHash SHA-256 of class names and palette (null if no dataset given)
 * @param labelSetHash   caller's hash of which pixels are labelled (active-learning round), nullable
 * @param initHash       {@link Checkpoint#hashParameters} of the weights {@code model.init} starts the run from, so
 *                       that runs sharing an init path can be told apart when its contents differ (a pretext
 *                       trained again); null when the run starts from its seeded initialisation (or manifests
 *                       from before this field)
 * @param round          active-learning round, nullable
 * @param gitCommit      HEAD of the working directory's repository, null outside one
 * @param host           host name
 * @param createdAt      ISO-8601
 * @param earlier        the other builds or machines that wrote this run's manifest before (a run resumed on another
 *                       machine, or under a newer commit), oldest first: {@link #write} carries them over from the
 *                       manifest it replaces, so a run that was trained in parts names every part's build, not only
 *                       its last one's; empty for a run written by one build on one machine (null in manifests from
 *                       before this field)
 */
public record RunManifest(int formatVersion, JsonNode config, long seed, Map<String, String> versions,
                          String datasetHash, String labelSpaceHash, String labelSetHash, String initHash, Integer round,
                          String gitCommit, String host, String createdAt, List<Build> earlier) {
    public static final String FILE = "manifest.json";
    /** Samples whose decoded content enters {@link #datasetHash}; all ids always do. */
    public static final int HASHED_SAMPLES = 64;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One build on one machine that wrote a run's manifest: what a seeded run's figures depend on besides its
     * config (versions hold the CPU, which picks oneDNN's kernels).
     */
    public record Build(String createdAt, String host, String gitCommit, Map<String, String> versions) {
        boolean sameAs(Build other) {
            return Objects.equals(host, other.host) && Objects.equals(gitCommit, other.gitCommit)
                    && Objects.equals(versions, other.versions);
        }
    }

    /** This manifest's own build. */
    public Build build() {
        return new Build(createdAt, host, gitCommit, versions);
    }

    /**
     * Writes {@code <runDir>/manifest.json} atomically, carrying over the builds that wrote the one it replaces
     * ({@link #earlier}): when that manifest is of the same seed (a resume, or an experiment's next round) and its
     * build or machine differs from this one's, it is added to them. A manifest of another seed is another run, and
     * its history is not carried.
     */
    public void write(Path runDir) {
        Json.writeAtomically(runDir.resolve(FILE), withHistoryOf(readIfPresent(runDir).orElse(null)));
    }

    /** This manifest with {@code previous}'s history carried over (see {@link #write}); {@code previous} may be null. */
    RunManifest withHistoryOf(RunManifest previous) {
        List<Build> history = new java.util.ArrayList<>();
        if (previous != null && previous.seed() == seed) {
            if (previous.earlier() != null) history.addAll(previous.earlier());
            if (!previous.build().sameAs(build())) history.add(previous.build());
        }
        return new RunManifest(formatVersion, config, seed, versions, datasetHash, labelSpaceHash, labelSetHash, initHash,
                round, gitCommit, host, createdAt, List.copyOf(history));
    }

    public static RunManifest read(Path runDir) {
        try {
            return Json.MAPPER.readValue(runDir.resolve(FILE).toFile(), RunManifest.class);
        } catch (IOException e) {
            throw new dev.semiactive.SemiactiveException("cannot read " + runDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The manifest of {@code runDir}, or empty when it has none yet or it cannot be read (nothing to compare with). */
    public static java.util.Optional<RunManifest> readIfPresent(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(FILE))) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(Json.MAPPER.readValue(runDir.resolve(FILE).toFile(), RunManifest.class));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The init hash a run folder's manifest recorded, or null (no manifest yet, none recorded, unreadable): a run
     * that rewrites its manifest (an experiment, after every round) keeps what it started from.
     */
    public static String initHashIn(Path runDir) {
        return readIfPresent(runDir).map(RunManifest::initHash).orElse(null);
    }

    /** The fields that go into a model.json's provenance. */
    public Map<String, Object> asProvenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("config", config);
        p.put("seed", seed);
        p.put("versions", versions);
        p.put("datasetHash", datasetHash);
        p.put("labelSpaceHash", labelSpaceHash);
        p.put("labelSetHash", labelSetHash);
        p.put("initHash", initHash);
        p.put("round", round);
        p.put("gitCommit", gitCommit);
        p.put("host", host);
        p.put("runCreatedAt", createdAt);
        p.put("earlierBuilds", earlier == null ? List.of() : earlier);
        return p;
    }

    /**
     * SHA-256 of a dataset as the model sees it: every id in order, the sample count, and the decoded
     * content (size, image floats, mask) of up to {@link #HASHED_SAMPLES} evenly spaced samples. Decoded
     * content rather than files, because datasets are resized/tiled views whose files are not exposed;
     * sampled rather than exhaustive so that hashing a pool of thousands of images costs seconds. It
     * detects another split, another resolution or preprocessing, and relabelled sampled images; a change
     * confined to unsampled images is not detected (the labelSetHash tracks label changes of a round).
     */
    public static String hashDataset(SegmentationDataset dataset) {
        MessageDigest d = sha256();
        List<String> ids = dataset.ids();
        update(d, "n=" + ids.size() + ";c=" + dataset.channels());
        for (String id : ids) update(d, id + "\n");
        int hashed = Math.min(HASHED_SAMPLES, ids.size());
        for (int i = 0; i < hashed; i++) {
            Sample s = dataset.load(ids.get((int) ((long) i * ids.size() / hashed)));
            update(d, s.id() + ":" + s.channels() + "x" + s.height() + "x" + s.width());
            ByteBuffer img = ByteBuffer.allocate(s.image().length * 4);
            img.asFloatBuffer().put(s.image());
            d.update(img);
            if (s.mask() != null) {
                ByteBuffer mask = ByteBuffer.allocate(s.mask().length * 4);
                mask.asIntBuffer().put(s.mask());
                d.update(mask);
            } else {
                update(d, "unlabelled");
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** SHA-256 of class names and palette. */
    public static String hashLabelSpace(LabelSpace labels) {
        MessageDigest d = sha256();
        for (int i = 0; i < labels.numClasses(); i++)
            update(d, labels.classNames().get(i) + "=" + Integer.toHexString(labels.paletteRgb().get(i)) + "\n");
        return HexFormat.of().formatHex(d.digest());
    }

    /** Library versions of this process. */
    public static Map<String, String> currentVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.version"));
        v.put("djl", Engine.getDjlVersion());
        v.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        String own = RunManifest.class.getPackage().getImplementationVersion();
        v.put("semiactive", own != null ? own : "dev");
        // not a library, but what decides the rounding of a seeded run besides them (MachineInfo)
        v.put("cpu", dev.semiactive.util.MachineInfo.cpu());
        return v;
    }

    /** HEAD commit of the git repository around {@code dir}, or null (no git, not a repository, timeout). */
    public static String gitCommit(Path dir) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String hashInit(Path init, Path runDir) {
        if (init == null) return null;
        String recorded = runDir == null ? null : initHashIn(runDir);
        if (recorded != null) return recorded;
        return Checkpoint.locateRunOrCheckpoint(init).map(Checkpoint::hashParameters).orElse(null);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
    }

    public static final class Builder {
        private JsonNode config;
        private Long seed;
        private SegmentationDataset dataset;
        private String labelSetHash;
        private Integer round;
        private Path init;
        private Path initRunDir;
        private Path gitDir = Path.of(".");

        /** The resolved configuration (e.g. {@code Json.MAPPER.valueToTree(map)}). */
        public Builder setConfig(JsonNode config) {
            this.config = config;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Training data: its hash and its label-space hash are recorded. */
        public Builder optDataset(SegmentationDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder optLabelSetHash(String labelSetHash) {
            this.labelSetHash = labelSetHash;
            return this;
        }

        public Builder optRound(Integer round) {
            this.round = round;
            return this;
        }

        /**
         * The run's {@code model.init} (a pretrain run folder or a checkpoint; null = none) and the folder the
         * manifest goes to: the hash of the init's weights is recorded, or the one {@code runDir}'s manifest already
         * holds (a run that rewrites its manifest, or resumes, keeps what it started from even if the init folder was
         * trained again since). An init that is not (yet) a complete checkpoint records null; training then stops on
         * it with its own message.
         */
        public Builder optInit(Path modelInit, Path runDir) {
            this.init = modelInit;
            this.initRunDir = runDir;
            return this;
        }

        /** Directory whose git HEAD is recorded (default: working directory). */
        public Builder optGitDirectory(Path dir) {
            this.gitDir = dir;
            return this;
        }

        public RunManifest build() {
            Objects.requireNonNull(config, "setConfig is required");
            Objects.requireNonNull(seed, "setSeed is required");
            return new RunManifest(1, config, seed, currentVersions(),
                    dataset == null ? null : hashDataset(dataset),
                    dataset == null ? null : hashLabelSpace(dataset.labels()),
                    labelSetHash, hashInit(init, initRunDir), round, gitCommit(gitDir), hostName(), Instant.now().toString(),
                    List.of());
        }
    }
}
