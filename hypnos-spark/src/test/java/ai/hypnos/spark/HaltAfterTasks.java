package ai.hypnos.spark;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Test hook for a killed job (installed with {@code --conf spark.extraListeners=…} in a separate
 * JVM): once {@code hypnos.test.haltAfterTasks} recording tasks have finished, the JVM halts at
 * once, like {@code kill -9}: no shutdown hooks, other tasks cut off wherever they are.
 */
public final class HaltAfterTasks extends SparkListener {
    /** Exit status of the halted JVM. */
    static final int STATUS = 137;

    private final int after = Integer.getInteger("hypnos.test.haltAfterTasks", 2);
    private final Set<Integer> recordingStages = ConcurrentHashMap.newKeySet();
    private final AtomicInteger done = new AtomicInteger();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        // Reading the manifest runs one-task stages; the recording stage has one task per night.
        if (e.stageInfo().numTasks() > 1) {
            recordingStages.add(e.stageInfo().stageId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (recordingStages.contains(e.stageId()) && e.taskInfo().successful() && done.incrementAndGet() >= after) {
            Runtime.getRuntime().halt(STATUS);
        }
    }
}
