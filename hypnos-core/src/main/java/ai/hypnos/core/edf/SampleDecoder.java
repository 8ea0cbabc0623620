package ai.hypnos.core.edf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns runs of little-endian two's-complement samples (16-bit EDF, 24-bit BDF) into digital
 * or physical values. One call per run keeps the inner loops free of virtual calls; the 16-bit
 * loads go through a byte-array view handle, which the JIT compiles to plain loads.
 */
final class SampleDecoder {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private SampleDecoder() {
    }

    /** Physical values as float: {@code (float) (digital * gain + offset)}. */
    static void toFloat(byte[] src, int pos, int n, int bytesPerSample, double gain, double offset,
                        float[] dst, int at) {
        if (bytesPerSample == 2) {
            for (int i = 0; i < n; i++) {
                dst[at + i] = (float) ((short) SHORT_LE.get(src, pos + 2 * i) * gain + offset);
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[at + i] = (float) (int24(src, pos + 3 * i) * gain + offset);
            }
        }
    }

    /** Physical values as double: {@code digital * gain + offset}. */
    static void toDouble(byte[] src, int pos, int n, int bytesPerSample, double gain, double offset,
                         double[] dst, int at) {
        if (bytesPerSample == 2) {
            for (int i = 0; i < n; i++) {
                dst[at + i] = (short) SHORT_LE.get(src, pos + 2 * i) * gain + offset;
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[at + i] = int24(src, pos + 3 * i) * gain + offset;
            }
        }
    }

    /** Digital values as stored. */
    static void toDigital(byte[] src, int pos, int n, int bytesPerSample, int[] dst, int at) {
        if (bytesPerSample == 2) {
            for (int i = 0; i < n; i++) {
                dst[at + i] = (short) SHORT_LE.get(src, pos + 2 * i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[at + i] = int24(src, pos + 3 * i);
            }
        }
    }

    private static int int24(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | b[p + 2] << 16;
    }
}
