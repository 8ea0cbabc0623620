package ai.hypnos.core.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Runs work on a thread whose interrupt flag is set before it starts, as a cancelled task's would be. */
public final class InterruptedThread {
    private InterruptedThread() {
    }

    /** What {@code work} threw on an interrupted thread, or {@code null} if it returned. */
    public static Throwable failureOf(Callable<?> work) throws InterruptedException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                work.call();
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        t.start();
        t.join();
        return seen.get();
    }
}
