package ai.hypnos.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet status table every run writes (default {@code <out>/_status/<run id>/}): one row
 * per manifest recording.
 *
 * <table>
 *   <caption>columns</caption>
 *   <tr><th>column</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>run_id</td><td>string</td><td>{@code yyyyMMdd-HHmmss-<application id>}</td></tr>
 *   <tr><td>recording</td><td>string</td><td>recording id (file name without extension)</td></tr>
 *   <tr><td>subject, source</td><td>string</td><td>from the manifest</td></tr>
 *   <tr><td>status</td><td>string</td><td>{@code ok}, {@code skipped} or {@code failed}</td></tr>
 *   <tr><td>reason</td><td>string</td><td>why skipped (e.g. finished by an earlier run)</td></tr>
 *   <tr><td>error</td><td>string</td><td>why failed: {@code ExceptionType: message}</td></tr>
 *   <tr><td>channel_resolution</td><td>string</td><td>the channel-resolution report (JSON)</td></tr>
 *   <tr><td>present</td><td>array&lt;string&gt;</td><td>modalities found</td></tr>
 *   <tr><td>seconds</td><td>int</td><td>S, seconds of tokens</td></tr>
 *   <tr><td>tokens</td><td>bigint</td><td>tokens written, S × ΣK</td></tr>
 *   <tr><td>output</td><td>string</td><td>the main output file</td></tr>
 *   <tr><td>executor, host</td><td>string</td><td>where the task ran</td></tr>
 *   <tr><td>attempt</td><td>int</td><td>task attempt (retries)</td></tr>
 *   <tr><td>started</td><td>timestamp</td><td>task start</td></tr>
 *   <tr><td>duration_s</td><td>double</td><td>wall time on this recording</td></tr>
 *   <tr><td>executor_rss_mib</td><td>double</td><td>executor resident memory afterwards</td></tr>
 * </table>
 */
final class StatusTable {
    /** Default folder of the status tables under the output folder (Spark and Hadoop skip names starting with _). */
    static final String FOLDER = "_status";

    static final StructType SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("recording", DataTypes.StringType, false),
        field("subject", DataTypes.StringType, false),
        field("source", DataTypes.StringType, false),
        field("status", DataTypes.StringType, false),
        field("reason", DataTypes.StringType, true),
        field("error", DataTypes.StringType, true),
        field("channel_resolution", DataTypes.StringType, true),
        field("present", DataTypes.createArrayType(DataTypes.StringType, false), true),
        field("seconds", DataTypes.IntegerType, true),
        field("tokens", DataTypes.LongType, true),
        field("output", DataTypes.StringType, true),
        field("executor", DataTypes.StringType, false),
        field("host", DataTypes.StringType, false),
        field("attempt", DataTypes.IntegerType, false),
        field("started", DataTypes.TimestampType, false),
        field("duration_s", DataTypes.DoubleType, false),
        field("executor_rss_mib", DataTypes.DoubleType, true),
    });

    private StatusTable() {
    }

    /**
     * Deletes the status folders of interrupted runs under {@code folder} (those without Spark's
     * {@code _SUCCESS} marker) in which nothing was modified since {@code cutoffMillis} (epoch
     * ms); returns how many. A killed run leaves one with only its {@code _temporary} work files,
     * which would otherwise break reading all runs' tables at once. A folder with a younger file
     * is kept: it is most likely the table a concurrent run is writing now.
     */
    static int removeUnfinished(FileSystem fs, Path folder, long cutoffMillis) throws IOException {
        if (!fs.exists(folder)) {
            return 0;
        }
        int n = 0;
        for (FileStatus s : fs.listStatus(folder)) {
            if (s.isDirectory() && !fs.exists(new Path(s.getPath(), "_SUCCESS"))
                    && lastModified(fs, s) < cutoffMillis && fs.delete(s.getPath(), true)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The newest modification time of a folder and every file under it. The folder's own time is
     * not enough: object stores (s3a) report none for folders, and file systems do not update it
     * when a file deeper down is written.
     */
    private static long lastModified(FileSystem fs, FileStatus dir) throws IOException {
        long newest = dir.getModificationTime();
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
                fs.listFiles(dir.getPath(), true);
        while (files.hasNext()) {
            newest = Math.max(newest, files.next().getModificationTime());
        }
        return newest;
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
