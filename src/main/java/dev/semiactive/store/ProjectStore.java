package dev.semiactive.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The project's durable state in one SQLite file (WAL mode): pool images, their region maps, rounds and
 * their phases, queries (with leases for the web UI), labels, PLAR refinements and per-round metrics.
 * Nothing the active-learning loop needs lives only in memory: label masks are DERIVED from the stored
 * labels ({@link #labelMask}), and a round's last completed phase tells a restarted process where to
 * resume.
 *
 * <p>Every write method is one transaction. Writes are idempotent where a resumed phase may repeat
 * them (images, region maps, queries and labels are insert-or-ignore / upsert); a region is labelled at
 * most once (the labels table is keyed by region id). One connection, methods synchronized: the web UI
 * opens its own store instance on the same file, which WAL allows.
 */
public final class ProjectStore implements AutoCloseable {
    /** Version of the schema this code writes and reads; stored in {@code meta.schema_version}. */
    public static final int SCHEMA_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ProjectStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] SCHEMA = {
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE images (id TEXT PRIMARY KEY, path TEXT NOT NULL, width INTEGER NOT NULL,"
            + " height INTEGER NOT NULL, hash TEXT NOT NULL)",
        "CREATE TABLE region_maps (image_id TEXT NOT NULL REFERENCES images(id), kind TEXT NOT NULL,"
            + " width INTEGER NOT NULL, height INTEGER NOT NULL, region_count INTEGER NOT NULL, map BLOB NOT NULL,"
            + " PRIMARY KEY (image_id, kind))",
        "CREATE TABLE regions (id TEXT PRIMARY KEY, image_id TEXT NOT NULL, kind TEXT NOT NULL,"
            + " idx INTEGER NOT NULL, x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL,"
            + " y1 INTEGER NOT NULL, pixel_count INTEGER NOT NULL,"
            + " FOREIGN KEY (image_id, kind) REFERENCES region_maps(image_id, kind))",
        "CREATE INDEX regions_by_image ON regions(image_id, kind, idx)",
        "CREATE TABLE rounds (round INTEGER PRIMARY KEY, phase TEXT NOT NULL, started_at INTEGER NOT NULL,"
            + " updated_at INTEGER NOT NULL)",
        "CREATE TABLE round_phases (round INTEGER NOT NULL REFERENCES rounds(round), phase TEXT NOT NULL,"
            + " completed_at INTEGER NOT NULL, PRIMARY KEY (round, phase))",
        "CREATE TABLE queries (region_id TEXT PRIMARY KEY REFERENCES regions(id), round INTEGER NOT NULL,"
            + " strategy TEXT NOT NULL, score REAL NOT NULL, rank INTEGER NOT NULL,"
            + " status TEXT NOT NULL CHECK (status IN ('pending','answered','skipped')),"
            + " lease_owner TEXT, lease_expiry INTEGER, created_at INTEGER NOT NULL)",
        "CREATE INDEX queries_by_status ON queries(status, round, rank)",
        "CREATE TABLE labels (region_id TEXT PRIMARY KEY REFERENCES regions(id),"
            + " image_id TEXT NOT NULL REFERENCES images(id), round INTEGER NOT NULL, labelled_by TEXT NOT NULL,"
            + " pixel_count INTEGER NOT NULL, dominant_class INTEGER, blob BLOB NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE INDEX labels_by_image ON labels(image_id, round)",
        "CREATE TABLE plar (image_id TEXT NOT NULL REFERENCES images(id), round INTEGER NOT NULL,"
            + " width INTEGER NOT NULL, height INTEGER NOT NULL, refined BLOB NOT NULL, undecided BLOB NOT NULL,"
            + " refined_count INTEGER NOT NULL, undecided_count INTEGER NOT NULL, PRIMARY KEY (image_id, round))",
        "CREATE TABLE metrics (round INTEGER NOT NULL, key TEXT NOT NULL, value_json TEXT NOT NULL,"
            + " PRIMARY KEY (round, key))",
    };

    private final Path file;
    private final Connection conn;
    private final Clock clock;
    // The last decoded region map: queries come grouped by image, so this saves re-inflating it per region.
    private String cachedMapKey;
    private int[] cachedMap;

    private ProjectStore(Path file, Connection conn, Clock clock) {
        this.file = file;
        this.conn = conn;
        this.clock = clock;
    }

    /** Opens (creating if absent) the project store at {@code file}, with the system clock. */
    public static ProjectStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** Opens the store; {@code clock} times leases and phase stamps (tests pass a fixed clock). */
    public static ProjectStore open(Path file, Clock clock) {
        Path abs = file.toAbsolutePath();
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        } catch (java.io.IOException e) {
            throw new SemiactiveException("project store " + abs + ": cannot create its folder (" + e.getMessage()
                + "): check the parent folder's permissions or pick another path", e);
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable across process kills in WAL mode (only an OS crash can lose the last commit).
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(10_000);
        Connection c;
        try {
            c = cfg.createConnection("jdbc:sqlite:" + abs);
        } catch (SQLException e) {
            throw new SemiactiveException("project store " + abs + " cannot be opened as an SQLite database (" + e.getMessage()
                + "): pick another path or check its permissions", e);
        }
        ProjectStore store = new ProjectStore(abs, c, clock);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path file() {
        return file;
    }

    // ------------------------------------------------------------------ schema

    private void migrate() {
        int version;
        try (Statement st = conn.createStatement()) {
            boolean hasMeta;
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'")) {
                hasMeta = rs.next();
            }
            if (!hasMeta) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type='table'")) {
                    if (rs.next() && rs.getInt(1) > 0)
                        throw new SemiactiveException("project store " + file + " is an SQLite file but not a semiactive project: pick another path");
                }
                version = 0;
            } else {
                try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key='schema_version'")) {
                    version = rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
                }
            }
        } catch (SQLException e) {
            throw new SemiactiveException("project store " + file + " is not a readable SQLite database (" + e.getMessage() + "): pick another path", e);
        }
        if (version > SCHEMA_VERSION)
            throw new SemiactiveException("project store " + file + " has schema version " + version
                + " but this semiactive reads up to " + SCHEMA_VERSION + ": upgrade semiactive");
        if (version == SCHEMA_VERSION) return;
        // Only version 0 (empty file) exists before 1; later versions add their migration steps here.
        tx(c -> {
            try (Statement st = c.createStatement()) {
                for (String ddl : SCHEMA) st.execute(ddl);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
                ps.setString(1, "schema_version");
                ps.setString(2, Integer.toString(SCHEMA_VERSION));
                ps.executeUpdate();
                ps.setString(1, "created_at");
                ps.setString(2, clock.instant().toString());
                ps.executeUpdate();
            }
            return null;
        });
        LOG.info("created project store {} (schema version {})", file, SCHEMA_VERSION);
    }

    /** The schema version recorded in the file. */
    public synchronized int schemaVersion() {
        return Integer.parseInt(meta("schema_version").orElseThrow());
    }

    /** SQLite's journal mode for this connection ("wal"). */
    public synchronized String journalMode() {
        return query("PRAGMA journal_mode", ps -> {
        }, rs -> rs.getString(1)).get(0);
    }

    public synchronized Optional<String> meta(String key) {
        return query("SELECT value FROM meta WHERE key = ?", ps -> ps.setString(1, key), rs -> rs.getString(1))
            .stream().findFirst();
    }

    public synchronized void putMeta(String key, String value) {
        update("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            ps -> {
                ps.setString(1, key);
                ps.setString(2, value);
            });
    }

    // ------------------------------------------------------------------ images

    /**
     * Adds pool images (one transaction). Re-adding an image with the same size is a no-op apart from
     * path/hash updates; a different size is refused because its regions and labels would no longer fit.
     */
    public synchronized void putImages(Collection<StoredImage> images) {
        tx(c -> {
            try (PreparedStatement find = c.prepareStatement("SELECT width, height FROM images WHERE id = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO images(id, path, width, height, hash) VALUES (?,?,?,?,?)"
                     + " ON CONFLICT(id) DO UPDATE SET path = excluded.path, hash = excluded.hash")) {
                for (StoredImage im : images) {
                    find.setString(1, im.id());
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next() && (rs.getInt(1) != im.width() || rs.getInt(2) != im.height()))
                            throw new SemiactiveException("image " + im.id() + " is " + im.width() + "x" + im.height()
                                + " but project store " + file + " has it as " + rs.getInt(1) + "x" + rs.getInt(2)
                                + ": use the same working resolution as when the project was created");
                    }
                    ins.setString(1, im.id());
                    ins.setString(2, im.path());
                    ins.setInt(3, im.width());
                    ins.setInt(4, im.height());
                    ins.setString(5, im.hash());
                    ins.executeUpdate();
                }
            }
            return null;
        });
    }

    public synchronized Optional<StoredImage> image(String id) {
        return query("SELECT id, path, width, height, hash FROM images WHERE id = ?", ps -> ps.setString(1, id),
            ProjectStore::readImage).stream().findFirst();
    }

    /** All pool images, sorted by id. */
    public synchronized List<StoredImage> images() {
        return query("SELECT id, path, width, height, hash FROM images ORDER BY id", ps -> {
        }, ProjectStore::readImage);
    }

    /** Total pixels of the pool: the denominator of the label budget. */
    public synchronized long poolPixels() {
        return query("SELECT coalesce(sum(width * height), 0) FROM images", ps -> {
        }, rs -> rs.getLong(1)).get(0);
    }

    private static StoredImage readImage(ResultSet rs) throws SQLException {
        return new StoredImage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5));
    }

    // ------------------------------------------------------------------ regions

    /**
     * Stores the region map of one image for one regionizer kind (label map: region index per pixel) and
     * its regions, in one transaction. Storing the same map again is a no-op; a DIFFERENT map for an
     * image that already has labels of that kind is refused (ids would then name other pixels).
     */
    public synchronized void putRegionMap(String imageId, String kind, int width, int height, int[] labelMap,
                                          List<StoredRegion> regions) {
        if (labelMap.length != width * height)
            throw new IllegalArgumentException("region map of " + imageId + " has " + labelMap.length + " pixels, not " + width + "x" + height);
        StoredImage im = image(imageId).orElseThrow(() -> new SemiactiveException(
            "image " + imageId + " is not in project store " + file + ": add it with putImages before its regions"));
        if (im.width() != width || im.height() != height)
            throw new SemiactiveException("region map of " + imageId + " is " + width + "x" + height + " but the image is "
                + im.width() + "x" + im.height() + " in project store " + file + ": regionize at the working resolution");
        byte[] blob = BlobCodec.encodeDense(labelMap);
        tx(c -> {
            byte[] old = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT map FROM region_maps WHERE image_id = ? AND kind = ?")) {
                ps.setString(1, imageId);
                ps.setString(2, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) old = rs.getBytes(1);
                }
            }
            if (old != null && Arrays.equals(old, blob)) return null;
            if (old != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM labels l JOIN regions r ON r.id = l.region_id"
                    + " WHERE r.image_id = ? AND r.kind = ?")) {
                    ps.setString(1, imageId);
                    ps.setString(2, kind);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getInt(1) > 0)
                            throw new SemiactiveException("image " + imageId + " already has labelled " + kind + " regions in project store "
                                + file + " and its new " + kind + " region map differs: keep the regionizer settings of the project");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO region_maps(image_id, kind, width, height, region_count, map)"
                + " VALUES (?,?,?,?,?,?) ON CONFLICT(image_id, kind) DO UPDATE SET region_count = excluded.region_count, map = excluded.map")) {
                ps.setString(1, imageId);
                ps.setString(2, kind);
                ps.setInt(3, width);
                ps.setInt(4, height);
                ps.setInt(5, regions.size());
                ps.setBytes(6, blob);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO regions(id, image_id, kind, idx, x0, y0, x1, y1, pixel_count)"
                + " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET idx = excluded.idx, x0 = excluded.x0, y0 = excluded.y0,"
                + " x1 = excluded.x1, y1 = excluded.y1, pixel_count = excluded.pixel_count")) {
                for (StoredRegion r : regions) {
                    if (!r.imageId().equals(imageId) || !r.kind().equals(kind))
                        throw new IllegalArgumentException("region " + r.id() + " is not a " + kind + " region of " + imageId);
                    ps.setString(1, r.id());
                    ps.setString(2, imageId);
                    ps.setString(3, kind);
                    ps.setInt(4, r.index());
                    ps.setInt(5, r.x0());
                    ps.setInt(6, r.y0());
                    ps.setInt(7, r.x1());
                    ps.setInt(8, r.y1());
                    ps.setInt(9, r.pixelCount());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        if ((imageId + "\n" + kind).equals(cachedMapKey)) cachedMapKey = null;
    }

    /** Whether the image already has a stored region map of this kind (a resumed run skips regionizing it). */
    public synchronized boolean hasRegionMap(String imageId, String kind) {
        return !query("SELECT 1 FROM region_maps WHERE image_id = ? AND kind = ?", ps -> {
            ps.setString(1, imageId);
            ps.setString(2, kind);
        }, rs -> 1).isEmpty();
    }

    /** The stored label map (region index per pixel) of an image, or empty. */
    public synchronized Optional<int[]> regionMap(String imageId, String kind) {
        String key = imageId + "\n" + kind;
        if (key.equals(cachedMapKey)) return Optional.of(cachedMap.clone());
        List<byte[]> blobs = query("SELECT map FROM region_maps WHERE image_id = ? AND kind = ?", ps -> {
            ps.setString(1, imageId);
            ps.setString(2, kind);
        }, rs -> rs.getBytes(1));
        if (blobs.isEmpty()) return Optional.empty();
        cachedMap = BlobCodec.decodeDense(blobs.get(0));
        cachedMapKey = key;
        return Optional.of(cachedMap.clone());
    }

    public synchronized Optional<StoredRegion> region(String regionId) {
        return query("SELECT id, image_id, kind, idx, x0, y0, x1, y1, pixel_count FROM regions WHERE id = ?",
            ps -> ps.setString(1, regionId), ProjectStore::readRegion).stream().findFirst();
    }

    /** The regions of one image (all kinds), by kind then index. */
    public synchronized List<StoredRegion> regions(String imageId) {
        return query("SELECT id, image_id, kind, idx, x0, y0, x1, y1, pixel_count FROM regions WHERE image_id = ? ORDER BY kind, idx",
            ps -> ps.setString(1, imageId), ProjectStore::readRegion);
    }

    /** The pixels of a stored region, read from its image's stored region map. */
    public synchronized RegionPixels regionPixels(String regionId) {
        StoredRegion r = region(regionId).orElseThrow(() -> new SemiactiveException(
            "region " + regionId + " is not in project store " + file + ": store its image's region map first"));
        StoredImage im = image(r.imageId()).orElseThrow();
        String key = r.imageId() + "\n" + r.kind();
        if (!key.equals(cachedMapKey)) regionMap(r.imageId(), r.kind());
        int[] map = cachedMap;
        int[] px = new int[r.pixelCount()];
        int n = 0;
        for (int y = r.y0(); y < r.y1(); y++) {
            int row = y * im.width();
            for (int x = r.x0(); x < r.x1(); x++) {
                if (map[row + x] == r.index()) {
                    if (n == px.length) throw new IllegalStateException("region " + regionId + " has more pixels than recorded");
                    px[n++] = row + x;
                }
            }
        }
        if (n != px.length) throw new IllegalStateException("region " + regionId + " has " + n + " pixels in its map, " + px.length + " recorded");
        return new RegionPixels(regionId, r.imageId(), im.width(), im.height(), px);
    }

    private static StoredRegion readRegion(ResultSet rs) throws SQLException {
        return new StoredRegion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
            rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9));
    }

    // ------------------------------------------------------------------ rounds

    /**
     * Opens round {@code round} (idempotent) and returns its last completed phase: {@link RoundPhase#STARTED}
     * for a new round, or wherever a killed process left it. Round 0 opens first; round r > 0 only once
     * round r-1 is DONE.
     */
    public synchronized RoundPhase beginRound(int round) {
        if (round < 0) throw new IllegalArgumentException("round " + round + " < 0");
        return tx(c -> {
            Optional<RoundPhase> existing = phaseOf(c, round);
            if (existing.isPresent()) return existing.get();
            if (round > 0) {
                Optional<RoundPhase> prev = phaseOf(c, round - 1);
                if (prev.isEmpty() || prev.get() != RoundPhase.DONE)
                    throw new SemiactiveException("round " + round + " cannot start in project store " + file + ": round " + (round - 1)
                        + " is " + prev.map(p -> "at phase '" + p.dbName() + "'").orElse("missing") + "; finish it first");
            }
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rounds(round, phase, started_at, updated_at) VALUES (?,?,?,?)")) {
                ps.setInt(1, round);
                ps.setString(2, RoundPhase.STARTED.dbName());
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            stampPhase(c, round, RoundPhase.STARTED, now);
            return RoundPhase.STARTED;
        });
    }

    /**
     * Records that {@code phase} of {@code round} is complete. Completing a phase already reached is a
     * no-op (a resumed process may repeat it); phases only move forward (jumps are allowed: round 0
     * neither trains nor scores).
     */
    public synchronized void completePhase(int round, RoundPhase phase) {
        tx(c -> {
            RoundPhase current = phaseOf(c, round).orElseThrow(() -> new IllegalStateException("round " + round + " was never begun"));
            if (current.reached(phase)) return null;
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement("UPDATE rounds SET phase = ?, updated_at = ? WHERE round = ?")) {
                ps.setString(1, phase.dbName());
                ps.setLong(2, now);
                ps.setInt(3, round);
                ps.executeUpdate();
            }
            stampPhase(c, round, phase, now);
            return null;
        });
    }

    /** The last completed phase of a round, or empty if it was never begun. */
    public synchronized Optional<RoundPhase> roundPhase(int round) {
        try {
            return phaseOf(conn, round);
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    /** When each completed phase of a round was completed. */
    public synchronized Map<RoundPhase, Instant> phaseTimes(int round) {
        Map<RoundPhase, Instant> out = new EnumMap<>(RoundPhase.class);
        query("SELECT phase, completed_at FROM round_phases WHERE round = ?", ps -> ps.setInt(1, round),
            rs -> out.put(RoundPhase.fromDb(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2))));
        return out;
    }

    /** The highest round begun, or empty for a fresh project. */
    public synchronized OptionalInt latestRound() {
        List<Integer> r = query("SELECT max(round) FROM rounds", ps -> {
        }, rs -> rs.getObject(1) == null ? null : rs.getInt(1));
        return r.isEmpty() || r.get(0) == null ? OptionalInt.empty() : OptionalInt.of(r.get(0));
    }

    public synchronized List<RoundRecord> rounds() {
        return query("SELECT round, phase, started_at, updated_at FROM rounds ORDER BY round", ps -> {
        }, rs -> new RoundRecord(rs.getInt(1), RoundPhase.fromDb(rs.getString(2)),
            Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4))));
    }

    private static Optional<RoundPhase> phaseOf(Connection c, int round) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT phase FROM rounds WHERE round = ?")) {
            ps.setInt(1, round);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RoundPhase.fromDb(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static void stampPhase(Connection c, int round, RoundPhase phase, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO round_phases(round, phase, completed_at) VALUES (?,?,?)")) {
            ps.setInt(1, round);
            ps.setString(2, phase.dbName());
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ queries

    /** A region to ask, as a round's selection produced it. */
    public record NewQuery(String regionId, double score, int rank) {
    }

    /**
     * Stores a round's selection as pending queries (one transaction). A region already queried (in this
     * or any earlier round) is left as it is, so re-running the query phase after a kill adds nothing
     * twice. Returns how many were added.
     */
    public synchronized int addQueries(int round, String strategy, List<NewQuery> queries) {
        return tx(c -> insertQueries(c, round, strategy, queries));
    }

    private int insertQueries(Connection c, int round, String strategy, List<NewQuery> queries) throws SQLException {
        requireRound(c, round);
        int added = 0;
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO queries(region_id, round, strategy, score, rank, status, created_at)"
            + " VALUES (?,?,?,?,?,'pending',?)")) {
            for (NewQuery q : queries) {
                requireRegion(c, q.regionId());
                ps.setString(1, q.regionId());
                ps.setInt(2, round);
                ps.setString(3, strategy);
                ps.setDouble(4, q.score());
                ps.setInt(5, q.rank());
                ps.setLong(6, now);
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    /**
     * Stores a round's selection AND marks the round {@link RoundPhase#QUERIED}, in one transaction: a
     * process killed before this commit re-selects from scratch, one killed after it finds the queries
     * (so a resumed round never selects twice or spends the budget twice).
     */
    public synchronized int commitSelection(int round, String strategy, List<NewQuery> queries) {
        return tx(c -> {
            RoundPhase current = phaseOf(c, round).orElseThrow(() -> new IllegalStateException("round " + round + " was never begun"));
            if (current.reached(RoundPhase.QUERIED)) return 0;
            int added = insertQueries(c, round, strategy, queries);
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement("UPDATE rounds SET phase = ?, updated_at = ? WHERE round = ?")) {
                ps.setString(1, RoundPhase.QUERIED.dbName());
                ps.setLong(2, now);
                ps.setInt(3, round);
                ps.executeUpdate();
            }
            stampPhase(c, round, RoundPhase.QUERIED, now);
            return added;
        });
    }

    /** The queries of a round, by rank. */
    public synchronized List<QueryRecord> queries(int round) {
        return query(QUERY_COLUMNS + " WHERE round = ? ORDER BY rank, region_id", ps -> ps.setInt(1, round), ProjectStore::readQuery);
    }

    /** All queries with a status, oldest round first, by rank. */
    public synchronized List<QueryRecord> queries(QueryStatus status) {
        return query(QUERY_COLUMNS + " WHERE status = ? ORDER BY round, rank, region_id", ps -> ps.setString(1, status.dbName()),
            ProjectStore::readQuery);
    }

    public synchronized Optional<QueryRecord> queryOf(String regionId) {
        return query(QUERY_COLUMNS + " WHERE region_id = ?", ps -> ps.setString(1, regionId), ProjectStore::readQuery).stream().findFirst();
    }

    /**
     * Leases the best pending query that nobody holds (no lease, or an expired one) to {@code owner} for
     * {@code lease}; empty when none is free. The web UI calls this per annotator; a lease that lapses
     * (tab closed) makes the region available to the next caller.
     */
    public synchronized Optional<QueryRecord> leaseNext(String owner, Duration lease) {
        if (owner == null || owner.isEmpty()) throw new IllegalArgumentException("lease owner must not be empty");
        long now = clock.millis();
        Optional<String> id = tx(c -> {
            String regionId = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT region_id FROM queries WHERE status = 'pending'"
                + " AND (lease_expiry IS NULL OR lease_expiry <= ?) ORDER BY round, rank, region_id LIMIT 1")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) regionId = rs.getString(1);
                }
            }
            if (regionId == null) return Optional.<String>empty();
            try (PreparedStatement ps = c.prepareStatement("UPDATE queries SET lease_owner = ?, lease_expiry = ? WHERE region_id = ?")) {
                ps.setString(1, owner);
                ps.setLong(2, now + lease.toMillis());
                ps.setString(3, regionId);
                ps.executeUpdate();
            }
            return Optional.of(regionId);
        });
        return id.flatMap(this::queryOf);
    }

    /** Gives a lease back early (annotator moved on). Only its owner can release it. */
    public synchronized boolean releaseLease(String regionId, String owner) {
        return update("UPDATE queries SET lease_owner = NULL, lease_expiry = NULL WHERE region_id = ? AND lease_owner = ? AND status = 'pending'",
            ps -> {
                ps.setString(1, regionId);
                ps.setString(2, owner);
            }) > 0;
    }

    /** Marks a pending query skipped (the annotator cannot label it); it is never asked again. */
    public synchronized boolean skipQuery(String regionId) {
        return update("UPDATE queries SET status = 'skipped', lease_owner = NULL, lease_expiry = NULL WHERE region_id = ? AND status = 'pending'",
            ps -> ps.setString(1, regionId)) > 0;
    }

    /** Regions ever put to an oracle (any status): a selection must not pick them again. */
    public synchronized Set<String> queriedRegionIds() {
        return new HashSet<>(query("SELECT region_id FROM queries", ps -> {
        }, rs -> rs.getString(1)));
    }

    /** Number of pending queries of a round. */
    public synchronized int pendingCount(int round) {
        return query("SELECT count(*) FROM queries WHERE round = ? AND status = 'pending'", ps -> ps.setInt(1, round),
            rs -> rs.getInt(1)).get(0);
    }

    private static final String QUERY_COLUMNS =
        "SELECT region_id, round, strategy, score, rank, status, lease_owner, lease_expiry FROM queries";

    private static QueryRecord readQuery(ResultSet rs) throws SQLException {
        long exp = rs.getLong(8);
        Instant expiry = rs.wasNull() ? null : Instant.ofEpochMilli(exp);
        return new QueryRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getDouble(4), rs.getInt(5),
            QueryStatus.fromDb(rs.getString(6)), rs.getString(7), expiry);
    }

    // ------------------------------------------------------------------ labels

    /**
     * Stores the labels of regions in round {@code round} and marks their queries answered, in one
     * transaction. A region that already has a label keeps it (a region is never labelled twice; a
     * resumed labelling phase repeats nothing). Returns how many labels were added.
     */
    public synchronized int addLabels(int round, List<RegionLabel> labels) {
        return tx(c -> {
            requireRound(c, round);
            int added = 0;
            long now = clock.millis();
            try (PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO labels(region_id, image_id, round, labelled_by,"
                + " pixel_count, dominant_class, blob, created_at) VALUES (?,?,?,?,?,?,?,?)");
                 PreparedStatement answered = c.prepareStatement("UPDATE queries SET status = 'answered', lease_owner = NULL,"
                     + " lease_expiry = NULL WHERE region_id = ?")) {
                for (RegionLabel l : labels) {
                    checkLabelFits(c, l);
                    ins.setString(1, l.regionId());
                    ins.setString(2, l.imageId());
                    ins.setInt(3, round);
                    ins.setString(4, l.labelledBy());
                    ins.setInt(5, l.pixels().length);
                    if (l.isDominantOnly()) ins.setInt(6, l.dominantClass());
                    else ins.setNull(6, java.sql.Types.INTEGER);
                    ins.setBytes(7, BlobCodec.encodeSparse(l.pixels(), l.labels()));
                    ins.setLong(8, now);
                    int n = ins.executeUpdate();
                    added += n;
                    if (n > 0) {
                        answered.setString(1, l.regionId());
                        answered.executeUpdate();
                    }
                }
            }
            return added;
        });
    }

    /** Convenience for one label; true if it was added (false: the region already had one). */
    public boolean addLabel(int round, RegionLabel label) {
        return addLabels(round, List.of(label)) == 1;
    }

    private void checkLabelFits(Connection c, RegionLabel l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.image_id, i.width * i.height FROM regions r JOIN images i ON i.id = r.image_id WHERE r.id = ?")) {
            ps.setString(1, l.regionId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new SemiactiveException("region " + l.regionId() + " is not in project store " + file + ": store its image's region map first");
                if (!rs.getString(1).equals(l.imageId()))
                    throw new IllegalArgumentException("label of region " + l.regionId() + " names image " + l.imageId() + " but the region is in " + rs.getString(1));
                if (l.pixels()[l.pixels().length - 1] >= rs.getLong(2))
                    throw new IllegalArgumentException("label of region " + l.regionId() + " reaches pixel " + l.pixels()[l.pixels().length - 1]
                        + " beyond its image (" + rs.getLong(2) + " pixels)");
            }
        }
    }

    /** The label of one region, if it has one. */
    public synchronized Optional<RegionLabel> label(String regionId) {
        return query("SELECT region_id, image_id, labelled_by, dominant_class, blob FROM labels WHERE region_id = ?",
            ps -> ps.setString(1, regionId), ProjectStore::readLabel).stream().findFirst();
    }

    /**
     * An answer from outside the loop (the web UI): stores the label in the round of the region's query
     * and marks the query answered. False if the region already had a label (two annotators raced: the
     * first answer stands). The region must have been queried.
     */
    public synchronized boolean submitAnswer(RegionLabel label) {
        QueryRecord q = queryOf(label.regionId()).orElseThrow(() -> new SemiactiveException(
            "region " + label.regionId() + " was never queried in project store " + file + ": answer only queued regions"));
        return addLabel(q.round(), label);
    }

    /** Ids of all labelled regions. */
    public synchronized Set<String> labelledRegionIds() {
        return new HashSet<>(query("SELECT region_id FROM labels", ps -> {
        }, rs -> rs.getString(1)));
    }

    public synchronized boolean isLabelled(String regionId) {
        return !query("SELECT 1 FROM labels WHERE region_id = ?", ps -> ps.setString(1, regionId), rs -> 1).isEmpty();
    }

    /** The labels added in a round, decoded. */
    public synchronized List<RegionLabel> labels(int round) {
        return query("SELECT region_id, image_id, labelled_by, dominant_class, blob FROM labels WHERE round = ? ORDER BY region_id",
            ps -> ps.setInt(1, round), ProjectStore::readLabel);
    }

    private static RegionLabel readLabel(ResultSet rs) throws SQLException {
        BlobCodec.Sparse s = BlobCodec.decodeSparse(rs.getBytes(5));
        int dom = rs.getInt(4);
        if (rs.wasNull()) dom = -1;
        return new RegionLabel(rs.getString(1), rs.getString(2), s.pixels(), s.values(), dom, rs.getString(3));
    }

    /** The label mask of an image composed from ALL its stored labels. */
    public int[] labelMask(String imageId, int width, int height) {
        return labelMask(imageId, width, height, Integer.MAX_VALUE);
    }

    /**
     * The label mask of an image composed from its labels of rounds {@code <= upToRound}: class per pixel,
     * {@link LabelSpace#IGNORE} where nothing is labelled. Labels apply in round order, so if regions of
     * different kinds overlap the later label wins.
     */
    public synchronized int[] labelMask(String imageId, int width, int height, int upToRound) {
        image(imageId).ifPresent(im -> {
            if (im.width() != width || im.height() != height)
                throw new SemiactiveException("label mask of " + imageId + " asked at " + width + "x" + height + " but project store "
                    + file + " has the image at " + im.width() + "x" + im.height() + ": use the working resolution");
        });
        int[] mask = new int[width * height];
        Arrays.fill(mask, LabelSpace.IGNORE);
        query("SELECT blob FROM labels WHERE image_id = ? AND round <= ? ORDER BY round, rowid", ps -> {
            ps.setString(1, imageId);
            ps.setInt(2, upToRound);
        }, rs -> {
            BlobCodec.decodeSparseInto(rs.getBytes(1), mask);
            return null;
        });
        return mask;
    }

    /** Label cost over all rounds. */
    public LabelStats labelStats() {
        return labelStats(Integer.MAX_VALUE);
    }

    /** Label cost of rounds {@code <= upToRound}: pixels, regions (clicks) and images touched. */
    public synchronized LabelStats labelStats(int upToRound) {
        return query("SELECT coalesce(sum(pixel_count), 0), count(*), count(DISTINCT image_id) FROM labels WHERE round <= ?",
            ps -> ps.setInt(1, upToRound), rs -> new LabelStats(rs.getLong(1), rs.getLong(2), rs.getLong(3))).get(0);
    }

    /**
     * Labelled pixels per class of rounds {@code fromRound..toRound}: {@code numClasses} counts, then void
     * ({@link LabelSpace#IGNORE}) last. A stored value outside the classes is an error naming the region.
     */
    public synchronized long[] labelledClassPixels(int fromRound, int toRound, int numClasses) {
        long[] counts = new long[numClasses + 1];
        query("SELECT region_id, blob FROM labels WHERE round BETWEEN ? AND ?", ps -> {
            ps.setInt(1, fromRound);
            ps.setInt(2, toRound);
        }, rs -> {
            for (int v : BlobCodec.decodeSparse(rs.getBytes(2)).values()) {
                if (v == LabelSpace.IGNORE) counts[numClasses]++;
                else if (v >= 0 && v < numClasses) counts[v]++;
                else throw new SemiactiveException("label " + v + " of region " + rs.getString(1) + " in project store " + file
                        + " is outside the " + numClasses + " classes: the store belongs to another label set");
            }
            return null;
        });
        return counts;
    }

    /** Ids of images with at least one label. */
    public synchronized Set<String> labelledImageIds() {
        return new HashSet<>(query("SELECT DISTINCT image_id FROM labels", ps -> {
        }, rs -> rs.getString(1)));
    }

    // ------------------------------------------------------------------ PLAR

    /** Stores (or replaces, on a resumed scoring phase) the PLAR outcome of one image in one round. */
    public synchronized void putPlar(PlarRefinement p) {
        update("INSERT INTO plar(image_id, round, width, height, refined, undecided, refined_count, undecided_count)"
            + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(image_id, round) DO UPDATE SET width = excluded.width, height = excluded.height,"
            + " refined = excluded.refined, undecided = excluded.undecided, refined_count = excluded.refined_count,"
            + " undecided_count = excluded.undecided_count", ps -> {
            ps.setString(1, p.imageId());
            ps.setInt(2, p.round());
            ps.setInt(3, p.width());
            ps.setInt(4, p.height());
            ps.setBytes(5, BlobCodec.encodeDense(p.refined()));
            ps.setBytes(6, BlobCodec.encodeBits(p.undecided()));
            ps.setInt(7, p.refinedCount());
            ps.setInt(8, p.undecidedCount());
        });
    }

    public synchronized Optional<PlarRefinement> plar(String imageId, int round) {
        return query("SELECT width, height, refined, undecided FROM plar WHERE image_id = ? AND round = ?", ps -> {
            ps.setString(1, imageId);
            ps.setInt(2, round);
        }, rs -> new PlarRefinement(imageId, round, rs.getInt(1), rs.getInt(2), BlobCodec.decodeDense(rs.getBytes(3)),
            BlobCodec.decodeBits(rs.getBytes(4)))).stream().findFirst();
    }

    /** Totals of a round's PLAR outcomes: {images, refined pixels, undecided pixels}. */
    public synchronized long[] plarTotals(int round) {
        return query("SELECT count(*), coalesce(sum(refined_count), 0), coalesce(sum(undecided_count), 0) FROM plar WHERE round = ?",
            ps -> ps.setInt(1, round), rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
    }

    // ------------------------------------------------------------------ metrics

    /** Stores a metric of a round (any Jackson-serialisable value), replacing an earlier value of the key. */
    public synchronized void putMetric(int round, String key, Object value) {
        putMetrics(round, Map.of(key, value));
    }

    /** Stores several metrics of a round in one transaction. */
    public synchronized void putMetrics(int round, Map<String, ?> values) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics(round, key, value_json) VALUES (?,?,?)"
                + " ON CONFLICT(round, key) DO UPDATE SET value_json = excluded.value_json")) {
                for (Map.Entry<String, ?> e : values.entrySet()) {
                    ps.setInt(1, round);
                    ps.setString(2, e.getKey());
                    try {
                        ps.setString(3, JSON.writeValueAsString(e.getValue()));
                    } catch (JsonProcessingException ex) {
                        throw new IllegalArgumentException("metric " + e.getKey() + " is not JSON-serialisable: " + ex.getMessage(), ex);
                    }
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The metrics of a round, by key. */
    public synchronized Map<String, JsonNode> metrics(int round) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        query("SELECT key, value_json FROM metrics WHERE round = ? ORDER BY key", ps -> ps.setInt(1, round), rs -> {
            try {
                out.put(rs.getString(1), JSON.readTree(rs.getString(2)));
            } catch (JsonProcessingException e) {
                throw new SemiactiveException("metric " + rs.getString(1) + " of round " + round + " in project store " + file + " is not valid JSON", e);
            }
            return null;
        });
        return out;
    }

    // ------------------------------------------------------------------ plumbing

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing project store {}: {}", file, e.getMessage());
        }
    }

    private void requireRound(Connection c, int round) throws SQLException {
        if (phaseOf(c, round).isEmpty())
            throw new IllegalStateException("round " + round + " was never begun in project store " + file);
    }

    private void requireRegion(Connection c, String regionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM regions WHERE id = ?")) {
            ps.setString(1, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new SemiactiveException("region " + regionId + " is not in project store " + file + ": store its image's region map first");
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T tx(SqlWork<T> work) {
        try {
            conn.setAutoCommit(false);
            try {
                T out = work.run(conn);
                conn.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private int update(String sql, Binder binder) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(reader.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private SemiactiveException fail(SQLException e) {
        return new SemiactiveException("project store " + file + ": " + e.getMessage(), e);
    }
}
