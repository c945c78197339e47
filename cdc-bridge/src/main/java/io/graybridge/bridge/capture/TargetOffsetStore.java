package io.graybridge.bridge.capture;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store for a lane: it starts from the offsets kept in the target side's metadata
 * and never writes on its own, because the lane's writer already stored each offset in the same
 * target transaction as the rows it covers. The engine finds the lane's loader through the
 * {@value #LANE_PROPERTY} property.
 */
public final class TargetOffsetStore extends MemoryOffsetBackingStore {
    /** Engine property naming the registered loader of this store's offsets. */
    public static final String LANE_PROPERTY = "offset.storage.graybridge.lane";

    private static final Map<String, Supplier<Map<ByteBuffer, ByteBuffer>>> LOADERS = new ConcurrentHashMap<>();

    private String lane;

    /** Registers how the engine of {@code lane} loads its stored offsets; close the result when the lane stops. */
    static AutoCloseable register(String lane, Supplier<Map<ByteBuffer, ByteBuffer>> loader) {
        if (LOADERS.putIfAbsent(lane, loader) != null) {
            throw new IllegalStateException("lane " + lane + " is already running in this process");
        }
        return () -> LOADERS.remove(lane, loader);
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object name = config.originals().get(LANE_PROPERTY);
        if (name == null) {
            throw new IllegalStateException(LANE_PROPERTY + " is not set for " + getClass().getName());
        }
        lane = name.toString();
    }

    @Override
    public synchronized void start() {
        super.start();
        Supplier<Map<ByteBuffer, ByteBuffer>> loader = LOADERS.get(lane);
        if (loader == null) {
            throw new IllegalStateException("no offset loader registered for lane " + lane);
        }
        data.putAll(loader.get());
    }

    /** Offsets are stored by the lane's writer inside each target transaction; nothing to save here. */
    @Override
    protected void save() {}

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Collections.emptySet();
    }
}
