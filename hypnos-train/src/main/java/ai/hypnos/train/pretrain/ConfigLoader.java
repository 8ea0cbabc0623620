package ai.hypnos.train.pretrain;

import ai.hypnos.core.HypnosFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@link PretrainConfig}: the defaults ({@code defaults.yaml} next to this class), a
 * YAML or JSON file merged over them (objects merge key by key, anything else replaces), then
 * {@code key.path=value} overrides. Unknown keys are errors, so a typo never silently keeps a
 * default.
 *
 * <p>Paths ({@code run_dir}, {@code shards}, {@code tokenizers}): relative ones in a file are
 * relative to the file's folder; relative ones in an override are relative to the current
 * directory. The effective configuration holds absolute paths.
 */
public final class ConfigLoader {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final List<String> PATH_KEYS = List.of("run_dir", "shards", "tokenizers");
    /** Numbers YAML 1.1 reads as strings ({@code 3e-4}, no dot). */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private ConfigLoader() {
    }

    /**
     * The configuration of a file (may be {@code null}: defaults only) with overrides applied,
     * validated.
     *
     * @param overrides {@code key.path=value}; the value is read as YAML ({@code 3}, {@code 1.0e-4},
     *                  {@code true}, {@code null}, {@code [cpu, cpu]}, text)
     * @throws HypnosFormatException    for an unreadable file
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it
     */
    public static PretrainConfig load(Path file, List<String> overrides) throws IOException {
        ObjectNode tree = defaults();
        if (file != null) {
            JsonNode user = read(file);
            if (!user.isObject()) {
                throw new HypnosFormatException(file, "top level", user.getNodeType(), "a config file must be a mapping");
            }
            Path base = file.toAbsolutePath().getParent();
            resolvePaths((ObjectNode) user, base);
            merge(tree, user);
        }
        for (String o : overrides) {
            override(tree, o);
        }
        resolvePaths(tree, Path.of("").toAbsolutePath());
        return bind(tree);
    }

    /** The built-in defaults as a tree. */
    public static ObjectNode defaults() throws IOException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            if (in == null) {
                throw new IllegalStateException("defaults.yaml missing from the hypnos-train jar");
            }
            return (ObjectNode) YAML.readTree(in);
        }
    }

    private static JsonNode read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            return name.endsWith(".json") ? JSON.readTree(file.toFile()) : YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HypnosFormatException(file, "line " + e.getLocation().getLineNr(), e.getOriginalMessage(),
                    "not valid " + (name.endsWith(".json") ? "JSON" : "YAML"), e);
        }
    }

    /** Merges {@code over} into {@code base}: objects key by key, anything else replaces. */
    static void merge(ObjectNode base, JsonNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mine = base.get(e.getKey());
            if (mine instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** Applies one {@code a.b.c=value} override. */
    static void override(ObjectNode root, String assignment) throws IOException {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set expects key=value, got '" + assignment + "'");
        }
        String[] path = assignment.substring(0, eq).strip().split("\\.");
        JsonNode value = YAML.readTree(assignment.substring(eq + 1).isBlank() ? "null" : assignment.substring(eq + 1));
        if (value == null || value.isMissingNode()) {
            value = JsonNodeFactory.instance.nullNode();
        }
        ObjectNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(path[i]);
            } else if (!child.isObject()) {
                throw new IllegalArgumentException("--set " + assignment + ": '" + String.join(".", List.of(path).subList(0, i + 1))
                        + "' is not a section");
            }
            node = (ObjectNode) child;
        }
        node.set(path[path.length - 1], value);
    }

    private static void resolvePaths(ObjectNode tree, Path base) {
        for (String k : PATH_KEYS) {
            JsonNode v = tree.get(k);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                tree.put(k, base.resolve(v.asText()).toAbsolutePath().normalize().toString());
            }
        }
    }

    /**
     * Binds a tree to a validated configuration.
     *
     * @throws IllegalArgumentException naming the unknown or malformed key
     */
    public static PretrainConfig bind(JsonNode tree) {
        normaliseNumbers(tree.path("model").path("kwargs"));
        try {
            return JSON.treeToValue(tree, PretrainConfig.class).validate();
        } catch (JsonProcessingException e) {
            String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? m.getPathReference() : "";
            throw new IllegalArgumentException("config " + where.replace("ai.hypnos.train.pretrain.", "") + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** YAML 1.1 reads {@code 1e-4} as text: turn such texts into numbers inside model_kwargs. */
    private static void normaliseNumbers(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue() instanceof TextNode t && NUMBER.matcher(t.asText()).matches()) {
                    e.setValue(DoubleNode.valueOf(Double.parseDouble(t.asText())));
                } else {
                    normaliseNumbers(e.getValue());
                }
            }
        }
    }

    /** A configuration as a tree (the effective configuration). */
    public static ObjectNode toTree(PretrainConfig config) {
        return JSON.valueToTree(config);
    }

    /** A configuration as YAML text. */
    public static String toYaml(PretrainConfig config) {
        try {
            return YAML.writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the JSON a checkpoint stores, over the defaults: keys added to the configuration
     * after the checkpoint was written take their default values.
     */
    public static PretrainConfig fromJson(String json) throws IOException {
        ObjectNode tree = defaults();
        merge(tree, JSON.readTree(json));
        return bind(tree);
    }
}
