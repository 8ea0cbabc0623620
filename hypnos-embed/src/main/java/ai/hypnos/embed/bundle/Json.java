package ai.hypnos.embed.bundle;

import ai.hypnos.core.HypnosFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Typed reads of bundle-config fields that fail with the file, the field and the value. */
final class Json {
    private Json() {
    }

    static String text(JsonNode o, String key, Path file, String field) throws HypnosFormatException {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new HypnosFormatException(file, field + "." + key, v, "missing or not a non-empty string");
        }
        return v.asText();
    }

    static int positiveInt(JsonNode o, String key, Path file, String field) throws HypnosFormatException {
        JsonNode v = o.get(key);
        boolean integral = v != null && v.isNumber() && v.canConvertToInt()
                && v.asDouble() == Math.rint(v.asDouble());
        if (!integral || v.asInt() < 1) {
            throw new HypnosFormatException(file, field + "." + key, v, "missing or not a positive integer");
        }
        return v.asInt();
    }

    static double positiveNumber(JsonNode o, String key, Path file, String field) throws HypnosFormatException {
        JsonNode v = o.get(key);
        if (v == null || !v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw new HypnosFormatException(file, field + "." + key, v, "missing or not a positive number");
        }
        return v.asDouble();
    }
}
