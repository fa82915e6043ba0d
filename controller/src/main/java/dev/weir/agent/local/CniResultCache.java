package dev.weir.agent.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI runtime cache directory libcni writes for every attachment ({@code /var/lib/cni/results} by default): one
 * JSON file per attachment. {@link #listing()} is the cheap part the periodic scan reads (names, sizes, modification
 * times); {@link #read()} parses the files, keeping each parsed file until its size or time changes. A file that is
 * not a pod's cache entry is left out with a DEBUG line; a missing directory is an empty cache (a node whose runtime
 * keeps no cache, or no pod yet).
 */
public final class CniResultCache {

    private static final Logger LOG = LoggerFactory.getLogger(CniResultCache.class);
    /** A cache entry holds a network config and a result: a few KiB. Anything far larger is not one. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final Path dir;
    /** Parsed files by name, with the listing entry they were parsed at (sync thread only). */
    private final Map<String, Parsed> parsed = new HashMap<>();

    private record Parsed(FileEntry entry, CniAttachment attachment) {
    }

    /** One regular file of the directory as listed: what tells a rewritten file from the one parsed before. */
    public record FileEntry(String name, long size, long modifiedMillis) {
        @Override
        public String toString() {
            return name + " " + size + " " + modifiedMillis;
        }
    }

    public CniResultCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    /** The regular files of the directory, in name order; empty when it does not exist. */
    public List<FileEntry> listing() throws IOException {
        TreeMap<String, FileEntry> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue; // removed by a CNI DEL while we listed
                }
                if (a.isRegularFile()) {
                    String name = f.getFileName().toString();
                    out.put(name, new FileEntry(name, a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        } catch (NoSuchFileException absent) {
            return List.of();
        }
        return List.copyOf(out.values());
    }

    /** The pod attachments of the cache as it is now; files that are not one are left out (DEBUG). */
    public synchronized List<CniAttachment> read() throws IOException {
        List<FileEntry> listing = listing();
        Map<String, Parsed> next = new HashMap<>();
        List<CniAttachment> out = new ArrayList<>();
        for (FileEntry e : listing) {
            Parsed before = parsed.get(e.name());
            Parsed now = before != null && before.entry().equals(e) ? before : parse(e);
            if (now == null) {
                continue; // gone meanwhile
            }
            next.put(e.name(), now);
            if (now.attachment() != null) {
                out.add(now.attachment());
            }
        }
        parsed.clear();
        parsed.putAll(next);
        return out;
    }

    /** A file parsed, or with a null attachment when it is not a pod's cache entry; null when it vanished. */
    private Parsed parse(FileEntry e) throws IOException {
        if (e.size() > MAX_FILE_BYTES) {
            LOG.debug("CNI cache: {} left out: {} bytes is no cache entry", e.name(), e.size());
            return new Parsed(e, null);
        }
        String json;
        try {
            json = Files.readString(dir.resolve(e.name()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (java.nio.charset.CharacterCodingException binary) {
            LOG.debug("CNI cache: {} left out: not UTF-8 text", e.name());
            return new Parsed(e, null);
        }
        try {
            return new Parsed(e, CniAttachment.parse(e.name(), json));
        } catch (IllegalArgumentException notOurs) {
            LOG.debug("CNI cache: {} left out: {}", e.name(), notOurs.getMessage());
            return new Parsed(e, null);
        }
    }
}
