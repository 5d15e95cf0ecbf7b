package dev.whoknows.frontend.pages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.EtagUtils;
import org.eclipse.jetty.http.MimeTypes;

/**
 * Files of STATIC_DIR, cached in memory with content-hash ETags and a gzip copy for text.
 *
 * <p>Every lookup stats the file. A cached copy is reused only while size, mtime, ctime and inode are
 * unchanged; ctime cannot be set back by tools (Jib's 1970 mtimes, {@code touch -d}), so a changed file
 * with the same size and mtime is still noticed. Right after a write the timestamps may not have ticked
 * yet, so an entry read within {@link #RACY_WINDOW_MS} of its ctime is compared byte by byte until it is
 * older than that (the "racy clean" rule git uses for its index).
 *
 * <p>With {@code reload} off (STATIC_RELOAD=off, set in the production images, whose static folder is part of
 * the image and never changes) a file is read once, on first use, and never stat'ed again: a page view then
 * costs no system call (with reload on, a page and each asset it references are stat'ed per view: 8 stats for
 * {@code /}, 30 % of its CPU in the profile of bench/NOTES.md item 8).
 */
public final class StaticFiles {

    static final long RACY_WINDOW_MS = 2_000;
    private static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    private static final boolean UNIX_VIEW =
            FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /** One servable file: its bytes, an optional gzip copy and the ETags of both. */
    // Error Prone ArrayRecordComponent: an Asset is never compared or hashed (the ETags identify it) and
    // its arrays are written to responses as they are; copying them per request would cost a copy of every file.
    @SuppressWarnings("ArrayRecordComponent")
    public record Asset(byte[] body, byte[] gzip, String etag, String gzipEtag, String contentType) {
        public boolean isHtml() {
            return contentType.startsWith("text/html");
        }

        /**
         * Whether an If-None-Match value names this content (RFC 9110 13.1.2, weak comparison): {@code *}, or a
         * listed quoted tag, with or without {@code W/}, equal to either encoding's tag (the gzip tag is the plain
         * one with Jetty's {@code --gzip} suffix, made by {@link EtagUtils#rewriteWithSuffix}).
         */
        public boolean matches(String ifNoneMatch) {
            if (ifNoneMatch == null) {
                return false;
            }
            for (String listed : ifNoneMatch.split(",", -1)) {
                String tag = listed.strip();
                if (tag.equals("*")) {
                    return true;
                }
                String opaque = EtagUtils.isWeak(tag) ? tag.substring(2) : tag;
                // Exact comparison with the two tags this asset has: Jetty's EtagUtils.matches would also
                // take a bare (unquoted) hash, and any "<prefix of the hash>--x" (it compares only the part
                // before the last separator, not its length).
                if (opaque.equals(etag) || opaque.equals(gzipEtag)) {
                    return true;
                }
            }
            return false;
        }

        /** The content hash, as used in versioned URLs ({@code ?v=...}). */
        public String version() {
            return etag.substring(1, etag.length() - 1);
        }
    }

    private static final String GZIP_SUFFIX = EtagUtils.ETAG_SEPARATOR + "gzip";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** {@code href="/static/..."} and {@code src="/static/..."} without a query or fragment of their own. */
    private static final Pattern REFERENCE = Pattern.compile("((?:href|src)=\"/static/)([^\"?#]+)\"");

    /** A page as served: its file, the versions of the assets it references, and the rewritten copy. */
    private record Page(Asset source, Map<String, String> versions, Asset served) {}

    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    /**
     * The page with every {@code /static/} reference pointing at the asset's current version, so a page
     * view never revalidates CSS and JS. The rewritten copy is kept until the page or one of its assets
     * changes. With {@code mayRead} false (selector thread) null when an asset would have to be read.
     */
    // Error Prone ReferenceEquality: "is this still the very Asset the page was rewritten from" is a question
    // of identity (the file cache hands out a new Asset when the file changes)
    @SuppressWarnings("ReferenceEquality")
    private Asset versioned(String relative, Asset page, boolean mayRead) {
        Page known = pages.get(relative);
        if (known != null && known.source == page) {
            boolean current = true;
            for (Map.Entry<String, String> ref : known.versions.entrySet()) {
                Asset asset = freshFile(ref.getKey());
                if (asset == null && mayRead) {
                    asset = findFile(ref.getKey()).orElse(null);
                } else if (asset == null) {
                    return null;
                }
                if (asset == null || !asset.version().equals(ref.getValue())) {
                    current = false;
                    break;
                }
            }
            if (current) {
                return known.served;
            }
        }
        if (!mayRead) {
            return null;
        }
        Map<String, String> versions = new HashMap<>();
        String html = new String(page.body(), StandardCharsets.UTF_8);
        Matcher refs = REFERENCE.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        while (refs.find()) {
            String target = refs.group(2);
            Optional<Asset> asset = target.endsWith(".html") ? Optional.empty() : findFile(target);
            String replacement = refs.group();
            if (asset.isPresent()) {
                versions.put(target, asset.get().version());
                replacement = refs.group(1) + target + "?v=" + asset.get().version() + "\"";
            }
            refs.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        refs.appendTail(out);
        Asset served;
        try {
            served = versions.isEmpty() ? page : build(relative, out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot version the asset references of " + relative, ex);
        }
        pages.put(relative, new Page(page, Map.copyOf(versions), served));
        return served;
    }

    private record Stamp(long size, FileTime mtime, Object ctime, Object fileKey) {}

    private record Entry(Asset asset, Stamp stamp, boolean racy) {}

    private final Path root;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private final boolean reload;
    private final Clock clock;

    public StaticFiles(Path root, boolean reload, Clock clock) {
        this.reload = reload;
        this.clock = clock;
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
     * The cached file when it is unchanged on disk (one stat, no read; for a page, one per asset it
     * references): cheap enough for Jetty's selector thread. Null when something has to be read (first use,
     * changed, racy) or does not exist: ask {@link #find}.
     */
    public Asset fresh(String relative) {
        Asset asset = freshFile(relative);
        return asset == null || !asset.isHtml() ? asset : versioned(relative, asset, false);
    }

    /**
     * @param relative a path below the static folder with '/' separators, already split from the URL
     * @return the file (a page with its asset references versioned), or empty when it does not exist, is
     *         not a regular file or the path is not allowed
     */
    public Optional<Asset> find(String relative) {
        return findFile(relative).map(asset -> asset.isHtml() ? versioned(relative, asset, true) : asset);
    }

    /**
     * Cache-Control for an asset: a URL carrying the asset's current version ({@code ?v=<hash>}, as the
     * pages reference it) never changes, so browsers keep it a year without asking; any other URL is
     * revalidated on every use (a cheap 304), so a redeploy is visible on the next request. Pages are
     * always revalidated: they carry the versions.
     */
    public static String cacheControl(Asset asset, String query) {
        boolean versioned = !asset.isHtml() && query != null && query.equals("v=" + asset.version());
        return versioned ? IMMUTABLE : "no-cache";
    }

    /**
     * One cache lookup: with reload off, the copy read on first use is served for good without a stat;
     * with reload on, it is served while its stamp still matches the file's.
     */
    private Asset freshFile(String relative) {
        Entry cached = cache.get(relative);
        if (cached == null) {
            return null;
        }
        if (!reload) {
            return cached.asset;
        }
        if (cached.racy) {
            return null;
        }
        try {
            return cached.stamp.equals(stamp(root.resolve(relative))) ? cached.asset : null;
        } catch (IOException ex) {
            return null;
        }
    }

    private Optional<Asset> findFile(String relative) {
        if (!isSafe(relative)) {
            return Optional.empty();
        }
        Entry cached = cache.get(relative);
        if (cached != null && !reload) {
            return Optional.of(cached.asset);
        }
        Path file = root.resolve(relative);
        try {
            Stamp stamp = stamp(file);
            if (stamp == null) {
                cache.remove(relative);
                return Optional.empty();
            }
            if (cached != null && cached.stamp.equals(stamp) && !cached.racy) {
                return Optional.of(cached.asset);
            }
            if (!file.toRealPath().startsWith(root)) {
                return Optional.empty(); // a symlink pointing out of the static folder
            }
            byte[] bytes = Files.readAllBytes(file);
            boolean racy = isRacy(stamp);
            Asset asset =
                    cached != null && Arrays.equals(cached.asset.body, bytes) ? cached.asset : build(relative, bytes);
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
            if (segment.isEmpty()
                    || segment.startsWith(".")
                    || segment.indexOf('\\') >= 0
                    || segment.indexOf(':') >= 0
                    || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
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
            return new Stamp(
                    (Long) attrs.get("size"),
                    (FileTime) attrs.get("lastModifiedTime"),
                    attrs.get("ctime"),
                    attrs.get("fileKey"));
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
    private boolean isRacy(Stamp stamp) {
        if (!(stamp.ctime instanceof FileTime)) {
            return true;
        }
        long changed = Math.max(((FileTime) stamp.ctime).toMillis(), stamp.mtime.toMillis());
        return clock.millis() - changed < RACY_WINDOW_MS;
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
        String etag = '"' + hash + '"';
        return new Asset(bytes, gzip, etag, gzip == null ? null : EtagUtils.rewriteWithSuffix(etag, GZIP_SUFFIX), type);
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
        return type.startsWith("text/")
                || type.startsWith("application/json")
                || type.startsWith("image/svg")
                || type.startsWith("application/manifest")
                || type.startsWith("application/xml");
    }

    /**
     * By file extension, from Jetty's table, plus the two web files it lacks; text types say UTF-8. Written in
     * Jetty's canonical form where it has one ("text/plain;charset=utf-8"): the servlet layer rewrites a type
     * to that form, so the hot path must send the same bytes.
     */
    static String contentType(String name) {
        String type = Objects.requireNonNullElse(
                TYPES.getMimeByExtension(name.toLowerCase(Locale.ROOT)), "application/octet-stream");
        boolean text = type.startsWith("text/")
                || type.equals("application/json")
                || type.equals("application/xml")
                || type.equals("application/manifest+json")
                || type.equals("image/svg+xml");
        String value = text ? type + "; charset=utf-8" : type;
        MimeTypes.Type known = MimeTypes.CACHE.get(value);
        return known != null ? known.asString() : value;
    }

    private static final MimeTypes.Mutable TYPES = new MimeTypes.Mutable(MimeTypes.DEFAULTS);

    static {
        TYPES.addMimeMapping("map", "application/json");
        TYPES.addMimeMapping("webmanifest", "application/manifest+json");
    }
}
