package ai.hypnos.core.wfdb;

import java.util.Optional;

/**
 * The WFDB sample formats this reader decodes (PhysioNet {@code signal(5)}).
 *
 * <p>Samples of all signals of one file are stored frame after frame as one interleaved stream.
 * Packed formats (212, 310, 311) pack consecutive stream samples into small byte groups, so a
 * group may straddle frames; {@link #decode(byte[], int)} therefore addresses samples of a
 * buffer that starts on a group boundary. Format 8 stores first differences, which the reader
 * accumulates per signal. Format 0 is a null signal with no file.
 */
public enum SampleFormat {
    /** Null signal: no file, every sample invalid. */
    NULL(0, 1, 0, 0, false),
    /** 8-bit first differences (two's complement); sample n = initial value + sum of bytes 0..n. */
    DIFF8(8, 1, 1, 8, false),
    /** 16-bit two's complement, little-endian. */
    INT16(16, 1, 2, 16, true),
    /** 16-bit two's complement, big-endian. */
    INT16_BE(61, 1, 2, 16, true),
    /** 8-bit offset binary (value = byte - 128). */
    OFFSET8(80, 1, 1, 8, true),
    /** 16-bit offset binary, little-endian (value = word - 32768). */
    OFFSET16(160, 1, 2, 16, true),
    /** Two 12-bit two's complement samples packed into 3 bytes. */
    PACKED212(212, 2, 3, 12, true),
    /** 24-bit two's complement, little-endian. */
    INT24(24, 1, 3, 24, true),
    /** 32-bit two's complement, little-endian. */
    INT32(32, 1, 4, 32, true),
    /** Three 10-bit samples in two little-endian 16-bit words (bits 1..10 of each word, the third split over bits 11..15). */
    PACKED310(310, 3, 4, 10, true),
    /** Three 10-bit samples in one little-endian 32-bit word (bits 0..9, 10..19, 20..29). */
    PACKED311(311, 3, 4, 10, true);

    private final int code;
    private final int groupSamples;
    private final int groupBytes;
    private final int bits;
    private final boolean hasInvalidValue;

    SampleFormat(int code, int groupSamples, int groupBytes, int bits, boolean hasInvalidValue) {
        this.code = code;
        this.groupSamples = groupSamples;
        this.groupBytes = groupBytes;
        this.bits = bits;
        this.hasInvalidValue = hasInvalidValue;
    }

    /** The format for a header's format number, if this reader supports it. */
    public static Optional<SampleFormat> of(int code) {
        for (SampleFormat f : values()) {
            if (f.code == code) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The number written in headers (16, 212...). */
    public int code() {
        return code;
    }

    /** Samples per packing group (2 for 212, 3 for 310/311, else 1). */
    public int groupSamples() {
        return groupSamples;
    }

    /** Bytes per packing group. */
    public int groupBytes() {
        return groupBytes;
    }

    /** Bits per sample value. */
    public int bits() {
        return bits;
    }

    /** Whether samples are stored as first differences (format 8). */
    public boolean isDifferential() {
        return this == DIFF8;
    }

    /**
     * The digital value WFDB writes for an invalid sample (the most negative value of the
     * format: -32768 for 16, -2048 for 212, -512 for 310/311...), or {@link Integer#MIN_VALUE}
     * when the format has none (8, 0). Format 32's sentinel is {@code Integer.MIN_VALUE} itself.
     */
    public int invalidValue() {
        if (!hasInvalidValue) {
            return Integer.MIN_VALUE;
        }
        return bits == 32 ? Integer.MIN_VALUE : -(1 << (bits - 1));
    }

    /** Whether a decoded value marks an invalid sample. */
    public boolean isInvalid(int value) {
        return hasInvalidValue && value == invalidValue();
    }

    /**
     * Bytes needed to hold {@code samples} stream samples (a partial last group is shortened);
     * {@link Long#MAX_VALUE} when that many bytes cannot exist.
     */
    public long bytesFor(long samples) {
        if (samples / groupSamples > (Long.MAX_VALUE - groupBytes) / Math.max(1, groupBytes)) {
            return Long.MAX_VALUE;
        }
        long full = samples / groupSamples * groupBytes;
        long rest = samples % groupSamples;
        // 212: one lone sample needs 2 bytes; 310/311: one needs 2 bytes, two need all 4
        return rest == 0 ? full : full + (rest == 1 ? 2 : groupBytes);
    }

    /** Stream samples that {@code bytes} bytes hold (a trailing partial group counts what it holds). */
    public long samplesIn(long bytes) {
        if (groupBytes == 0) {
            return 0;
        }
        long full = bytes / groupBytes * groupSamples;
        long rest = bytes % groupBytes;
        if (groupSamples > 1 && rest >= 2) {
            full += 1;
        }
        return full;
    }

    /**
     * Decodes stream sample {@code k} of a buffer that begins on a packing-group boundary. For
     * format 8 the result is the stored difference, not the sample.
     */
    public int decode(byte[] b, int k) {
        switch (this) {
            case DIFF8:
                return b[k];
            case INT16:
                return (short) ((b[2 * k] & 0xff) | (b[2 * k + 1] << 8));
            case INT16_BE:
                return (short) ((b[2 * k + 1] & 0xff) | (b[2 * k] << 8));
            case OFFSET8:
                return (b[k] & 0xff) - 128;
            case OFFSET16:
                return ((b[2 * k] & 0xff) | ((b[2 * k + 1] & 0xff) << 8)) - 32768;
            case PACKED212: {
                int g = (k >> 1) * 3;
                int v = (k & 1) == 0
                        ? (b[g] & 0xff) | ((b[g + 1] & 0x0f) << 8)
                        : (b[g + 2] & 0xff) | ((b[g + 1] & 0xf0) << 4);
                return (v << 20) >> 20;
            }
            case INT24: {
                int o = 3 * k;
                int v = (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8) | ((b[o + 2] & 0xff) << 16);
                return (v << 8) >> 8;
            }
            case INT32: {
                int o = 4 * k;
                return (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8) | ((b[o + 2] & 0xff) << 16) | (b[o + 3] << 24);
            }
            case PACKED310: {
                int o = k / 3 * 4;
                int w0 = (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8);
                int w1 = (b[o + 2] & 0xff) | ((b[o + 3] & 0xff) << 8);
                int v = switch (k % 3) {
                    case 0 -> w0 >> 1;
                    case 1 -> w1 >> 1;
                    default -> ((w0 & 0xf800) >> 11) | ((w1 & 0xf800) >> 6);
                };
                return ((v & 0x3ff) << 22) >> 22;
            }
            case PACKED311: {
                int o = k / 3 * 4;
                int w = (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8) | ((b[o + 2] & 0xff) << 16) | ((b[o + 3] & 0xff) << 24);
                int v = w >>> (10 * (k % 3));
                return ((v & 0x3ff) << 22) >> 22;
            }
            default:
                throw new IllegalStateException("format " + code + " has no stored samples");
        }
    }
}
