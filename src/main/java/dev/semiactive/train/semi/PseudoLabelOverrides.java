package dev.semiactive.train.semi;

import dev.semiactive.SemiactiveException;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.data.Sample;
import dev.semiactive.data.SegmentationDataset;

import java.util.List;

/**
 * Pseudo-labels that replace the Teacher's on chosen pixels of unlabelled images: the labels PLAR refined
 * in the last active-learning round (SPEC: "pixels refined by PLAR use the PLAR label", whether or not the
 * error mask flags them).
 *
 * <p>Looked up when an unlabelled image is loaded, before augmentation, so the refined labels go through the
 * same random scale, crop and flip (and CutMix) as the image. Called from the batch loader's threads:
 * implementations must be thread-safe (e.g. read from an immutable map or a thread-safe store).
 */
@FunctionalInterface
public interface PseudoLabelOverrides {
    /**
     * The refined labels of an unlabelled image at the dataset's working resolution, row-major {@code H*W},
     * {@link LabelSpace#IGNORE} (255) where nothing was refined; null when the image has no refinement.
     */
    int[] refined(String imageId);

    /** No refinements (plain TSF training). */
    static PseudoLabelOverrides none() {
        return id -> null;
    }

    /**
     * A view of {@code unlabelled} whose samples carry their refined labels as masks (null mask = none);
     * the images themselves are unchanged.
     */
    static SegmentationDataset attach(SegmentationDataset unlabelled, PseudoLabelOverrides overrides) {
        return new SegmentationDataset() {
            @Override
            public LabelSpace labels() {
                return unlabelled.labels();
            }

            @Override
            public int channels() {
                return unlabelled.channels();
            }

            @Override
            public List<String> ids() {
                return unlabelled.ids();
            }

            @Override
            public Sample load(String id) {
                Sample s = unlabelled.load(id);
                int[] refined = overrides.refined(id);
                if (refined == null) return s.withMask(null);
                if (refined.length != s.height() * s.width())
                    throw new SemiactiveException("refined labels of unlabelled image " + id + " hold " + refined.length
                            + " pixels but the image is " + s.width() + "x" + s.height()
                            + ": refinements must be made at the training resolution");
                return s.withMask(refined);
            }

            @Override
            public String describe() {
                return unlabelled.describe() + " with refined pseudo-labels";
            }
        };
    }
}
