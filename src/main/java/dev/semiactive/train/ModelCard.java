package dev.semiactive.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semiactive.data.LabelSpace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * model.json: everything needed to use a trained network and to know how it was made.
 *
 * @param formatVersion  1
 * @param method         training method name ("supervised", "tsf")
 * @param network        which network of the checkpoint is the model ("student", "teacher")
 * @param spec           architecture description (the model package's ModelSpec as JSON; opaque here)
 * @param labels         classes and palette it predicts
 * @param normalization  input normalisation it was trained with
 * @param inputChannels  channels it expects
 * @param height         working resolution rows: prediction resizes inputs to this
 * @param width          working resolution columns
 * @param provenance     config, dataset hash, git commit, versions, created time, step...
 */
public record ModelCard(int formatVersion, String method, String network, JsonNode spec, LabelSpace labels,
                        Normalization normalization, int inputChannels, int height, int width,
                        Map<String, Object> provenance) {
    public static final int FORMAT_VERSION = 1;

    public ModelCard {
        provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
    }

    /** A card for a model not yet bound to a method/network (the loop fills those in). */
    public static ModelCard of(JsonNode spec, LabelSpace labels, Normalization normalization, int height, int width) {
        return new ModelCard(FORMAT_VERSION, null, null, spec, labels, normalization, normalization.channels(),
                height, width, Map.of());
    }

    public ModelCard withTraining(String method, String network) {
        return new ModelCard(formatVersion, method, network, spec, labels, normalization, inputChannels, height, width, provenance);
    }

    /** This card with {@code extra} merged over its provenance. */
    public ModelCard withProvenance(Map<String, ?> extra) {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.putAll(extra);
        return new ModelCard(formatVersion, method, network, spec, labels, normalization, inputChannels, height, width, p);
    }
}
