package io.graybridge.bridge.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the bridge is ready ({@code /health/ready}): every enabled lane runs, streams from its slot (its
 * backfill is done), and applied its newest changes within the lag limit. Pure.
 *
 * @param ready whether all of that holds
 * @param reasons one line per lane that is not ready (empty when ready)
 */
record Readiness(boolean ready, List<String> reasons) {

    /**
     * One enabled lane as the bridge sees it.
     *
     * @param lane the lane's name
     * @param state {@code created}, {@code running}, {@code stopped} or {@code failed}
     * @param streaming whether its capture streams from the slot
     * @param lag the lag of its newest applied batch
     */
    record Lane(String lane, String state, boolean streaming, Duration lag) {}

    static Readiness of(List<Lane> lanes, Duration maxLag) {
        List<String> reasons = new ArrayList<>();
        if (lanes.isEmpty()) {
            reasons.add("no lane is enabled (lanes.<lane>.enabled)");
        }
        for (Lane l : lanes) {
            if (!l.state().equals("running")) {
                reasons.add("lane " + l.lane() + " is " + l.state());
            } else if (!l.streaming()) {
                reasons.add("lane " + l.lane() + " is not streaming yet (starting, or backfilling)");
            } else if (l.lag().compareTo(maxLag) > 0) {
                reasons.add(String.format(Locale.ROOT, "lane %s lag %.1f s is over http.ready-max-lag-seconds (%d s)",
                        l.lane(), l.lag().toMillis() / 1000.0, maxLag.toSeconds()));
            }
        }
        return new Readiness(reasons.isEmpty(), reasons);
    }
}
