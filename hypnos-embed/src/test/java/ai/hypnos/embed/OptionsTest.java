package ai.hypnos.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.embed.bundle.BundleReader;
import org.junit.jupiter.api.Test;

/** Options parse what the CLI and DJL pass, and refuse what cannot work with a reason. */
class OptionsTest {
    @Test
    void precisionRefusesBf16WithTheReason() {
        assertEquals(Precision.FP16, Precision.parse("fp16"));
        assertEquals(DataType.FLOAT32, Precision.parse("tf32").dataType());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().contains("aborts the JVM"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BundleReader.read(TestBundles.golden(), Device.cpu(), DataType.BFLOAT16, 64));
    }

    @Test
    void devicesAndOutputTypes() {
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertEquals(OutputType.FLOAT16, OutputType.parse("float16"));
        assertEquals(OutputType.FLOAT32, OutputType.parse("f32"));
        assertThrows(IllegalArgumentException.class, () -> OutputType.parse("int8"));
    }

    @Test
    void embedOptionsValidate() {
        EmbedOptions o = EmbedOptions.defaults();
        assertEquals(50.0, o.notchHz());
        assertEquals(2048, o.chunkTokens());
        assertEquals(60.0, LoadOptions.defaults().withNotchHz(60).embedDefaults().notchHz());
        assertThrows(IllegalArgumentException.class, () -> o.withChunkTokens(0));
        assertThrows(IllegalArgumentException.class, () -> o.withNotchHz(-1));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().withTokenizerChunkTokens(4));
    }
}
