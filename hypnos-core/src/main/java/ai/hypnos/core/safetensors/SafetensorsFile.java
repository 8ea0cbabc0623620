package ai.hypnos.core.safetensors;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.SharedReadChannel;
import ai.hypnos.core.numeric.BFloat16;
import ai.hypnos.core.numeric.Float16;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (the weight-bundle format, DESIGN §7), opened for random access.
 *
 * <pre>{@code
 * try (SafetensorsFile st = SafetensorsFile.open(Path.of("hypnos.safetensors"))) {
 *     String config = st.metadata().get("config");
 *     for (String name : st.tensorNames()) System.out.println(st.info(name));
 *     float[] w = st.floats("model/channel_embed.weight");   // F32, F16, BF16 or F64 -> float32
 * }
 * }</pre>
 *
 * <h2>Safety</h2>
 * {@link #open} reads only the header and checks all of it before returning: the 8-byte header
 * length (at most 100 MB, as the safetensors library allows, and within the file), strict UTF-8,
 * a JSON object, {@code __metadata__} as a map of strings, every tensor's dtype (known names
 * only), shape (non-negative integers whose product × item size does not overflow) and
 * {@code data_offsets} (inside the file, byte count = elements × item size), no duplicate names,
 * and tensors that tile the data section exactly (no gaps, no overlaps, no trailing bytes).
 * Each failure is a {@link HypnosFormatException} naming the file, the tensor (or header field),
 * the expected and the found value. Tensor data are read on demand with positioned reads, never
 * through a native library (DJL aborts the JVM on BF16), and at most one tensor at a time is
 * held in memory. Non-finite weights are found by {@link #checkFinite} or
 * {@link #floats(String, boolean)}; they are not an error of the format.
 *
 * <p>Thread-safe: any number of threads may read tensors concurrently. A thread interrupted
 * while reading gets an {@link java.io.InterruptedIOException} naming the file; the others read
 * on ({@link SharedReadChannel} opens the file again if the interrupt closed it). Reads after
 * {@link #close()} throw {@link java.nio.channels.ClosedChannelException}.
 */
public final class SafetensorsFile implements Closeable {
    /** The safetensors library's limit on the header size. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Longest shape we accept (well beyond any real tensor). */
    static final int MAX_DIMS = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .maxNestingDepth(64)
                    .build())
            .build());

    private final Path file;
    private final SharedReadChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private SafetensorsFile(Path file, SharedReadChannel channel, long dataStart, Map<String, String> metadata,
                            List<TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = List.copyOf(tensors);
        Map<String, TensorInfo> m = new HashMap<>();
        for (TensorInfo t : tensors) {
            m.put(t.name(), t);
        }
        this.byName = m;
    }

    /** Opens a file and validates its header (see the class comment); no tensor data are read. */
    public static SafetensorsFile open(Path file) throws IOException {
        SharedReadChannel ch = SharedReadChannel.open(file);
        try {
            return parse(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path file, SharedReadChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new HypnosFormatException(file, "header length", size + " bytes in the file",
                    "a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file, "header length");
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new HypnosFormatException(file, "header length", Long.toUnsignedString(n),
                    "expected at most " + MAX_HEADER_BYTES + " bytes (the safetensors limit)");
        }
        if (n > size - 8) {
            throw new HypnosFormatException(file, "header length", n,
                    "expected at most " + (size - 8) + " (the bytes after the length field): header runs past the end of the file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(ch, headerBytes, 8, file, "header");
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new HypnosFormatException(file, "header", "invalid UTF-8", "the JSON header must be UTF-8", e);
        }
        long dataStart = 8 + n;
        long dataSize = size - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        parseHeader(file, header, dataSize, metadata, tensors);
        checkTiling(file, tensors, dataSize);
        return new SafetensorsFile(file, ch, dataStart, metadata, tensors);
    }

    /** Reads the JSON header into metadata and tensors (header order), checking each entry alone. */
    private static void parseHeader(Path file, String header, long dataSize, Map<String, String> metadata,
                                    List<TensorInfo> tensors) throws HypnosFormatException {
        // Some writers pad with NUL bytes instead of spaces; JSON parsers treat those as garbage.
        int end = header.length();
        while (end > 0 && (header.charAt(end - 1) == '\0' || Character.isWhitespace(header.charAt(end - 1)))) {
            end--;
        }
        String text = header.substring(0, end);
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HypnosFormatException(file, "header", abbreviate(text), "expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = p.readValueAsTree();
                if (!seen.add(name)) {
                    throw new HypnosFormatException(file, name, "appears twice", "duplicate tensor name in the header");
                }
                if (name.equals("__metadata__")) {
                    readMetadata(file, value, metadata);
                } else {
                    tensors.add(readTensor(file, name, value, dataSize));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new HypnosFormatException(file, "header", abbreviate(text), "text after the JSON object");
            }
        } catch (HypnosFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new HypnosFormatException(file, "header", abbreviate(text), "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new HypnosFormatException(file, "header", abbreviate(text), "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void readMetadata(Path file, JsonNode value, Map<String, String> metadata) throws HypnosFormatException {
        if (!value.isObject()) {
            throw new HypnosFormatException(file, "__metadata__", abbreviate(value.toString()),
                    "expected a JSON object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new HypnosFormatException(file, "__metadata__." + e.getKey(), abbreviate(e.getValue().toString()),
                        "expected a string value (safetensors metadata maps strings to strings)");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo readTensor(Path file, String name, JsonNode v, long dataSize) throws HypnosFormatException {
        if (!v.isObject()) {
            throw new HypnosFormatException(file, name, abbreviate(v.toString()),
                    "expected an object with dtype, shape and data_offsets");
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new HypnosFormatException(file, name + ".dtype", dt, "expected a dtype name such as \"F32\"");
        }
        SafetensorsDtype dtype = SafetensorsDtype.byName(dt.textValue());
        if (dtype == null) {
            throw new HypnosFormatException(file, name + ".dtype", dt.textValue(),
                    "unknown dtype; expected one of " + Arrays.toString(SafetensorsDtype.values()));
        }
        JsonNode sh = v.get("shape");
        if (sh == null || !sh.isArray()) {
            throw new HypnosFormatException(file, name + ".shape", sh, "expected an array of dimensions");
        }
        if (sh.size() > MAX_DIMS) {
            throw new HypnosFormatException(file, name + ".shape", sh.size() + " dimensions", "expected at most " + MAX_DIMS);
        }
        long[] shape = new long[sh.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(file, name + ".shape", sh, sh.get(i));
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new HypnosFormatException(file, name + ".shape", sh.toString(), "element count overflows 64 bits");
            }
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(count, (long) dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new HypnosFormatException(file, name + ".shape", sh.toString(), "byte count overflows 64 bits");
        }
        JsonNode off = v.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2) {
            throw new HypnosFormatException(file, name + ".data_offsets", off, "expected [begin, end]");
        }
        long begin = nonNegativeLong(file, name + ".data_offsets", off, off.get(0));
        long end = nonNegativeLong(file, name + ".data_offsets", off, off.get(1));
        if (end < begin) {
            throw new HypnosFormatException(file, name + ".data_offsets", off.toString(), "end before begin");
        }
        if (end > dataSize) {
            throw new HypnosFormatException(file, name + ".data_offsets", off.toString(),
                    "outside the file: expected end <= " + dataSize + " (bytes after the header), found " + end);
        }
        if (end - begin != expectedBytes) {
            throw new HypnosFormatException(file, name, dtype + " " + sh,
                    "byte count disagrees with dtype x shape: expected " + count + " x " + dtype.itemSize() + " = "
                            + expectedBytes + " bytes, found data_offsets " + off + " = " + (end - begin) + " bytes");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(Path file, String field, JsonNode whole, JsonNode n) throws HypnosFormatException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new HypnosFormatException(file, field, whole.toString(),
                    "expected non-negative integers below 2^63, found " + n);
        }
        return n.longValue();
    }

    /** Tensors must cover the data section exactly, in offset order, like the library writes them. */
    private static void checkTiling(Path file, List<TensorInfo> tensors, long dataSize) throws HypnosFormatException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < expected) {
                throw new HypnosFormatException(file, t.name() + ".data_offsets", "[" + t.begin() + ", " + t.end() + "]",
                        "overlaps tensor '" + previous.name() + "' (which ends at " + expected + ")");
            }
            if (t.begin() > expected) {
                throw new HypnosFormatException(file, t.name() + ".data_offsets", "[" + t.begin() + ", " + t.end() + "]",
                        "not contiguous: expected the tensor to begin at " + expected + ", found a gap of "
                                + (t.begin() - expected) + " bytes");
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataSize) {
            throw new HypnosFormatException(file, "data", dataSize + " bytes after the header",
                    "expected the tensors to cover them exactly, but they end at " + expected
                            + (expected < dataSize ? " (trailing bytes)" : ""));
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::begin)); // stable: header order among empty tensors
    }

    // ------------------------------------------------------------------------------------------
    // Header

    /** The file. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} map, in header order; empty if absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in file order (by data offset). */
    public List<String> tensorNames() {
        List<String> out = new ArrayList<>(tensors.size());
        for (TensorInfo t : tensors) {
            out.add(t.name());
        }
        return out;
    }

    /** All tensor entries in file order. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * One tensor's entry.
     *
     * @throws IllegalArgumentException if the file has no such tensor
     */
    public TensorInfo info(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "' (" + tensors.size() + " tensors)");
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------
    // Data

    /** The tensor's bytes, little-endian, read-only, in a fresh heap buffer. */
    public ByteBuffer raw(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.byteSize() > Integer.MAX_VALUE - 8) {
            throw new HypnosFormatException(file, name, t.byteSize() + " bytes",
                    "tensor larger than 2 GiB cannot be read into one Java array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) t.byteSize());
        readFully(channel, b, dataStart + t.begin(), file, name);
        return b.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A floating-point tensor (F32, F16, BF16 or F64) as float32; F64 rounds to nearest. */
    public float[] floats(String name) throws IOException {
        return floats(name, false);
    }

    /**
     * A floating-point tensor as float32, optionally rejecting NaN and infinite values.
     *
     * @param requireFinite if true, a non-finite element is a {@link HypnosFormatException}
     *                      naming the tensor and the first bad element
     */
    public float[] floats(String name, boolean requireFinite) throws IOException {
        TensorInfo t = info(name);
        ByteBuffer b = raw(name);
        int n = (int) t.elementCount();
        float[] out = new float[n];
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = BFloat16.toFloat(b.getShort(2 * i));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    double d = b.getDouble(8 * i);
                    out[i] = (float) d;
                    if (requireFinite && !Double.isFinite(d)) {
                        throw nonFinite(t, i, d);
                    }
                }
            }
            default -> throw wrongKind(t, "a floating-point tensor (F32, F16, BF16 or F64)");
        }
        if (requireFinite) {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(out[i])) {
                    throw nonFinite(t, i, out[i]);
                }
            }
        }
        return out;
    }

    /** A floating-point tensor as float64 (exact for every floating dtype). */
    public double[] doubles(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype() == SafetensorsDtype.F64) {
            double[] out = new double[(int) t.elementCount()];
            raw(name).asDoubleBuffer().get(out);
            return out;
        }
        float[] f = floats(name);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** An integer or BOOL tensor as int64 (U64 above 2^63 - 1 is refused). */
    public long[] longs(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype().isFloatingPoint()) {
            throw wrongKind(t, "an integer or BOOL tensor");
        }
        ByteBuffer b = raw(name);
        int n = (int) t.elementCount();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case BOOL -> b.get(i) != 0 ? 1 : 0;
                case U8 -> b.get(i) & 0xff;
                case I8 -> b.get(i);
                case I16 -> b.getShort(2 * i);
                case U16 -> b.getShort(2 * i) & 0xffff;
                case I32 -> b.getInt(4 * i);
                case U32 -> b.getInt(4 * i) & 0xffffffffL;
                case I64 -> b.getLong(8 * i);
                case U64 -> {
                    long v = b.getLong(8 * i);
                    if (v < 0) {
                        throw new HypnosFormatException(file, name, Long.toUnsignedString(v) + " at element " + i,
                                "U64 value does not fit a signed 64-bit long");
                    }
                    yield v;
                }
                default -> throw wrongKind(t, "an integer or BOOL tensor");
            };
        }
        return out;
    }

    /** A BOOL tensor (any non-zero byte is true). */
    public boolean[] bools(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype() != SafetensorsDtype.BOOL) {
            throw wrongKind(t, "a BOOL tensor");
        }
        ByteBuffer b = raw(name);
        boolean[] out = new boolean[b.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i) != 0;
        }
        return out;
    }

    /** Throws if a floating-point tensor holds NaN or an infinity; integer tensors always pass. */
    public void checkFinite(String name) throws IOException {
        if (info(name).dtype().isFloatingPoint()) {
            floats(name, true);
        }
    }

    /** {@link #checkFinite} for every tensor, in file order. */
    public void checkAllFinite() throws IOException {
        for (TensorInfo t : tensors) {
            checkFinite(t.name());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + tensors.size() + " tensors]";
    }

    // ------------------------------------------------------------------------------------------

    private HypnosFormatException wrongKind(TensorInfo t, String expected) {
        return new HypnosFormatException(file, t.name(), t.dtype() + " " + Arrays.toString(t.shape()),
                "expected " + expected + ", found dtype " + t.dtype());
    }

    private HypnosFormatException nonFinite(TensorInfo t, int index, double value) {
        return new HypnosFormatException(file, t.name(), value + " at element " + index + " of " + Arrays.toString(t.shape()),
                "non-finite weight (NaN or infinity)");
    }

    private static void readFully(SharedReadChannel ch, ByteBuffer b, long position, Path file, String field) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new HypnosFormatException(file, field, "offset " + pos, "file ended early (truncated?)", new EOFException());
            }
            pos += r;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
