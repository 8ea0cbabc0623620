package ai.hypnos.core.modality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelAliasesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "C3-M2 | C3-M2", "c3:m2 | C3-M2", "C3/M2 | C3-M2", " C3-M2_PDS | C3-M2", "EEG  C3-A2 | EEG C3-A2",
        "EOG(L) | EOG(L)", "Fp1_EG | FP1", "ecg | ECG"})
    void normalise(String label, String expected) {
        assertEquals(expected, ChannelAliases.normalise(label));
    }

    @ParameterizedTest
    @CsvSource({"C3-M2,true", "EEG C3-A2,true", "E1-TP10,true", "c4:m1,true", "C3,false", "LOC,false", "EEG(sec),false",
        "M2,false", "A1,false", "EOG(L),false"})
    void namesReference(String label, boolean expected) {
        assertEquals(expected, ChannelAliases.namesReference(label));
    }

    @Test
    void noLabelBelongsToTwoModalities() {
        Set<String> seen = new HashSet<>();
        for (Modality m : Modality.values()) {
            assertTrue(seen.add(ChannelAliases.normalise(ChannelAliases.canonical(m).label())), m.key());
            for (ChannelAliases.Alias a : ChannelAliases.aliases(m)) {
                assertTrue(seen.add(ChannelAliases.normalise(a.label())), a.label());
            }
            for (ChannelAliases.Alias a : ChannelAliases.fallbackAliases(m)) {
                assertTrue(seen.add(ChannelAliases.normalise(a.label())), a.label());
            }
        }
        assertFalse(seen.contains("M1"));
        assertEquals("M2", ChannelAliases.reference(Modality.EEG_C3).orElseThrow());
        assertEquals("M1", ChannelAliases.reference(Modality.EOG_E2).orElseThrow());
        assertTrue(ChannelAliases.reference(Modality.ECG).isEmpty());
    }
}
