package dev.whoknows.frontend.pages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Files of STATIC_DIR, cached in memory with content-hash ETags and a gzip copy for text.
 *
 * <p>Every lookup stats the file. A cached copy is reused only while size, mtime, ctime and inode are
 * unchanged; ctime cannot be set back by tools (Jib's 1970 mtimes, {@code touch -d}), so a changed file
 * with the same size and mtime is still noticed. Right after a write the timestamps may not have ticked
 * yet, so an entry read within {@link #RACY_WINDOW_MS} of its ctime is compared byte by byte until it is
 * older than that (the "racy clean" rule git uses for its index).
 */
public final class StaticFiles {

    static final long RACY_WINDOW_MS = 2_000;
    private static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /** One servable file: its bytes, an optional gzip copy and the ETags of both. */
    // Error Prone ArrayRecordComponent: an Asset is never compared or hashed (the ETags identify it) and
    // its arrays are written to responses as they are; copying them per request would cost a copy of every file.
    @SuppressWarnings("ArrayRecordComponent")
    public record Asset(byte[] body, byte[] gzip, String etag, String gzipEtag, String contentType) {
        public boolean isHtml() {
            return contentType.startsWith("text/html");
        }
    }

    private record Stamp(long size, FileTime mtime, Object ctime, Object fileKey) {
    }

    private record Entry(Asset asset, Stamp stamp, boolean racy) {
    }

    private final Path root;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public StaticFiles(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException ex) {
            throw new UncheckedIOException("static folder " + root + " is not readable", ex);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * @param relative a path below the static folder with '/' separators, already split from the URL
     * @return the file, or empty when it does not exist, is not a regular file or the path is not allowed
     */
    /**
     * The cached file when it is unchanged on disk (one stat, no read): cheap enough for Jetty's selector
     * thread. Null when it has to be read (first use, changed, racy) or does not exist: ask {@link #find}.
     */
    public Asset fresh(String relative) {
        Entry cached = cache.get(relative);
        if (cached == null || cached.racy) {
            return null;
        }
        try {
            return cached.stamp.equals(stamp(root.resolve(relative))) ? cached.asset : null;
        } catch (IOException ex) {
            return null;
        }
    }

    public Optional<Asset> find(String relative) {
        if (!isSafe(relative)) {
            return Optional.empty();
        }
        Path file = root.resolve(relative);
        try {
            Stamp stamp = stamp(file);
            if (stamp == null) {
                cache.remove(relative);
                return Optional.empty();
            }
            Entry cached = cache.get(relative);
            if (cached != null && cached.stamp.equals(stamp) && !cached.racy) {
                return Optional.of(cached.asset);
            }
            if (!file.toRealPath().startsWith(root)) {
                return Optional.empty(); // a symlink pointing out of the static folder
            }
            byte[] bytes = Files.readAllBytes(file);
            boolean racy = isRacy(stamp);
            Asset asset = cached != null && Arrays.equals(cached.asset.body, bytes)
                    ? cached.asset
                    : build(relative, bytes);
            cache.put(relative, new Entry(asset, stamp, racy));
            return Optional.of(asset);
        } catch (FileSystemException ex) {
            cache.remove(relative);
            return Optional.empty();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read static file " + relative, ex);
        }
    }

    /** Segments must be plain names: no empty, dot, hidden or backslash-carrying parts. */
    static boolean isSafe(String relative) {
        if (relative == null || relative.isEmpty() || relative.length() > 512) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\\') >= 0
                    || segment.indexOf(':') >= 0 || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    private static Stamp stamp(Path file) throws IOException {
        if (UNIX_VIEW) {
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,fileKey,isRegularFile");
            } catch (FileSystemException ex) {
                return null;
            }
            if (!Boolean.TRUE.equals(attrs.get("isRegularFile"))) {
                return null;
            }
            return new Stamp((Long) attrs.get("size"), (FileTime) attrs.get("lastModifiedTime"),
                    attrs.get("ctime"), attrs.get("fileKey"));
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (FileSystemException ex) {
            return null;
        }
        if (!attrs.isRegularFile()) {
            return null;
        }
        return new Stamp(attrs.size(), attrs.lastModifiedTime(), null, attrs.fileKey());
    }

    /** Without a ctime nothing proves the content unchanged, so such entries are always compared. */
    private static boolean isRacy(Stamp stamp) {
        if (!(stamp.ctime instanceof FileTime)) {
            return true;
        }
        long changed = Math.max(((FileTime) stamp.ctime).toMillis(), stamp.mtime.toMillis());
        return System.currentTimeMillis() - changed < RACY_WINDOW_MS;
    }

    private static Asset build(String relative, byte[] bytes) throws IOException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException("file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        String type = contentType(relative);
        String hash = hash(bytes);
        byte[] gzip = null;
        if (isCompressible(type) && bytes.length >= 256) {
            byte[] zipped = gzip(bytes);
            if (zipped.length < bytes.length * 9L / 10) {
                gzip = zipped;
            }
        }
        return new Asset(bytes, gzip, '"' + hash + '"', gzip == null ? null : '"' + hash + "-gz\"", type);
    }

    private static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private static boolean isCompressible(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg")
                || type.startsWith("application/manifest") || type.startsWith("application/xml");
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Objects.requireNonNullElse(TYPES.get(ext), "application/octet-stream");
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("xml", "application/xml; charset=utf-8"),
            Map.entry("svg", "image/svg+xml; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("pdf", "application/pdf"));
}
