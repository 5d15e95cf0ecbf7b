package dev.whoknows.frontend.proxy;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * The backend read and call timeouts of proxied requests, kept by one watchdog thread that cancels calls
 * past their deadline.
 *
 * <p>Why not OkHttp's own timeouts: they are okio AsyncTimeouts, and every socket read, every write and
 * every call's end takes one JVM-wide lock to update a shared priority queue. Under load that cost about
 * 17 µs of CPU per proxied request (a third of the proxy's cost); here a call costs a set insertion and a
 * removal. The price is precision: a timeout fires up to one tick late.
 */
final class Deadlines implements AutoCloseable {

    private static final long NOT_WAITING = Long.MAX_VALUE;

    private final long readNanos;
    private final long callNanos;
    private final Set<Watch> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private final ScheduledFuture<?> ticking;

    Deadlines(long readTimeoutMs, long callTimeoutMs) {
        this.readNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMs);
        this.callNanos = TimeUnit.MILLISECONDS.toNanos(callTimeoutMs);
        long tickMs = Math.max(5, Math.min(100, Math.min(readTimeoutMs, callTimeoutMs) / 20));
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "backend-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.ticking = ticker.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a call; the backend is being waited on from now. */
    Watch watch(Call call) {
        Watch watch = new Watch(call, System.nanoTime());
        active.add(watch);
        return watch;
    }

    private void tick() {
        long now = System.nanoTime();
        for (Iterator<Watch> it = active.iterator(); it.hasNext(); ) {
            Watch watch = it.next();
            long since = watch.waitingSince;
            if (now - watch.start > callNanos || (since != NOT_WAITING && now - since > readNanos)) {
                watch.timedOut = true;
                it.remove();
                watch.call.cancel();
            }
        }
    }

    @Override
    public void close() {
        ticking.cancel(false);
        ticker.shutdownNow();
    }

    /** One call under watch. Waiting on the client (reading its body, writing to it) never times out here. */
    final class Watch implements AutoCloseable {
        private final Call call;
        private final long start;
        private volatile long waitingSince;
        private volatile boolean timedOut;

        private Watch(Call call, long start) {
            this.call = call;
            this.start = start;
            this.waitingSince = start;
        }

        /** The next step waits on the backend: the read timeout runs from now. */
        void awaitBackend() {
            waitingSince = System.nanoTime();
        }

        /** The next step waits on the client: the backend is not to blame for the time it takes. */
        void awaitClient() {
            waitingSince = NOT_WAITING;
        }

        /** True when this watch cancelled the call. */
        boolean timedOut() {
            return timedOut;
        }

        @Override
        public void close() {
            active.remove(this);
        }
    }
}
