package dev.whoknows.frontend.ops;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the access log from one background thread, in batches, in slf4j-simple's line format
 * ({@code <time> [<thread>] INFO dev.whoknows.frontend.access - <message>}) on standard error.
 *
 * <p>Logging each request through slf4j-simple cost more CPU than serving a static file: a synchronized
 * date formatter and a locked, flushed write per line. Here a request thread only adds its line to a
 * lock-free queue (no wake-up per line); every {@value #INTERVAL_MS} ms the writer formats what has
 * queued up and writes it at once. It is called on Jetty's selector threads, so it never waits: when
 * {@value #CAPACITY} lines are already queued (the output cannot keep up), a line is dropped and counted, and
 * the writer says how many it dropped. {@link #close()} writes what is left.
 */
public final class AccessLog implements AutoCloseable {

    public static final String NAME = "dev.whoknows.frontend.access";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
    private static final int CAPACITY = 16_384;
    private static final int BATCH = 1_024;
    private static final long INTERVAL_MS = 20;

    private record Line(long epochMillis, String thread, String message) {}

    private final boolean enabled;
    private final Queue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private Thread writer;
    private volatile boolean started;
    private volatile boolean closed;

    public AccessLog() {
        Logger logger = LoggerFactory.getLogger(NAME);
        this.enabled = logger.isInfoEnabled();
    }

    public boolean enabled() {
        return enabled;
    }

    public void info(String message) {
        if (!enabled) {
            return;
        }
        Line line = new Line(System.currentTimeMillis(), Thread.currentThread().getName(), message);
        if (closed) {
            write(List.of(line));
            return;
        }
        if (!started) {
            start();
        }
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            dropped.incrementAndGet(); // the writer is behind; waiting would stall a selector thread
            return;
        }
        queue.add(line);
        if (closed) {
            flushQueue(); // closed while this line was being queued
        }
    }

    private synchronized void start() {
        if (!started && !closed) {
            writer = new Thread(this::drain, "access-log");
            writer.setDaemon(true);
            writer.start();
            started = true;
        }
    }

    /** Writes queued lines in batches; returns how many it wrote. */
    private int flushQueue() {
        List<Line> batch = new ArrayList<>(BATCH);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            batch.add(new Line(
                    System.currentTimeMillis(),
                    "access-log",
                    lost + " access log lines dropped: standard error could not keep up"));
            queued.incrementAndGet();
        }
        int total = 0;
        Line line;
        while ((line = queue.poll()) != null) {
            batch.add(line);
            if (batch.size() == BATCH) {
                total += writeBatch(batch);
            }
        }
        return total + writeBatch(batch);
    }

    private int writeBatch(List<Line> batch) {
        int n = batch.size();
        write(batch);
        batch.clear();
        queued.addAndGet(-n);
        return n;
    }

    private void drain() {
        while (!closed) {
            if (flushQueue() == 0 || queued.get() < BATCH) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
            }
        }
        flushQueue();
    }

    private static void write(List<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(lines.size() * 128);
        for (Line line : lines) {
            TIME.formatTo(Instant.ofEpochMilli(line.epochMillis), text);
            text.append(" [")
                    .append(line.thread)
                    .append("] INFO ")
                    .append(NAME)
                    .append(" - ")
                    .append(line.message)
                    .append(System.lineSeparator());
        }
        PrintStream err = System.err;
        err.print(text);
        err.flush();
    }

    /** Writes every queued line, then stops the writer; lines logged later are written directly. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = writer;
        }
        if (running == null) {
            flushQueue();
            return;
        }
        LockSupport.unpark(running);
        try {
            running.join(5_000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        flushQueue();
    }
}
