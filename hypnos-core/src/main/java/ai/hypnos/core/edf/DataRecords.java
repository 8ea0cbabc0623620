package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.SharedReadChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Positioned, bounded reads of the data records of an open EDF/BDF file.
 *
 * <p>Callers ask for a sample range of some signals; this class reads the records that hold
 * them and hands over each record's slice of each signal as a run of raw bytes. It never holds
 * more than one chunk (a few MB) of the file: small records are read many at a time, huge
 * records (e.g. a whole night in one record) slice by slice. Reads are positioned, so several
 * threads may read one file at once, and one of them being interrupted does not stop the others
 * ({@link SharedReadChannel}).
 */
final class DataRecords {
    /** Upper bound of the read buffer, in bytes. */
    static final int CHUNK_BYTES = 4 << 20;
    /** Records up to this size are always read whole (one system call beats many tiny ones). */
    private static final int SMALL_RECORD = 16 << 10;

    /** Receives one run of samples of one signal. */
    @FunctionalInterface
    interface SliceVisitor {
        /**
         * @param record      data record index
         * @param k           index into the {@code signals} array given to {@link #visit}
         * @param buf         buffer holding the run
         * @param pos         offset of the run's first byte in {@code buf}
         * @param firstSample index of the run's first sample within the whole signal
         * @param count       number of samples in the run
         */
        void accept(long record, int k, byte[] buf, int pos, long firstSample, int count) throws IOException;
    }

    private final Path file;
    private final SharedReadChannel channel;
    private final EdfHeader header;
    private final long recordCount;
    private final int chunkBytes;

    DataRecords(Path file, SharedReadChannel channel, EdfHeader header, long recordCount, int chunkBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.recordCount = recordCount;
        this.chunkBytes = chunkBytes;
    }

    long recordCount() {
        return recordCount;
    }

    /**
     * Visits samples {@code [from[k], to[k])} of each signal {@code signals[k]} (header indexes),
     * record by record in file order. Within a record, runs come in the order of {@code signals}.
     */
    void visit(int[] signals, long[] from, long[] to, SliceVisitor visitor) throws IOException {
        int[] spr = new int[signals.length];
        long[] offset = new long[signals.length];
        long first = Long.MAX_VALUE;
        long end = 0;
        long wantedPerRecord = 0;
        for (int k = 0; k < signals.length; k++) {
            spr[k] = header.signals().get(signals[k]).samplesPerRecord();
            offset[k] = header.signalOffset(signals[k]);
            if (to[k] > from[k]) {
                first = Math.min(first, from[k] / spr[k]);
                end = Math.max(end, (to[k] + spr[k] - 1) / spr[k]);
                wantedPerRecord += (long) spr[k] * header.format().bytesPerSample();
            }
        }
        end = Math.min(end, recordCount);
        if (end <= first) {
            return;
        }
        long recordBytes = header.recordBytes();
        boolean wholeRecords = recordBytes <= chunkBytes
                && (recordBytes <= SMALL_RECORD || wantedPerRecord * 8 >= recordBytes);
        if (wholeRecords) {
            visitWholeRecords(spr, offset, from, to, first, end, visitor);
        } else {
            visitSlices(spr, offset, from, to, first, end, visitor);
        }
    }

    private void visitWholeRecords(int[] spr, long[] offset, long[] from, long[] to, long first, long end,
                                   SliceVisitor visitor) throws IOException {
        int recordBytes = (int) header.recordBytes();
        int perChunk = (int) Math.min(chunkBytes / recordBytes, end - first);
        byte[] buf = new byte[perChunk * recordBytes];
        int bps = header.format().bytesPerSample();
        for (long r = first; r < end; r += perChunk) {
            int n = (int) Math.min(perChunk, end - r);
            readFully(r, buf, n * recordBytes);
            for (int q = 0; q < n; q++) {
                long record = r + q;
                for (int k = 0; k < spr.length; k++) {
                    long base = record * spr[k];
                    int a = (int) Math.max(0, from[k] - base);
                    int b = (int) Math.min(spr[k], to[k] - base);
                    if (b > a) {
                        int pos = q * recordBytes + (int) offset[k] + a * bps;
                        visitor.accept(record, k, buf, pos, base + a, b - a);
                    }
                }
            }
        }
    }

    private void visitSlices(int[] spr, long[] offset, long[] from, long[] to, long first, long end,
                             SliceVisitor visitor) throws IOException {
        int bps = header.format().bytesPerSample();
        int maxSamples = Math.max(1, chunkBytes / bps);
        byte[] buf = null;
        for (long record = first; record < end; record++) {
            for (int k = 0; k < spr.length; k++) {
                long base = record * spr[k];
                int a = (int) Math.max(0, from[k] - base);
                int b = (int) Math.min(spr[k], to[k] - base);
                for (int s = a; s < b; s += maxSamples) {
                    int n = Math.min(maxSamples, b - s);
                    if (buf == null || buf.length < n * bps) {
                        buf = new byte[Math.min(maxSamples, Math.max(n, spr[k])) * bps];
                    }
                    long pos = header.recordPosition(record) + offset[k] + (long) s * bps;
                    readAt(pos, buf, n * bps, record);
                    visitor.accept(record, k, buf, 0, base + s, n);
                }
            }
        }
    }

    private void readFully(long record, byte[] buf, int length) throws IOException {
        readAt(header.recordPosition(record), buf, length, record);
    }

    private void readAt(long position, byte[] buf, int length, long record) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, length);
        while (bb.hasRemaining()) {
            int n = channel.read(bb, position + bb.position());
            if (n < 0) {
                throw new HypnosFormatException(file, "data record", record,
                        "file ends at byte " + (position + bb.position()) + " inside this record (changed since it was opened?)");
            }
        }
    }
}
