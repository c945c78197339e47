package io.graybridge.bridge.config;

/** Lets tests of other packages use {@link ConfigLoaderTest#MINIMAL}. */
public final class ConfigLoaderTestAccess {
    private ConfigLoaderTestAccess() {}

    /** A minimal valid config file's text (no audit section). */
    public static String minimal() {
        return ConfigLoaderTest.MINIMAL;
    }
}
