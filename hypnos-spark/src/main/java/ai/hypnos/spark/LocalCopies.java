package ai.hypnos.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Brings inputs onto the executor's local disk, where the EDF/WFDB readers and the safetensors
 * loader need random access. Local ({@code file:}) inputs are used in place; remote ones are
 * copied under {@code java.io.tmpdir}: a recording for the duration of its task (deleted
 * afterwards, so disk use is one night per running task), a bundle once per executor JVM.
 */
final class LocalCopies {
    private LocalCopies() {
    }

    /** A recording on local disk; closing deletes it if it is a copy. */
    record LocalRecording(java.nio.file.Path path, java.nio.file.Path copyDir, boolean remote) implements Closeable {
        @Override
        public void close() throws IOException {
            if (copyDir != null) {
                try (Stream<java.nio.file.Path> s = Files.list(copyDir)) {
                    for (java.nio.file.Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(copyDir);
            }
        }
    }

    /**
     * The recording at {@code uri} as a local file. A remote WFDB header ({@code .hea}) comes with
     * its sibling files of the same record name ({@code .dat}, annotations).
     */
    static LocalRecording recording(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        if (isLocal(fs)) {
            return new LocalRecording(Paths.get(q.toUri()), null, false);
        }
        java.nio.file.Path dir = Files.createTempDirectory("hypnos-spark-rec-");
        try {
            if (q.getName().toLowerCase(Locale.ROOT).endsWith(".hea")) {
                String stem = q.getName().substring(0, q.getName().length() - 4);
                FileStatus[] siblings = fs.globStatus(new Path(q.getParent(), globEscape(stem) + ".*"));
                for (FileStatus s : siblings == null ? new FileStatus[0] : siblings) {
                    if (s.isFile()) {
                        download(fs, s.getPath(), dir.resolve(s.getPath().getName()));
                    }
                }
            } else {
                download(fs, q, dir.resolve(q.getName()));
            }
            return new LocalRecording(dir.resolve(q.getName()), dir, true);
        } catch (IOException | RuntimeException e) {
            new LocalRecording(null, dir, true).close();
            throw e;
        }
    }

    /**
     * A bundle file (or a folder of tokenizer {@code .safetensors} files) as a local path: in
     * place when local, else copied once into {@code java.io.tmpdir/hypnos-spark-bundles/<hash of
     * the URI>/} and reused by later calls (the executor cache calls this once per key) while the
     * remote file keeps the length and modification time the copy was made from.
     */
    static java.nio.file.Path bundle(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        if (isLocal(fs)) {
            return Paths.get(q.toUri());
        }
        java.nio.file.Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "hypnos-spark-bundles", sha256(q.toString()));
        Files.createDirectories(dir);
        FileStatus status = fs.getFileStatus(q);
        if (status.isFile()) {
            java.nio.file.Path local = dir.resolve(q.getName());
            copyIfStale(fs, status, local);
            return local;
        }
        java.nio.file.Path folder = dir.resolve(q.getName());
        Files.createDirectories(folder);
        for (FileStatus s : fs.listStatus(q)) {
            java.nio.file.Path local = folder.resolve(s.getPath().getName());
            if (s.isFile() && s.getPath().getName().endsWith(".safetensors")) {
                copyIfStale(fs, s, local);
            }
        }
        return folder;
    }

    /**
     * Copies {@code remote} to {@code local} unless {@code local} is a copy of this very version:
     * same length and, as its own modification time, the remote file's. The size alone is not
     * enough: a retrained bundle republished under the same name usually has exactly the same
     * size (same architecture, same tensors), and would silently keep serving the old weights.
     *
     * @return whether it downloaded
     */
    static boolean copyIfStale(FileSystem fs, FileStatus remote, java.nio.file.Path local) throws IOException {
        if (Files.isRegularFile(local) && Files.size(local) == remote.getLen()
                && Files.getLastModifiedTime(local).toMillis() == remote.getModificationTime()) {
            return false;
        }
        download(fs, remote.getPath(), local, remote.getModificationTime());
        return true;
    }

    private static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    /** Copies through a temporary name, so a concurrent reader never opens half a file. */
    private static void download(FileSystem fs, Path from, java.nio.file.Path to) throws IOException {
        download(fs, from, to, -1);
    }

    /**
     * As {@link #download(FileSystem, Path, java.nio.file.Path)}, stamping the copy with
     * {@code mtime} (epoch ms, if not negative) before it is renamed into place, so the copy and
     * the version it is a copy of become visible together (see {@link #copyIfStale}).
     */
    private static void download(FileSystem fs, Path from, java.nio.file.Path to, long mtime) throws IOException {
        java.nio.file.Path tmp = to.resolveSibling("." + to.getFileName() + "." + System.nanoTime() + ".tmp");
        try (InputStream in = fs.open(from)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (mtime >= 0) {
                Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.fromMillis(mtime));
            }
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
