package dev.semiactive.al;

/** Ground-truth masks by image id (class per pixel, 255 = ignore), e.g. a dataset's {@code load(id).mask()}. */
@FunctionalInterface
public interface MaskSource {
    int[] mask(String imageId);
}
