package ai.hypnos.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dynamic loss-scale rule, step by step, against PyTorch's {@code GradScaler} semantics. */
class LossScalerTest {

    @Test
    void backsOffOnOverflowAndGrowsAfterTheIntervalOfCleanSteps() {
        LossScaler s = LossScaler.dynamic(LossScaler.DEFAULT_INITIAL, 3);
        assertEquals(65536.0, s.scale());
        assertFalse(s.update(false), "a non-finite step is skipped");
        assertEquals(32768.0, s.scale(), "halved");
        assertTrue(s.update(true));
        assertTrue(s.update(true));
        assertEquals(32768.0, s.scale(), "two clean steps: not yet");
        assertTrue(s.update(true));
        assertEquals(65536.0, s.scale(), "third clean step in a row doubles");
        assertTrue(s.update(true));
        assertTrue(s.update(true));
        assertFalse(s.update(false), "an overflow resets the count of clean steps");
        assertEquals(32768.0, s.scale());
        assertTrue(s.update(true));
        assertTrue(s.update(true));
        assertEquals(32768.0, s.scale(), "count restarted after the overflow");
        assertEquals(2, s.skippedSteps());
    }

    @Test
    void restoredStateContinuesExactlyWhereItStopped() {
        LossScaler a = LossScaler.dynamic(1024, 4);
        boolean[] outcomes = {true, false, true, true, true, true, true, false, true, true, true};
        for (int i = 0; i < 6; i++) {
            a.update(outcomes[i]);
        }
        LossScaler b = LossScaler.dynamic(1024, 4);
        b.restore(a.state());
        for (int i = 6; i < outcomes.length; i++) {
            assertEquals(a.update(outcomes[i]), b.update(outcomes[i]));
            assertEquals(a.state(), b.state(), "after outcome " + i);
        }
    }

    @Test
    void disabledScalerKeepsScaleOneButStillCountsNonFiniteSteps() {
        LossScaler s = LossScaler.disabled();
        assertFalse(s.enabled());
        for (int i = 0; i < 5000; i++) {
            assertTrue(s.update(true));
        }
        assertEquals(1.0, s.scale());
        assertFalse(s.update(false));
        assertEquals(1.0, s.scale());
        assertEquals(1, s.skippedSteps());
    }

    @Test
    void rejectsScalesThatAreNotPowersOfTwoAndBadIntervals() {
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(1000, 10));
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(0, 10));
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(Double.POSITIVE_INFINITY, 10));
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(65536, 0));
        assertEquals(0.5, LossScaler.dynamic(0.5, 1).scale(), "2^-1 is a power of two");
        assertThrows(IllegalArgumentException.class,
                () -> LossScaler.dynamic(2, 1).restore(new LossScaler.State(Double.NaN, 0, 0)));
    }
}
