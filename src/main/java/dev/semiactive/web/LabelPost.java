package dev.semiactive.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.data.LabelSpace;
import dev.semiactive.store.RegionLabel;
import dev.semiactive.store.RegionPixels;
import dev.semiactive.store.StoredRegion;

import java.util.BitSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A posted label, parsed but not yet checked against its region: either one class for the whole region
 * ({@code {"annotator": "ann", "class": 2}}) or a class per pixel of the region's bounding box, row-major
 * ({@code {"annotator": "ann", "classes": [...]}}), with {@link LabelSpace#IGNORE} (255) outside the
 * region and for region pixels the annotator calls void.
 */
final class LabelPost {
    private static final Set<String> FIELDS = Set.of("annotator", "class", "classes");

    private final String annotator;
    private final Integer wholeClass;
    private final int[] boxClasses;

    private LabelPost(String annotator, Integer wholeClass, int[] boxClasses) {
        this.annotator = annotator;
        this.wholeClass = wholeClass;
        this.boxClasses = boxClasses;
    }

    String annotator() {
        return annotator;
    }

    /** Parses the request body; everything wrong with its shape is a 400 that names the field. */
    static LabelPost parse(JsonNode body) {
        if (body == null || !body.isObject())
            throw ApiException.badRequest("label body must be a JSON object {\"annotator\": ..., \"class\": K} or {\"annotator\": ..., \"classes\": [...]}");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw ApiException.badRequest("unknown field '" + f + "' in label: expected annotator and either class or classes");
        }
        String annotator = Annotators.require(body.get("annotator"));
        JsonNode cls = body.get("class");
        JsonNode classes = body.get("classes");
        if ((cls == null) == (classes == null))
            throw ApiException.badRequest("label needs exactly one of 'class' (whole region) or 'classes' (per pixel of the region's bounding box)");
        if (cls != null) {
            if (!cls.canConvertToInt() || !cls.isIntegralNumber())
                throw ApiException.badRequest("'class' must be an integer class id, not " + cls);
            return new LabelPost(annotator, cls.intValue(), null);
        }
        if (!classes.isArray())
            throw ApiException.badRequest("'classes' must be an array of class ids (255 = void / outside the region)");
        int[] box = new int[classes.size()];
        for (int i = 0; i < box.length; i++) {
            JsonNode v = classes.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt())
                throw ApiException.badRequest("'classes'[" + i + "] must be an integer class id, not " + v);
            box[i] = v.intValue();
        }
        return new LabelPost(annotator, null, box);
    }

    /**
     * Checks the label against its region and the label space and turns it into the stored form: the
     * size must be the region's bounding box, class ids must be in 0..K-1 (or 255 = void), only the
     * region's own pixels may carry a class, and at least one must.
     */
    RegionLabel toLabel(StoredRegion region, RegionPixels px, LabelSpace space, String annotator) {
        int k = space.numClasses();
        if (wholeClass != null) {
            if (wholeClass < 0 || wholeClass >= k)
                throw ApiException.badRequest("class id " + wholeClass + " is outside 0.." + (k - 1) + " (the project's classes)");
            return RegionLabel.dominant(region.id(), region.imageId(), px.pixels(), wholeClass, annotator);
        }
        int bw = region.x1() - region.x0(), bh = region.y1() - region.y0();
        if (boxClasses.length != bw * bh)
            throw ApiException.badRequest("'classes' has " + boxClasses.length + " values but region " + region.id()
                + " has a " + bw + "x" + bh + " bounding box (" + (bw * bh) + " values, row-major)");
        BitSet inRegion = new BitSet(bw * bh);
        for (int p : px.pixels()) inRegion.set((p / px.width() - region.y0()) * bw + (p % px.width() - region.x0()));
        int[] values = new int[px.pixels().length];
        int n = 0, labelled = 0;
        for (int i = 0; i < boxClasses.length; i++) {
            int v = boxClasses[i];
            int x = region.x0() + i % bw, y = region.y0() + i / bw;
            if (v != LabelSpace.IGNORE && (v < 0 || v >= k))
                throw ApiException.badRequest("class id " + v + " at pixel (" + x + "," + y + ") is outside 0.." + (k - 1)
                    + " (255 = void)");
            if (!inRegion.get(i)) {
                if (v != LabelSpace.IGNORE)
                    throw ApiException.badRequest("pixel (" + x + "," + y + ") is outside region " + region.id()
                        + ": only the region's own pixels may be labelled (send 255 there)");
                continue;
            }
            // Bounding-box order is raster order, so values line up with the region's ascending pixels.
            values[n++] = v;
            if (v != LabelSpace.IGNORE) labelled++;
        }
        if (labelled == 0)
            throw ApiException.badRequest("label of region " + region.id() + " gives no pixel a class: label at least one, or skip the region");
        return new RegionLabel(region.id(), region.imageId(), px.pixels(), values, -1, annotator);
    }
}
