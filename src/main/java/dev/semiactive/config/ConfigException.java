package dev.semiactive.config;

import dev.semiactive.SemiactiveException;

/**
 * A config file, override or command-line value that cannot be used. The message is one line naming
 * where the value came from (file or {@code --set}), the key, the value and what is allowed. The CLI
 * treats it as a usage error (exit code 2): nothing has run yet.
 */
public class ConfigException extends SemiactiveException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
