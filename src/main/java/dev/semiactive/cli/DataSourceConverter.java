package dev.semiactive.cli;

import dev.semiactive.config.ConfigException;
import dev.semiactive.config.DataSource;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --data FORMAT:ROOT}: a bad format is a usage error listing the known formats. */
final class DataSourceConverter implements ITypeConverter<DataSource> {
    @Override
    public DataSource convert(String value) {
        try {
            return DataSource.parse(value);
        } catch (ConfigException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
