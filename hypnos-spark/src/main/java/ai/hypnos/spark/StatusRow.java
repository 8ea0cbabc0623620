package ai.hypnos.spark;

import ai.hypnos.train.metrics.ProcessMemory;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What one task did with one recording: a row of the run's status table ({@link StatusTable}
 * gives the schema and the meaning of each column).
 *
 * @param runId             the run
 * @param recording         recording id
 * @param subject           subject id
 * @param source            the recording as the manifest names it
 * @param status            {@code ok}, {@code skipped} or {@code failed}
 * @param reason            why it was skipped, else {@code null}
 * @param error             why it failed ({@code ExceptionType: message}), else {@code null}
 * @param channelResolution the channel-resolution report as JSON, when the recording was read
 * @param present           the modalities found in the recording (model/layout order)
 * @param seconds           S: seconds of tokens (rows of the outputs), when built
 * @param tokens            tokens written (S × ΣK), when built
 * @param output            the main output file, when built or found finished
 * @param executor          Spark executor id ({@code driver} in local mode)
 * @param host              executor host
 * @param attempt           task attempt number (0 unless Spark retried the task)
 * @param started           when the task started on this recording
 * @param durationSeconds   wall time spent on it
 * @param rssMiB            the executor's resident memory after it, MiB (flat over a run when
 *                          native memory is released per recording)
 */
record StatusRow(String runId, String recording, String subject, String source, String status, String reason,
        String error, String channelResolution, List<String> present, Integer seconds, Long tokens, String output,
        String executor, String host, int attempt, Instant started, double durationSeconds, double rssMiB)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String OK = "ok";
    static final String SKIPPED = "skipped";
    static final String FAILED = "failed";

    /** The row as Spark stores it (column order of {@link StatusTable#SCHEMA}). */
    Row toRow() {
        return RowFactory.create(runId, recording, subject, source, status, reason, error, channelResolution,
                present == null ? null : present.toArray(new String[0]), seconds, tokens, output, executor, host,
                attempt, Timestamp.from(started), durationSeconds, Double.isNaN(rssMiB) ? null : rssMiB);
    }

    /** Starts timing a recording in the current task; finish with {@link Start#ok}, {@code skipped} or {@code failed}. */
    static Start start(String runId, RecordingTask task) {
        return new Start(runId, task, Instant.now(), System.nanoTime());
    }

    /** A recording being processed. */
    record Start(String runId, RecordingTask task, Instant started, long t0) {

        StatusRow ok(List<String> present, int seconds, long tokens, String channelResolution, String output) {
            return finish(OK, null, null, channelResolution, present, seconds, tokens, output);
        }

        StatusRow skipped(String reason, String output) {
            return finish(SKIPPED, reason, null, null, null, null, null, output);
        }

        StatusRow failed(String error) {
            return finish(FAILED, null, error, null, null, null, null, null);
        }

        StatusRow failed(Exception e) {
            return failed(describe(e));
        }

        private StatusRow finish(String status, String reason, String error, String report, List<String> present,
                Integer seconds, Long tokens, String output) {
            SparkEnv env = SparkEnv.get();
            TaskContext ctx = TaskContext.get();
            String executor = env == null ? "none" : env.executorId();
            String host = env == null ? "localhost" : env.blockManager().blockManagerId().host();
            int attempt = ctx == null ? 0 : ctx.attemptNumber();
            return new StatusRow(runId, task.id(), task.subject(), task.source(), status, reason, error, report,
                    present == null ? null : List.copyOf(present), seconds, tokens, output, executor, host, attempt,
                    started, (System.nanoTime() - t0) / 1e9, ProcessMemory.rssMiB());
        }
    }

    /** {@code ExceptionType: message}, as the single-machine shard builder reports a failure. */
    static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
