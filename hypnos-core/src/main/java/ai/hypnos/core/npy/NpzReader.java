package ai.hypnos.core.npy;

import ai.hypnos.core.HypnosFormatException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads numpy's NPZ archives ({@code np.savez}: stored entries, {@code np.savez_compressed}:
 * deflated), one {@link NpyArray} per key.
 *
 * <pre>{@code
 * try (NpzReader z = NpzReader.open(Path.of("golden.npz"))) {
 *     for (String key : z.keys()) System.out.println(key + " " + z.get(key));
 *     long[] tokens = z.get("tokens").toLongArray();
 * }
 * }</pre>
 *
 * <p>Keys are the entry names without their {@code .npy} suffix, in archive order, as
 * {@code np.load(...).files} lists them; entries that are not {@code .npy} files are ignored.
 * {@link #get} reads one entry on demand (so a large archive costs only the arrays used) and is
 * safe to call from several threads. Corrupt archives and entries get a
 * {@link HypnosFormatException} naming the entry.
 */
public final class NpzReader implements Closeable {
    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries;

    private NpzReader(Path file, ZipFile zip, Map<String, ZipEntry> entries) {
        this.file = file;
        this.zip = zip;
        this.entries = entries;
    }

    /** Opens an NPZ archive and lists its arrays (no array is read yet). */
    public static NpzReader open(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new HypnosFormatException(file, "zip", e.getMessage(), "not a readable ZIP (NPZ) archive", e);
        }
        try {
            Map<String, ZipEntry> entries = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (!e.isDirectory() && name.endsWith(".npy")) {
                    entries.putIfAbsent(name.substring(0, name.length() - 4), e);
                }
            }
            return new NpzReader(file, zip, entries);
        } catch (RuntimeException e) {
            zip.close();
            throw new HypnosFormatException(file, "zip", e.getMessage(), "corrupt ZIP directory", e);
        }
    }

    /** Reads every array of an archive, keyed in archive order. */
    public static Map<String, NpyArray> readAll(Path file) throws IOException {
        try (NpzReader z = open(file)) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            for (String k : z.keys()) {
                out.put(k, z.get(k));
            }
            return out;
        }
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** Array names in archive order, without the {@code .npy} suffix. */
    public List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /** True if the archive holds this key (with or without {@code .npy}). */
    public boolean contains(String key) {
        return entries.containsKey(strip(key));
    }

    /**
     * Reads one array.
     *
     * @param key the name, with or without {@code .npy}
     * @throws IllegalArgumentException if there is no such key
     */
    public NpyArray get(String key) throws IOException {
        ZipEntry e = entry(key);
        String where = "entry '" + e.getName() + "' ";
        try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
            return Npy.read(in, file, where, e.getSize());
        } catch (ZipException ex) {
            throw new HypnosFormatException(file, where + "zip", ex.getMessage(), "corrupt compressed data", ex);
        }
    }

    /** Reads only the header of one array (dtype and shape) without reading its data. */
    public NpyHeader header(String key) throws IOException {
        ZipEntry e = entry(key);
        String where = "entry '" + e.getName() + "' ";
        try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 12)) {
            return NpyHeader.read(in, file, where, e.getSize());
        } catch (ZipException ex) {
            throw new HypnosFormatException(file, where + "zip", ex.getMessage(), "corrupt compressed data", ex);
        }
    }

    private ZipEntry entry(String key) {
        ZipEntry e = entries.get(strip(key));
        if (e == null) {
            throw new IllegalArgumentException(file + ": no array '" + key + "' (keys: " + entries.keySet() + ")");
        }
        return e;
    }

    private static String strip(String key) {
        return key.endsWith(".npy") ? key.substring(0, key.length() - 4) : key;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
