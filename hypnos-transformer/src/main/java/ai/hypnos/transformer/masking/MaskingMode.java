package ai.hypnos.transformer.masking;

/** How training hides modalities from each other (DESIGN §6); switchable for ablations. */
public enum MaskingMode {
    /** Every present modality attends to every other. */
    NONE,
    /** Per sample, a CRP partition of the modalities; modality layers attend within a group. */
    CRP,
    /**
     * Per sample, a CRP partition and one present modality drawn uniformly; only that modality's
     * group stays present (the others are dropped from input and loss).
     */
    RANDOM_SUBSET,
    /** Every modality is dropped independently with probability p; one survivor is kept. */
    MODALITY_DROPOUT,
    /** Every modality attends only to itself, in training and inference. */
    NO_CROSS_MODAL
}
