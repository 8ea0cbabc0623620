package ai.hypnos.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Writes output files to any Hadoop file system (local, HDFS, S3A…) so that a reader never sees
 * a partial one: the bytes go to a hidden temporary name in the target's folder
 * ({@code .<name>.<random>.tmp}, the pattern the single-machine builder also cleans up), are
 * synced where the file system can, and the temporary file is renamed onto the target.
 *
 * <p>HDFS and S3A do not rename over an existing file, so a stale target (an unfinished shard's
 * array from a killed run) is deleted first; readers tell finished outputs by the marker written
 * last, so the moment without the file is harmless. When the rename fails because the target
 * appeared meanwhile (a speculative or retried attempt of the same task wrote the same bytes), the
 * temporary file is dropped and the write counts as done.
 */
final class HadoopOutputs {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of a file. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private HadoopOutputs() {
    }

    /**
     * The file system of a path; for local paths the raw one, which writes no {@code .crc} side
     * files, so a local output folder holds exactly what the single-machine tools write.
     */
    static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    static void write(FileSystem fs, Path target, byte[] bytes) throws IOException {
        write(fs, target, out -> out.write(bytes));
    }

    /** Copies a local file to {@code target} atomically. */
    static void copy(FileSystem fs, java.nio.file.Path local, Path target) throws IOException {
        write(fs, target, out -> Files.copy(local, out));
    }

    /** Writes what {@code body} produces to {@code target} atomically. */
    static void write(FileSystem fs, Path target, Body body) throws IOException {
        Path tmp = temporaryName(target);
        boolean renamed = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                body.writeTo(out);
                out.flush();
                if (out.hasCapability(StreamCapabilities.HSYNC)) {
                    out.hsync();
                }
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            renamed = fs.rename(tmp, target);
            if (!renamed && !fs.exists(target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } finally {
            if (!renamed) {
                try {
                    fs.delete(tmp, false);
                } catch (IOException e) {
                    // best effort: a leftover temporary file is removed by the next run
                }
            }
        }
    }

    /** {@code .<name>.<random>.tmp} next to the target. */
    static Path temporaryName(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
    }

    /** Whether a file name is one of our temporary names. */
    static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /**
     * Deletes the temporary files a killed run left in {@code dir} (not recursive) that were last
     * modified before {@code cutoffMillis} (epoch ms); returns how many. Younger ones are kept:
     * another run writing into the same folder right now owns them, and deleting them would make
     * its renames fail.
     */
    static int removeTemporaryFiles(FileSystem fs, Path dir, long cutoffMillis) throws IOException {
        if (!fs.exists(dir)) {
            return 0;
        }
        int n = 0;
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isFile() && isTemporary(s.getPath().getName()) && s.getModificationTime() < cutoffMillis
                    && fs.delete(s.getPath(), false)) {
                n++;
            }
        }
        return n;
    }
}
