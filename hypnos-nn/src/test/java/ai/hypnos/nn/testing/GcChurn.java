package ai.hypnos.nn.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Garbage-collector pressure for tests of native-memory lifetimes: frees every unreachable
 * direct ByteBuffer now (the native memory DJL's borrowing arrays point into) and then
 * allocates and drops direct buffers of many sizes filled with NaN bytes, so that freed native
 * memory is overwritten. Code that reads freed memory gives different numbers with and without
 * it; code that owns its memory gives bit-identical ones.
 */
public final class GcChurn {
    /** Sizes of the churn buffers: the malloc size classes of scalars, small and large arrays. */
    private static final int[] SIZES = {4, 8, 16, 24, 32, 48, 64, 128, 256, 1024, 4096, 65536, 1 << 20};

    private GcChurn() {}

    /** Collects garbage until the JVM's direct-buffer pool stops shrinking, then churns. */
    public static void run() {
        freeUnreachableDirectBuffers();
        List<ByteBuffer> held = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            for (int size : SIZES) {
                ByteBuffer b = ByteBuffer.allocateDirect(size);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF); // a float NaN in every 4 bytes
                }
                held.add(b);
            }
        }
        held.clear();
        freeUnreachableDirectBuffers();
    }

    /**
     * {@code System.gc()} until the number of live direct buffers stops falling (their native
     * memory is freed by the JVM's reference handler thread shortly after a collection).
     *
     * @return the number of live direct buffers afterwards
     */
    public static long freeUnreachableDirectBuffers() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            System.gc();
            sleep(20);
            long now = directBuffers();
            if (now >= previous) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /**
     * {@code System.gc()} until at most {@code count} direct buffers are live, for up to about
     * five seconds.
     *
     * @return whether that many were reached
     */
    public static boolean awaitDirectBuffersAtMost(long count) {
        for (int i = 0; i < 250; i++) {
            if (directBuffers() <= count) {
                return true;
            }
            System.gc();
            sleep(20);
        }
        return directBuffers() <= count;
    }

    /** Live direct ByteBuffers in this JVM. */
    public static long directBuffers() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new IllegalStateException("this JVM reports no direct buffer pool");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the garbage collector", e);
        }
    }
}
