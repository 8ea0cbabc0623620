package ai.hypnos.core.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NsrrXmlTest {
    @TempDir
    Path dir;

    @Test
    void nsrrLayoutStagesAndEvents() throws IOException {
        NsrrAnnotations a = NsrrXml.read(TestData.path("annotation/nsrr-example.xml"));
        assertEquals(30.0, a.epochSeconds());
        assertEquals(600.0, a.recordingSeconds().getAsDouble());
        assertEquals("00.00.00 22.14.05", a.clockTime());
        assertEquals(17, a.events().size(), "the Recording Start Time entry is not an event");
        assertEquals(10, a.stages().size());
        assertEquals(7, a.otherEvents().size());

        ScoredEvent hypopnea = a.events(EventKind.HYPOPNEA).get(0);
        assertEquals(new ScoredEvent("Respiratory|Respiratory", "Hypopnea|Hypopnea", 130.4, 14.2, "ABDO RES"), hypopnea);
        assertEquals("Hypopnea", hypopnea.name());
        assertEquals(1, a.events(EventKind.OBSTRUCTIVE_APNEA).size());
        assertEquals(1, a.events(EventKind.CENTRAL_APNEA).size());
        assertEquals(1, a.events(EventKind.MIXED_APNEA).size());
        assertEquals(1, a.events(EventKind.DESATURATION).size());
        assertEquals(1, a.events(EventKind.LIMB_MOVEMENT).size());
        ScoredEvent arousal = a.events(EventKind.AROUSAL).get(0);
        assertEquals(202.5, arousal.onset());
        assertEquals(6.5, arousal.duration());
        assertEquals("C3", arousal.channel());
        assertEquals(4, a.otherEvents().stream().filter(e -> e.kind().isRespiratory()).count());

        // 0-90 W, 90-150 N1, 150-270 N2, 270-360 stages 3+4, 360-480 REM, movement, untyped N2, unscored, W
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, -1, 2, -1, 0},
                a.hypnogram(Double.NaN).labels());
        assertTrue(a.scoredNight(600).warnings().isEmpty());
    }

    @Test
    void profusionLayout() throws IOException {
        NsrrAnnotations a = NsrrXml.read(TestData.path("annotation/profusion-example.xml"));
        assertEquals(10, a.stages().size());
        assertEquals(3, a.otherEvents().size());
        assertEquals(List.of(EventKind.DESATURATION, EventKind.OBSTRUCTIVE_APNEA, EventKind.AROUSAL),
                a.otherEvents().stream().map(ScoredEvent::kind).toList());
        assertEquals("SaO2", a.otherEvents().get(0).channel());
        assertEquals(80.25, a.otherEvents().get(1).onset());
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 3, 3, 4, 4, -1}, a.hypnogram(Double.NaN).labels());
        assertFalse(a.recordingSeconds().isPresent());
    }

    @Test
    void externalEntitiesAreRefused() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "42");
        Path xml = dir.resolve("xxe.xml");
        Files.writeString(xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE PSGAnnotation [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>\n<PSGAnnotation><ScoredEvents><ScoredEvent><EventType>Stages|Stages</EventType>"
                + "<EventConcept>&x;</EventConcept><Start>0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>");
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> NsrrXml.read(xml));
        assertEquals(xml, e.file());
        assertEquals("XML", e.field());
        assertFalse(e.getMessage().contains("42\n"));
    }

    @Test
    void badNumbersNameTheEvent() throws IOException {
        Path xml = dir.resolve("bad.xml");
        Files.writeString(xml, "<PSGAnnotation><ScoredEvents>"
                + "<ScoredEvent><EventType>Stages|Stages</EventType><EventConcept>Wake|0</EventConcept><Start>0</Start><Duration>30</Duration></ScoredEvent>"
                + "<ScoredEvent><EventType>Stages|Stages</EventType><EventConcept>Wake|0</EventConcept><Start>thirty</Start><Duration>30</Duration></ScoredEvent>"
                + "</ScoredEvents></PSGAnnotation>");
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> NsrrXml.read(xml));
        assertEquals("ScoredEvent[1]/Start", e.field());
        assertEquals("thirty", e.value());
    }

    @Test
    void notXml() throws IOException {
        Path xml = dir.resolve("junk.xml");
        Files.writeString(xml, "<PSGAnnotation><ScoredEvents>");
        assertEquals("XML", assertThrows(HypnosFormatException.class, () -> NsrrXml.read(xml)).field());
    }
}
