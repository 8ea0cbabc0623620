package ai.hypnos.core.safetensors;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.numeric.BFloat16;
import ai.hypnos.core.numeric.Float16;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds a safetensors file laid out exactly as the Python {@code safetensors} library writes it.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .metadata("format_version", "1")
 *         .metadata("config", configJson)
 *         .add("model/w", SafetensorsDtype.BF16, new long[] {32, 32}, weights)   // float[] rounded to BF16
 *         .add("tok/eeg/quantizer.quantizers.0.usage_count", SafetensorsDtype.I64, new long[] {16}, counts)
 *         .write(Path.of("bundle.safetensors"));                                  // atomic
 * }</pre>
 *
 * <p>Layout (what makes our bundles byte-identical to the library's): tensors sorted by dtype,
 * largest alignment first (I64/F64 before F32 before BF16/F16 … before BOOL, the library's dtype
 * order), then by name (UTF-8 byte order); the header is compact JSON with {@code __metadata__}
 * first (its entries in insertion order; omitted when empty), then the tensors in data order,
 * each as {@code {"dtype":…,"shape":[…],"data_offsets":[b,e]}}, escaped like Rust's serde_json;
 * the header is padded with spaces to a multiple of 8 bytes. Float data given as {@code float[]}
 * are rounded to F16/BF16 to nearest, ties to even.
 *
 * <p>Tensors are encoded when added and held in memory until {@link #write}, except those added
 * with {@link #addLater}, which are produced one at a time while the file is written. Not
 * thread-safe.
 */
public final class SafetensorsWriter {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** A tensor; its bytes come from {@code data} (held, or produced when written) and have {@code length}. */
    private record Entry(String name, byte[] utf8Name, SafetensorsDtype dtype, long[] shape, long length,
            Supplier<byte[]> data) {

        byte[] bytes() {
            byte[] b = data.get();
            if (b.length != length) {
                throw new IllegalStateException(name + ": " + b.length + " bytes produced, " + length + " announced");
            }
            return b;
        }
    }

    /** Adds (or replaces) one metadata entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds metadata entries in the map's iteration order. */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        metadata.putAll(entries);
        return this;
    }

    /** A floating-point tensor (F32, F16, BF16 or F64) from float32 values. */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, float[] data) {
        return put(name, dtype, shape, encode(name, dtype, shape, data));
    }

    /**
     * A floating-point tensor whose float32 values are asked for when the file is written, so
     * that only one such tensor is in memory at a time (a training checkpoint of {@code base} is
     * 3.5 GB: held whole, as float32 and again as bytes, it needed 7 GB of heap). {@code data}
     * must give {@code shape}'s number of values; it is called once per {@link #write}.
     */
    public SafetensorsWriter addLater(String name, SafetensorsDtype dtype, long[] shape, Supplier<float[]> data) {
        if (!EnumSet.of(SafetensorsDtype.F32, SafetensorsDtype.F16, SafetensorsDtype.BF16, SafetensorsDtype.F64)
                .contains(dtype)) {
            throw new IllegalArgumentException(name + ": float data cannot be stored as " + dtype);
        }
        long bytes = count(name, shape) * dtype.itemSize();
        return put(name, dtype, shape, bytes, () -> encode(name, dtype, shape, data.get()));
    }

    private static byte[] encode(String name, SafetensorsDtype dtype, long[] shape, float[] data) {
        ByteBuffer b = buffer(name, dtype, shape, data.length);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(data);
            case F16 -> {
                for (float v : data) {
                    b.putShort(Float16.fromFloat(v));
                }
            }
            case BF16 -> {
                for (float v : data) {
                    b.putShort(BFloat16.fromFloat(v));
                }
            }
            case F64 -> b.asDoubleBuffer().put(toDoubles(data));
            default -> throw new IllegalArgumentException(name + ": float data cannot be stored as " + dtype);
        }
        return b.array();
    }

    /** A floating-point tensor from float64 values (F32/F16/BF16 round to nearest, via float32 for the halves). */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, double[] data) {
        if (dtype == SafetensorsDtype.F64) {
            ByteBuffer b = buffer(name, dtype, shape, data.length);
            b.asDoubleBuffer().put(data);
            return put(name, dtype, shape, b.array());
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return add(name, dtype, shape, f);
    }

    /** An integer tensor (I64, I32, I16, I8, U8, U16, U32, U64); each value must fit the dtype. */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, long[] data) {
        if (!dtype.isInteger()) {
            throw new IllegalArgumentException(name + ": integer data cannot be stored as " + dtype);
        }
        ByteBuffer b = buffer(name, dtype, shape, data.length);
        for (int i = 0; i < data.length; i++) {
            long v = data[i];
            boolean fits = switch (dtype) {
                case I8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
                case U8 -> v >= 0 && v <= 0xff;
                case I16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
                case U16 -> v >= 0 && v <= 0xffff;
                case I32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
                case U32 -> v >= 0 && v <= 0xffffffffL;
                case U64 -> v >= 0;
                default -> true;
            };
            if (!fits) {
                throw new IllegalArgumentException(name + ": element " + i + " = " + v + " does not fit " + dtype);
            }
            switch (dtype.itemSize()) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return put(name, dtype, shape, b.array());
    }

    /** A BOOL tensor. */
    public SafetensorsWriter add(String name, long[] shape, boolean[] data) {
        ByteBuffer b = buffer(name, SafetensorsDtype.BOOL, shape, data.length);
        for (boolean v : data) {
            b.put((byte) (v ? 1 : 0));
        }
        return put(name, SafetensorsDtype.BOOL, shape, b.array());
    }

    /** A tensor from its raw little-endian bytes (copied from the buffer's position to its limit). */
    public SafetensorsWriter addRaw(String name, SafetensorsDtype dtype, long[] shape, ByteBuffer littleEndianBytes) {
        long count = count(name, shape);
        if (littleEndianBytes.remaining() != count * dtype.itemSize()) {
            throw new IllegalArgumentException(name + ": " + dtype + " " + Arrays.toString(shape) + " needs "
                    + count * dtype.itemSize() + " bytes, got " + littleEndianBytes.remaining());
        }
        byte[] data = new byte[littleEndianBytes.remaining()];
        littleEndianBytes.duplicate().get(data);
        return put(name, dtype, shape, data);
    }

    /** Writes the file atomically (temporary file, then rename). */
    public void write(Path target) throws IOException {
        List<Entry> sorted = sortedEntries();
        byte[] header = header(sorted);
        try (AtomicFile out = AtomicFile.create(target)) {
            FileChannel ch = out.channel();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Entry e : sorted) {
                writeFully(ch, ByteBuffer.wrap(e.bytes()));
            }
            out.commit();
        }
    }

    /** The whole file as bytes (for small files and tests). */
    public byte[] toByteArray() {
        List<Entry> sorted = sortedEntries();
        byte[] header = header(sorted);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length).array());
        out.writeBytes(header);
        for (Entry e : sorted) {
            out.writeBytes(e.bytes());
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------

    private List<Entry> sortedEntries() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::dtype, Comparator.reverseOrder())
                .thenComparing(Entry::utf8Name, Arrays::compareUnsigned));
        return sorted;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private byte[] header(List<Entry> sorted) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                appendString(json, m.getKey());
                json.append(':');
                appendString(json, m.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Entry e : sorted) {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, e.name());
            json.append(":{\"dtype\":\"").append(e.dtype().name()).append("\",\"shape\":[");
            for (int i = 0; i < e.shape().length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(e.shape()[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + e.length()).append("]}");
            offset += e.length();
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(bytes, padded);
        Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    /** A JSON string escaped as Rust's serde_json escapes it (short escapes, lowercase \\u00xx). */
    static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private SafetensorsWriter put(String name, SafetensorsDtype dtype, long[] shape, byte[] data) {
        return put(name, dtype, shape, data.length, () -> data);
    }

    private SafetensorsWriter put(String name, SafetensorsDtype dtype, long[] shape, long length,
            Supplier<byte[]> data) {
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("invalid tensor name: '" + name + "'");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        entries.add(new Entry(name, name.getBytes(StandardCharsets.UTF_8), dtype, shape.clone(), length, data));
        return this;
    }

    private static ByteBuffer buffer(String name, SafetensorsDtype dtype, long[] shape, int length) {
        long count = count(name, shape);
        if (count != length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " elements, data has " + length);
        }
        long bytes = count * dtype.itemSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + bytes + " bytes exceed 2 GiB per tensor");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long count(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
