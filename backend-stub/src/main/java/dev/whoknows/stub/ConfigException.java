package dev.whoknows.stub;

/** A setting that cannot be used; {@link #getMessage()} reads {@code NAME: what is wrong (got 'value')}. */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public ConfigException(String variable, String problem, String value) {
        this(variable, problem + " (got '" + value + "')");
    }

    public String variable() {
        return variable;
    }
}
