package ai.hypnos.cli.quickstart;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.synth.CohortSpec;
import ai.hypnos.core.synth.Site;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec a synthetic cohort was generated with ({@value #NAME}, beside its manifest), so a
 * later run can tell whether the cohort it finds is the one it asks for.
 */
public final class CohortSpecFile {
    /** File name, in the cohort folder. */
    public static final String NAME = "cohort-spec.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CohortSpecFile() {
    }

    /** The JSON form of a cohort spec, as stored beside a generated cohort and quoted in errors. */
    public static String json(CohortSpec spec) {
        ObjectNode n = JSON.createObjectNode();
        n.put("subjects", spec.subjects());
        n.put("hours", spec.hours());
        n.put("seed", spec.seed());
        ArrayNode sites = n.putArray("sites");
        spec.sites().forEach(s -> sites.add(s.key()));
        n.put("faults", spec.faults());
        return n.toString();
    }

    /** Writes {@code spec} to {@code file} atomically. */
    public static void write(Path file, CohortSpec spec) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write((json(spec) + "\n").getBytes(StandardCharsets.UTF_8));
            f.commit();
        }
    }

    /** Reads a stored spec back; compared as a {@link CohortSpec}, not as text, so formatting does not matter. */
    public static CohortSpec read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HypnosFormatException(file, "(root)", e.getOriginalMessage(), "not valid JSON; delete the cohort folder to regenerate it", e);
        }
        if (n == null || !n.isObject()) {
            throw new HypnosFormatException(file, "(root)", n == null ? "empty" : n.getNodeType(),
                    "not a JSON object; delete the cohort folder to regenerate it");
        }
        for (String field : List.of("subjects", "hours", "seed", "sites", "faults")) {
            if (!n.has(field)) {
                throw new HypnosFormatException(file, field, "missing", "cohort spec incomplete; delete the cohort folder to regenerate it");
            }
        }
        List<Site> sites = new ArrayList<>();
        for (JsonNode s : n.get("sites")) {
            try {
                sites.add(Site.fromKey(s.asText()));
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(file, "sites", s.asText(), e.getMessage(), e);
            }
        }
        try {
            return new CohortSpec(n.get("subjects").asInt(), n.get("hours").asDouble(), n.get("seed").asLong(), sites,
                    n.get("faults").asBoolean());
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file, "(root)", n.toString(), e.getMessage(), e);
        }
    }
}
