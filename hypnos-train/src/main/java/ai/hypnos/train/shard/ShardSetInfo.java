package ai.hypnos.train.shard;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a shard folder was built with ({@code shards-layout.json}): the column layout, the
 * tokenizers' identities and where the tokenizers were loaded from — so pretraining can build
 * the model for the layout and bundle the trained model with the very tokenizers that made its
 * data.
 *
 * @param layout     column layout of every shard in the folder
 * @param tokenizers identities of the tokenizers
 * @param tokenizerSource the tokenizer folder or bundle, as given to the build (absolute)
 */
public record ShardSetInfo(ShardLayout layout, List<TokenizerIdentity> tokenizers, String tokenizerSource) {

    /** The info of a build with these tokenizers. */
    public static ShardSetInfo of(TokenizerSet set) {
        return new ShardSetInfo(set.layout(), set.identities(), set.source().toAbsolutePath().normalize().toString());
    }

    /** Writes {@code shards-layout.json} into {@code dir}. */
    public void write(Path dir) throws IOException {
        ObjectNode root = ShardMetadata.JSON.createObjectNode();
        root.put("format", "hypnos-token-shards");
        root.put("format_version", ShardMetadata.VERSION);
        root.set("layout", ShardMetadata.JSON.valueToTree(layout));
        root.set("tokenizers", ShardMetadata.JSON.valueToTree(tokenizers));
        root.put("tokenizer_source", tokenizerSource);
        try (AtomicFile f = AtomicFile.create(dir.resolve(ShardFiles.LAYOUT_FILE))) {
            f.stream().write(ShardMetadata.bytes(root));
            f.commit();
        }
    }

    /** Reads the {@code shards-layout.json} of a shard folder. */
    public static ShardSetInfo read(Path dir) throws IOException {
        Path file = dir.resolve(ShardFiles.LAYOUT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new HypnosFormatException(file, "file", "missing",
                    "not a shard folder (build one with 'hypnos tokenize')");
        }
        JsonNode root = ShardMetadata.JSON.readTree(file.toFile());
        try {
            return new ShardSetInfo(ShardMetadata.layout(root), ShardMetadata.tokenizers(root),
                    root.path("tokenizer_source").asText(""));
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(file, "layout", root.get("layout"), e.getMessage(), e);
        }
    }
}
