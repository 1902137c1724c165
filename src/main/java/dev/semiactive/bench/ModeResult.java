package dev.semiactive.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a worker (Java or the PyTorch peer) prints as one JSON line after running one mode. Timed modes fill
 * the step fields, {@code pool} the total fields.
 *
 * @param engine          "djl" or "pytorch"
 * @param mode            train, tsf, score, pool, check
 * @param parameters      trainable scalars of the segmentation network (the architecture check)
 * @param stepSeconds     measured step times
 * @param medianSeconds   their median
 * @param imagesPerSecond batch / median (pool: images / total)
 * @param firstValue      the first step's loss or mean entropy: equal on both sides when they share weights
 * @param peakRssBytes    peak resident memory of the worker process
 * @param flaggedFraction scoring: fraction of image pixels the error mask flagged (PLAR's workload)
 * @param refinedFraction scoring: fraction of image pixels PLAR gave a class (flagged ones it decided)
 * @param images          pool: images scored
 * @param totalSeconds    pool: wall time of the whole pool
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModeResult(String engine, String mode, Integer batch, Integer height, Integer width, Integer threads,
                         Long parameters, List<Double> stepSeconds, Double medianSeconds, Double imagesPerSecond,
                         Double firstValue, Double lastValue, Long peakRssBytes, Double flaggedFraction,
                         Double refinedFraction,                         Integer images, Double totalSeconds, String preload) {

    public double peakRssMiB() {
        return peakRssBytes == null || peakRssBytes < 0 ? Double.NaN : peakRssBytes / (1024.0 * 1024.0);
    }
}
