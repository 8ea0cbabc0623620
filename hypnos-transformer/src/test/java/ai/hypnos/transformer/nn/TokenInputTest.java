package ai.hypnos.transformer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.ModalityLayout;
import ai.hypnos.transformer.Preset;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.TestModelsAccess;
import ai.hypnos.transformer.TransformerConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-modality code sums computed a piece of positions at a time equal those of one gather
 * over every position followed by the selector product (the training path), for piece lengths
 * that do and do not divide the sequence.
 */
class TokenInputTest {

    @ParameterizedTest(name = "pieces of {0} positions")
    @ValueSource(ints = {1, 7, 16, 50})
    void modalitySumsInPiecesEqualOneGather(int piece) {
        TransformerConfig c = Preset.TINY.builder(TestModelsAccess.fourModalities()).build();
        try (RqTransformer model = RqTransformer.initialize(c, Device.cpu(), 5);
                NDManager manager = model.parameters().manager().newSubManager()) {
            ModalityLayout layout = model.layout();
            int batch = 2;
            int seconds = 50;
            int totalK = layout.totalK();
            long[] ids = new long[batch * seconds * totalK];
            SplittableRandom r = new SplittableRandom(piece);
            for (int i = 0; i < ids.length; i++) {
                int col = i % totalK;
                int modality = 0;
                while (modality + 1 < layout.numModalities() && layout.columnOffset(modality + 1) <= col) {
                    modality++;
                }
                ids[i] = r.nextInt(layout.modality(modality).codebookSize());
            }
            NDArray tokens = manager.create(ids, new Shape(batch, seconds, totalK));
            TokenInput input = model.tokenInput();

            ForwardContext wholeCtx = new ForwardContext(manager.newSubManager(), false, DataType.FLOAT32);
            NDArray codes = input.codeEmbeddings(tokens, false, wholeCtx); // [B, S, ΣK, D]
            float[] expected = input.temporalInput(codes, false, manager.ones(new Shape(batch, layout.numModalities())),
                    manager.zeros(new Shape(batch, layout.numModalities()), DataType.INT64), batch, wholeCtx, manager)
                    .transpose(0, 2, 1, 3).toFloatArray(); // presence 1, channel 0: the sums themselves (+ channel row 0)

            ForwardContext pieceCtx = new ForwardContext(manager.newSubManager(), false, DataType.FLOAT32);
            NDArray sums = input.modalitySums(tokens, pieceCtx, manager, piece);
            float[] actual = input.temporalInputFromSums(sums, false, manager.ones(new Shape(batch, layout.numModalities())),
                    manager.zeros(new Shape(batch, layout.numModalities()), DataType.INT64), batch, pieceCtx, manager)
                    .transpose(0, 2, 1, 3).toFloatArray();
            assertArrayEquals(expected, actual, 1e-6f);
        }
    }
}
