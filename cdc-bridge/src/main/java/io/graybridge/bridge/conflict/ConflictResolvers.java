package io.graybridge.bridge.conflict;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds conflict policies by name with {@link ServiceLoader}. */
public final class ConflictResolvers {
    private ConflictResolvers() {}

    /** Every registered policy, built-in ones first. */
    public static List<ConflictResolver> all() {
        List<ConflictResolver> out = new ArrayList<>();
        ServiceLoader.load(ConflictResolver.class, ConflictResolvers.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /**
     * The policy named {@code name}.
     *
     * @throws GrayBridgeException naming the registered policies when none has that name
     */
    public static ConflictResolver named(String name) {
        List<ConflictResolver> all = all();
        return all.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new GrayBridgeException(ErrorCode.CONFIG_INVALID, "no conflict policy named '"
                        + name + "' was found; registered: " + all.stream().map(ConflictResolver::name).toList()
                        + ". A custom policy implements " + ConflictResolver.class.getName()
                        + " and is listed in META-INF/services/" + ConflictResolver.class.getName()
                        + " of a jar on the bridge's classpath."));
    }
}
