package ai.hypnos.transformer.masking;

/**
 * The outcome of modality masking for one batch.
 *
 * @param presence {@code [B·M]} row-major: which modalities take part (input and loss)
 * @param groupIds {@code [B·M]} group of each modality for the modality layers, or {@code null}
 *                 when all present modalities form one group
 */
public record ModalityMasks(boolean[] presence, int[] groupIds) {
}
