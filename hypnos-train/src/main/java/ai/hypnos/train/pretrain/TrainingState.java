package ai.hypnos.train.pretrain;

import ai.hypnos.train.data.DataPosition;

/**
 * Where a run stands after {@code step} optimiser steps — with the weights and optimiser
 * moments, everything a resumed run needs to continue exactly.
 *
 * @param step          optimiser steps done
 * @param position      the next training window
 * @param rngState      state of the generator that draws the modality masks
 * @param bestValLoss   lowest validation loss so far (NaN before the first validation)
 * @param bestStep      step of that validation (-1 before)
 * @param elapsedSeconds training wall time so far (for throughput over a resumed run)
 */
public record TrainingState(long step, DataPosition position, long rngState, double bestValLoss, long bestStep,
        double elapsedSeconds) {
}
