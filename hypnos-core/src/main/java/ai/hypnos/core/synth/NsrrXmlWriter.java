package ai.hypnos.core.synth;

import ai.hypnos.core.io.AtomicFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes NSRR-style annotation XML ({@code *-nsrr.xml}): a "Recording Start Time" event, one
 * {@code Stages|Stages} event per run of equal stages, and the scored events (arousals,
 * respiratory events, desaturations, atrial fibrillation) with the concept names NSRR uses.
 * No DOCTYPE (NSRR files have none, and hardened readers refuse them).
 */
public final class NsrrXmlWriter {
    private NsrrXmlWriter() {
    }

    /**
     * Writes the file (atomically).
     *
     * @param stages        scored stage per 30-s epoch (0 W ... 4 REM, -1 unscored)
     * @param events        events; those without an NSRR concept are skipped
     * @param channelLabels the file label to name as {@code SignalLocation} per event type (may be empty)
     */
    public static void write(Path file, LocalDateTime start, double seconds, int[] stages, List<SynthEvent> events,
                             Map<EventType, String> channelLabels) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            doc = f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML document builder available", e);
        }
        Element root = doc.createElement("PSGAnnotation");
        doc.appendChild(root);
        text(doc, root, "SoftwareVersion", "hypnos-synth");
        text(doc, root, "EpochLength", "30");
        Element list = doc.createElement("ScoredEvents");
        root.appendChild(list);

        Element rs = event(doc, list, "", "Recording Start Time", 0, seconds);
        text(doc, rs, "ClockTime", String.format("00.00.00 %02d.%02d.%02d", start.getHour(), start.getMinute(), start.getSecond()));

        int e = 0;
        while (e < stages.length) {
            int j = e + 1;
            while (j < stages.length && stages[j] == stages[e]) {
                j++;
            }
            event(doc, list, "Stages|Stages", stageConcept(stages[e]), e * 30.0, (j - e) * 30.0);
            e = j;
        }
        for (SynthEvent ev : events) {
            if (ev.type().nsrrConcept() == null) {
                continue;
            }
            Element x = event(doc, list, ev.type().nsrrType(), ev.type().nsrrConcept(), ev.onset(), ev.duration());
            String label = channelLabels.get(ev.type());
            if (label != null && !label.isEmpty()) {
                text(doc, x, "SignalLocation", label);
            }
            if (ev.type() == EventType.DESATURATION) {
                text(doc, x, "SpO2Nadir", number(ev.value()));
            }
        }

        try (AtomicFile out = AtomicFile.create(file)) {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            t.transform(new DOMSource(doc), new StreamResult(out.stream()));
            out.stream().flush();
            out.commit();
        } catch (TransformerException ex) {
            throw new IOException(file + ": cannot write XML: " + ex.getMessage(), ex);
        }
    }

    /** The NSRR concept of a stage: {@code "Wake|0"}, {@code "Stage 2 sleep|2"}, {@code "REM sleep|5"}, {@code "Unscored|9"}. */
    static String stageConcept(int stage) {
        return switch (stage) {
            case 0 -> "Wake|0";
            case 1 -> "Stage 1 sleep|1";
            case 2 -> "Stage 2 sleep|2";
            case 3 -> "Stage 3 sleep|3";
            case 4 -> "REM sleep|5";
            default -> "Unscored|9";
        };
    }

    private static Element event(Document doc, Element list, String type, String concept, double start, double duration) {
        Element e = doc.createElement("ScoredEvent");
        list.appendChild(e);
        text(doc, e, "EventType", type);
        text(doc, e, "EventConcept", concept);
        text(doc, e, "Start", number(start));
        text(doc, e, "Duration", number(duration));
        return e;
    }

    private static void text(Document doc, Element parent, String name, String value) {
        Element e = doc.createElement(name);
        e.setTextContent(value);
        parent.appendChild(e);
    }

    /** Millisecond precision, plain notation, at least one decimal ("30.0", "1234.567"). */
    static String number(double v) {
        BigDecimal d = BigDecimal.valueOf(Math.rint(v * 1000) / 1000).stripTrailingZeros();
        if (d.scale() < 1) {
            d = d.setScale(1);
        }
        return d.toPlainString();
    }
}
