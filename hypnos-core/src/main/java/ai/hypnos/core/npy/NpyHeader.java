package ai.hypnos.core.npy;

import ai.hypnos.core.HypnosFormatException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of an NPY file: element type, byte order, memory order, shape, and where the data
 * start. Parsed strictly from the Python-literal dictionary numpy writes
 * ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}), versions 1.0, 2.0 and
 * 3.0; every check names the file and the field that failed.
 */
public final class NpyHeader {
    /** The six magic bytes every NPY file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header we parse; numpy itself refuses more than 10 000 characters. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** numpy's limit on dimensions. */
    static final int MAX_DIMS = 64;
    /** numpy pads the header so the data start on a multiple of this. */
    private static final int ARRAY_ALIGN = 64;
    /** numpy leaves room for the growth axis to reach this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private final NpyDtype dtype;
    private final int itemSize;
    private final ByteOrder byteOrder;
    private final boolean fortranOrder;
    private final long[] shape;
    private final int majorVersion;
    private final int minorVersion;
    private final long dataOffset;

    NpyHeader(NpyDtype dtype, int itemSize, ByteOrder byteOrder, boolean fortranOrder, long[] shape,
              int majorVersion, int minorVersion, long dataOffset) {
        this.dtype = dtype;
        this.itemSize = itemSize;
        this.byteOrder = byteOrder;
        this.fortranOrder = fortranOrder;
        this.shape = shape.clone();
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
        this.dataOffset = dataOffset;
    }

    public NpyDtype dtype() {
        return dtype;
    }

    /** Bytes per element (for {@link NpyDtype#UNICODE}: 4 × the string width). */
    public int itemSize() {
        return itemSize;
    }

    /** Byte order of the data in the file ({@code '<'}, {@code '|'}: little; {@code '>'}: big). */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** True when the file stores the array in Fortran (column-major) order. */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d; // cannot overflow: checked when the header was parsed or built
        }
        return n;
    }

    /** Bytes of array data that follow the header. */
    public long dataBytes() {
        return elementCount() * itemSize;
    }

    public int majorVersion() {
        return majorVersion;
    }

    public int minorVersion() {
        return minorVersion;
    }

    /** Offset of the first data byte from the start of the NPY file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** numpy's type string, e.g. {@code "<f4"}, {@code "|b1"}, {@code "<U8"}. */
    public String descr() {
        return descr(dtype, itemSize, byteOrder);
    }

    static String descr(NpyDtype dtype, int itemSize, ByteOrder order) {
        char endian = itemSize == 1 && dtype != NpyDtype.UNICODE ? '|'
                : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
        int count = dtype == NpyDtype.UNICODE ? itemSize / 4 : itemSize;
        return "" + endian + dtype.kind() + count;
    }

    @Override
    public String toString() {
        return "NpyHeader{descr=" + descr() + ", fortran_order=" + fortranOrder + ", shape="
                + Arrays.toString(shape) + ", version=" + majorVersion + "." + minorVersion
                + ", dataOffset=" + dataOffset + "}";
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * The header bytes numpy would write for a C-ordered array: version 1.0, keys sorted,
     * spare room for the first axis to grow, padded with spaces and a newline to 64 bytes.
     */
    static byte[] encode(NpyDtype dtype, int itemSize, ByteOrder order, long[] shape) {
        StringBuilder dict = new StringBuilder();
        dict.append("{'descr': '").append(descr(dtype, itemSize, order)).append("', ");
        dict.append("'fortran_order': False, ");
        dict.append("'shape': ").append(shapeRepr(shape)).append(", ");
        dict.append('}');
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1; // + final newline
        int prefix = MAGIC.length + 2 + 2; // magic, version, uint16 length
        int padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
        int total = hlen + padlen;
        if (total > 0xffff) {
            throw new IllegalArgumentException("NPY header of " + total + " bytes does not fit version 1.0");
        }
        byte[] out = new byte[prefix + total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (total & 0xff);
        out[9] = (byte) (total >>> 8);
        System.arraycopy(text, 0, out, prefix, text.length);
        Arrays.fill(out, prefix + text.length, out.length - 1, (byte) ' ');
        out[out.length - 1] = '\n';
        return out;
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (3, 4)}. */
    static String shapeRepr(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads and validates a header from the start of an NPY stream.
     *
     * @param in        positioned at the magic string; left at the first data byte
     * @param file      the file, for messages
     * @param where     prefix for field names in messages (e.g. {@code "entry 'x.npy' "}), or ""
     * @param totalSize bytes the NPY holds in all (header + data), or -1 when unknown
     */
    static NpyHeader read(InputStream in, Path file, String where, long totalSize) throws IOException {
        byte[] prefix = new byte[8];
        readFully(in, prefix, file, where + "magic");
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix[i] != MAGIC[i]) {
                throw new HypnosFormatException(file, where + "magic", printable(prefix, 6),
                        "not an NPY file (expected \\x93NUMPY)");
            }
        }
        int major = prefix[6] & 0xff;
        int minor = prefix[7] & 0xff;
        if (!(minor == 0 && (major == 1 || major == 2 || major == 3))) {
            throw new HypnosFormatException(file, where + "version", major + "." + minor,
                    "unsupported NPY format version (1.0, 2.0 and 3.0 are known)");
        }
        long headerLength;
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] len = new byte[lengthBytes];
        readFully(in, len, file, where + "header_len");
        if (major == 1) {
            headerLength = (len[0] & 0xff) | ((len[1] & 0xff) << 8);
        } else {
            headerLength = (len[0] & 0xffL) | ((len[1] & 0xffL) << 8) | ((len[2] & 0xffL) << 16) | ((len[3] & 0xffL) << 24);
        }
        long dataOffset = 8 + lengthBytes + headerLength;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new HypnosFormatException(file, where + "header_len", headerLength,
                    "header longer than " + MAX_HEADER_BYTES + " bytes; refusing to parse it");
        }
        if (totalSize >= 0 && dataOffset > totalSize) {
            throw new HypnosFormatException(file, where + "header_len", headerLength,
                    "header runs past the end of the data (" + totalSize + " bytes in all)");
        }
        byte[] text = new byte[(int) headerLength];
        readFully(in, text, file, where + "header");
        String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Map<String, Object> dict = new LiteralParser(header, file, where + "header").parseDict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new HypnosFormatException(file, where + "header", dict.keySet(),
                    "expected exactly the keys descr, fortran_order, shape");
        }
        Object descrValue = dict.get("descr");
        if (!(descrValue instanceof String descr)) {
            throw new HypnosFormatException(file, where + "descr", descrValue,
                    "structured (record) dtypes are not supported; only plain numeric, bool and unicode arrays");
        }
        Object fortranValue = dict.get("fortran_order");
        if (!(fortranValue instanceof Boolean fortran)) {
            throw new HypnosFormatException(file, where + "fortran_order", fortranValue, "not True or False");
        }
        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof long[] shape)) {
            throw new HypnosFormatException(file, where + "shape", shapeValue, "not a tuple of integers");
        }
        if (shape.length > MAX_DIMS) {
            throw new HypnosFormatException(file, where + "shape", shape.length + " dimensions",
                    "more than " + MAX_DIMS + " dimensions");
        }
        DescrParts parts = parseDescr(descr, file, where + "descr");
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new HypnosFormatException(file, where + "shape", shapeRepr(shape), "negative dimension");
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new HypnosFormatException(file, where + "shape", shapeRepr(shape), "element count overflows 64 bits");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, (long) parts.itemSize);
        } catch (ArithmeticException e) {
            throw new HypnosFormatException(file, where + "shape", shapeRepr(shape), "byte count overflows 64 bits");
        }
        if (totalSize >= 0 && totalSize - dataOffset != bytes) {
            throw new HypnosFormatException(file, where + "shape", shapeRepr(shape),
                    "shape x itemsize = " + count + " x " + parts.itemSize + " = " + bytes
                            + " bytes, but " + (totalSize - dataOffset) + " bytes of data follow the header"
                            + (totalSize - dataOffset < bytes ? " (truncated file?)" : ""));
        }
        return new NpyHeader(parts.dtype, parts.itemSize, parts.order, fortran, shape, major, minor, dataOffset);
    }

    private record DescrParts(NpyDtype dtype, int itemSize, ByteOrder order) {
    }

    private static DescrParts parseDescr(String descr, Path file, String field) throws HypnosFormatException {
        if (descr.length() < 2 || descr.length() > 12) {
            throw new HypnosFormatException(file, field, descr, "unknown dtype");
        }
        int p = 0;
        char endian = '=';
        char c0 = descr.charAt(0);
        if (c0 == '<' || c0 == '>' || c0 == '|' || c0 == '=') {
            endian = c0;
            p = 1;
        }
        char kind = descr.charAt(p);
        String digits = descr.substring(p + 1);
        if (kind == 'O') {
            throw new HypnosFormatException(file, field, descr, "object arrays (pickled Python objects) are not supported");
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HypnosFormatException(file, field, descr, "unknown dtype");
        }
        // The 12-character cap above still admits 10 digits, beyond int: a width that large is
        // no dtype, and Integer.parseInt would fail with a message naming neither file nor field.
        if (digits.length() > 9) {
            throw new HypnosFormatException(file, field, descr, "item size " + digits + " is far beyond any dtype");
        }
        int count = Integer.parseInt(digits);
        int itemSize;
        NpyDtype dtype;
        if (kind == 'U') {
            if (count < 1 || count > (1 << 20)) {
                throw new HypnosFormatException(file, field, descr, "unicode width must be 1.." + (1 << 20) + " characters");
            }
            dtype = NpyDtype.UNICODE;
            itemSize = 4 * count;
        } else {
            dtype = NpyDtype.of(kind, count);
            itemSize = count;
            if (dtype == null) {
                throw new HypnosFormatException(file, field, descr,
                        "unknown or unsupported dtype (supported: bool, int8-64, uint8-64, float16/32/64, unicode)");
            }
        }
        if (endian == '|' && itemSize > 1 && dtype != NpyDtype.UNICODE) {
            throw new HypnosFormatException(file, field, descr, "'|' (no byte order) on a multi-byte type");
        }
        // '=' is the writer's native order; numpy never writes it, and every platform that
        // produces our files is little-endian.
        ByteOrder order = endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new DescrParts(dtype, itemSize, order);
    }

    private static void readFully(InputStream in, byte[] buf, Path file, String field) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new HypnosFormatException(file, field, off + " of " + buf.length + " bytes",
                        "file ends inside the NPY header", new EOFException());
            }
            off += n;
        }
    }

    private static String printable(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    /**
     * A strict parser for the subset of Python literals an NPY header uses: a dict with string
     * keys whose values are strings, True/False, integers, or tuples/lists of these.
     * Tuples of integers come back as {@code long[]}; anything else in a tuple or list as a
     * {@code List}. Python 2 long suffixes ({@code 3L}) are accepted, as numpy does.
     */
    private static final class LiteralParser {
        private final String s;
        private final Path file;
        private final String field;
        private int pos;

        LiteralParser(String s, Path file, String field) {
            this.s = s;
            this.file = file;
            this.field = field;
        }

        Map<String, Object> parseDict() throws HypnosFormatException {
            skipSpace();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            skipSpace();
            while (peek() != '}') {
                Object key = parseValue(0);
                if (!(key instanceof String k)) {
                    throw fail("dictionary key is not a string");
                }
                skipSpace();
                expect(':');
                Object value = parseValue(0);
                if (out.put(k, value) != null) {
                    throw fail("duplicate key '" + k + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw fail("unexpected text after the dictionary");
            }
            return out;
        }

        private Object parseValue(int depth) throws HypnosFormatException {
            if (depth > 8) {
                throw fail("nesting too deep");
            }
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString(c);
            }
            if (c == '(' || c == '[') {
                return parseSequence(c == '(' ? ')' : ']', depth);
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '-' || Character.isDigit(c)) {
                return parseInteger();
            }
            throw fail("unexpected character '" + c + "'");
        }

        private Object parseSequence(char close, int depth) throws HypnosFormatException {
            pos++;
            List<Object> items = new ArrayList<>();
            skipSpace();
            while (peek() != close) {
                items.add(parseValue(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != close) {
                    throw fail("expected ',' or '" + close + "'");
                }
            }
            pos++;
            if (close == ')' && items.stream().allMatch(o -> o instanceof Long)) {
                long[] out = new long[items.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (Long) items.get(i);
                }
                return out;
            }
            return items;
        }

        private String parseString(char quote) throws HypnosFormatException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        throw fail("unterminated string");
                    }
                    sb.append(s.charAt(pos++));
                } else {
                    sb.append(c);
                }
            }
        }

        private Long parseInteger() throws HypnosFormatException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw fail("integer '" + digits + "' out of range");
            }
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() throws HypnosFormatException {
            if (pos >= s.length()) {
                throw fail("header ends early");
            }
            return s.charAt(pos);
        }

        private void expect(char c) throws HypnosFormatException {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private HypnosFormatException fail(String problem) {
            return new HypnosFormatException(file, field, s.strip(), "cannot parse the header dictionary at character " + pos + ": " + problem);
        }
    }
}
