package dev.semiactive.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The two Jackson mappers configs go through: YAML for files and overrides, JSON for manifests. */
final class ConfigMapper {
    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "7" stays a string split name after a dump and reload
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY) // train_split: train == [train]
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)         // steps: 2.5 is an error, not 2
            .addModule(pathModule())
            .build();

    static final JsonMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(pathModule())
            .build();

    private ConfigMapper() {
    }

    /** Paths as the plain strings users write; Jackson's default writes absolute file: URIs. */
    private static SimpleModule pathModule() {
        SimpleModule module = new SimpleModule("semiactive-paths");
        module.addSerializer(Path.class, ToStringSerializer.instance);
        module.addDeserializer(Path.class, new FromStringDeserializer<>(Path.class) {
            @Override
            protected Path _deserialize(String value, DeserializationContext context) {
                try {
                    return Path.of(value);
                } catch (InvalidPathException e) {
                    throw new ConfigValueException(null, value, "not a valid path: " + e.getReason());
                }
            }
        });
        return module;
    }

}
