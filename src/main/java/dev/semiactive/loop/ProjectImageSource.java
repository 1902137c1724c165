package dev.semiactive.loop;

import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;
import dev.semiactive.store.PlarRefinement;
import dev.semiactive.store.ProjectStore;
import dev.semiactive.web.Pngs;
import dev.semiactive.web.ProjectImages;

import java.util.BitSet;
import java.util.Optional;

/**
 * {@link ProjectImages} over a project: the pool image at working resolution, and the newest scoring's
 * prediction and error mask ({@link ScoreFiles}) and PLAR's undecided pixels (the store, newest round
 * that has them).
 */
public final class ProjectImageSource implements ProjectImages {
    private final SegmentationDataset pool;
    private final ProjectStore store;
    private final ScoreFiles files;

    public ProjectImageSource(SegmentationDataset pool, ProjectStore store, ScoreFiles files) {
        this.pool = pool;
        this.store = store;
        this.files = files;
    }

    @Override
    public byte[] imagePng(String imageId) {
        Sample s = pool.load(imageId);
        return Pngs.fromChw(s.image(), s.channels(), s.height(), s.width());
    }

    @Override
    public Optional<int[]> prediction(String imageId) {
        return files.prediction(imageId);
    }

    @Override
    public Optional<BitSet> flagged(String imageId) {
        return files.flagged(imageId);
    }

    @Override
    public Optional<BitSet> undecided(String imageId) {
        for (int r = store.latestRound().orElse(0); r >= 1; r--) {
            Optional<PlarRefinement> p = store.plar(imageId, r);
            if (p.isPresent()) return Optional.of(p.get().undecided());
        }
        return Optional.empty();
    }
}
