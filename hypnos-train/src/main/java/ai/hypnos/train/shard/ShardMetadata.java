package ai.hypnos.train.shard;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.train.cohort.CohortEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON document next to a shard's arrays ({@code <id>.json}). It is written last and is the
 * shard's completion marker. Fields, in this order:
 * <pre>
 * format "hypnos-token-shard", format_version 1, id, subject, site, split, source,
 * notch_hz, seconds, token_dtype "int16", shape [S, ΣK],
 * layout {modalities: [{name, signal_type, tokenizer, num_quantizers, codebook_size}]},
 * present [bool per modality], tokenizers [{stem, signal_type, num_quantizers, codebook_size,
 * sample_rate, sha256}], channel_resolution {source, entries, warnings}, preprocessing_notes [..]
 * </pre>
 * Nothing in it depends on the machine, the time or the local path of the recording, so the same
 * recording and tokenizers give the same bytes everywhere (Spark executors included).
 */
public final class ShardMetadata {
    /** Value of the {@code format} field. */
    public static final String FORMAT = "hypnos-token-shard";
    /** Current {@code format_version}. */
    public static final int VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ShardMetadata() {
    }

    /** The metadata of a freshly built shard. */
    static ObjectNode of(CohortEntry entry, ShardLayout layout, int seconds, boolean[] presence,
            List<TokenizerIdentity> tokenizers, ResolutionReport report, List<String> notes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", VERSION);
        root.put("id", entry.id());
        root.put("subject", entry.subject());
        root.put("site", entry.site());
        root.put("split", entry.split().key());
        root.put("source", entry.source());
        root.put("notch_hz", entry.notch());
        root.put("seconds", seconds);
        root.put("token_dtype", "int16");
        root.putArray("shape").add(seconds).add(layout.totalK());
        root.set("layout", JSON.valueToTree(layout));
        ArrayNode present = root.putArray("present");
        for (boolean p : presence) {
            present.add(p);
        }
        root.set("tokenizers", JSON.valueToTree(tokenizers));
        // The report names the file it read; keep the manifest's name for it, not this machine's path.
        ResolutionReport portable = new ResolutionReport(entry.source(), report.entries(), report.warnings());
        root.set("channel_resolution", JSON.valueToTree(portable));
        ArrayNode n = root.putArray("preprocessing_notes");
        notes.forEach(n::add);
        return root;
    }

    /** The bytes of the metadata file (UTF-8, two-space indented, "\n" line ends, final newline). */
    public static byte[] bytes(ObjectNode metadata) {
        try {
            return (PRETTY.writeValueAsString(metadata) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata not serialisable", e);
        }
    }

    /**
     * Why a shard's recorded cohort fields differ from the manifest entry being built now, or
     * {@code null} when subject, split, source and notch all match. A shard is reused only when
     * this is {@code null}: the training loader takes subject and split from the metadata, so a
     * shard kept from a run with another split (other --val-fraction/--split-seed, edited
     * manifest) would leak a subject across splits.
     *
     * @param split the entry's split as its manifest key ({@link ai.hypnos.train.cohort.Split#key})
     */
    public static String entryMismatch(JsonNode metadata, String subject, String split, String source, int notch) {
        StringBuilder why = new StringBuilder();
        differs(why, "subject", metadata.path("subject").asText(null), subject);
        differs(why, "split", metadata.path("split").asText(null), split);
        differs(why, "source", metadata.path("source").asText(null), source);
        differs(why, "notch_hz", metadata.path("notch_hz").isInt() ? metadata.path("notch_hz").asText() : null,
                Integer.toString(notch));
        return why.length() == 0 ? null : why.toString();
    }

    /** {@link #entryMismatch} for a cohort entry. */
    public static String entryMismatch(JsonNode metadata, CohortEntry entry) {
        return entryMismatch(metadata, entry.subject(), entry.split().key(), entry.source(), entry.notch());
    }

    private static void differs(StringBuilder why, String field, String recorded, String wanted) {
        if (!wanted.equals(recorded)) {
            if (why.length() > 0) {
                why.append(", ");
            }
            why.append(field).append(" recorded as ").append(recorded == null ? "(missing)" : "'" + recorded + "'")
                    .append(", manifest says '").append(wanted).append('\'');
        }
    }

    /** The layout stored in a shard's metadata. */
    public static ShardLayout layout(JsonNode metadata) {
        return JSON.convertValue(metadata.get("layout"), ShardLayout.class);
    }

    /** The tokenizer identities stored in a shard's metadata. */
    public static List<TokenizerIdentity> tokenizers(JsonNode metadata) {
        return JSON.convertValue(metadata.get("tokenizers"),
                JSON.getTypeFactory().constructCollectionType(List.class, TokenizerIdentity.class));
    }
}
